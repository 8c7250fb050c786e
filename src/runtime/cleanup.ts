// Nothing is left behind: runs in flight are reaped by label on Ctrl-C, SIGTERM and crashes.
// (Ryuk, testcontainers' own reaper, needs an image that cannot be pulled here.)
import { reap } from "../docker/engine";

const active = new Set<string>();
let installed = false;
let exiting = false;

async function reapAllAndExit(code: number, why: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  process.stderr.write(`\nzkdrill: ${why}; removing containers and networks of ${active.size} run(s)...\n`);
  for (const runId of active) {
    await reap(runId).catch((err: Error) => process.stderr.write(`zkdrill: cleanup of ${runId} failed: ${err.message}; run: zkdrill down ${runId}\n`));
  }
  process.exit(code);
}

/** Registered hooks run before the reaper (e.g. closing a journal as aborted). */
const beforeReap: Array<(why: string) => Promise<void>> = [];
export function onInterrupt(hook: (why: string) => Promise<void>): () => void {
  beforeReap.push(hook);
  return () => {
    const i = beforeReap.indexOf(hook);
    if (i >= 0) beforeReap.splice(i, 1);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  const handler = (code: number, why: string) => () => {
    void Promise.allSettled(beforeReap.map((h) => h(why))).then(() => reapAllAndExit(code, why));
  };
  process.once("SIGINT", handler(130, "interrupted (SIGINT)"));
  process.once("SIGTERM", handler(143, "terminated (SIGTERM)"));
  process.once("SIGHUP", handler(129, "hung up (SIGHUP)"));
}

/** For the CLI: a crash reaps too. (Under mocha, mocha owns uncaught errors and after-hooks reap.) */
export function installCrashReaper(): void {
  install();
  const crash = (err: unknown) => {
    process.stderr.write(`zkdrill: uncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void Promise.allSettled(beforeReap.map((h) => h("crashed"))).then(() => reapAllAndExit(1, "crashed"));
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}

export function trackRun(runId: string): void {
  install();
  active.add(runId);
}

export function untrackRun(runId: string): void {
  active.delete(runId);
}
