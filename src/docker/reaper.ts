// Nothing is left behind. Every way a run ends goes through one path: a signal (SIGINT, SIGTERM,
// SIGHUP) asks the run in flight to end (its ordered shutdown: workload, rollbacks, logs, run-end,
// reports, containers); a second signal hurries it (the slow, optional stages are skipped); a third
// removes what is labelled and exits at once. With no run in flight, a signal reaps and exits.
// (Ryuk, testcontainers' own reaper, needs an image that cannot be pulled here.)
import { reap } from "./engine";

/** The exit code the README promises for an interrupted run, whichever signal interrupted it. */
export const INTERRUPTED = 130;

const active = new Set<string>();
let installed = false;
let signals = 0;
let hurried = false;
/** Set once the verdict is out: a signal after it no longer changes how the process exits. */
let verdict: number | undefined;

export function verdictIs(code: number): void {
  verdict = code;
}

/** A run's own ending, asked for by a signal; it resolves when the run has ended. */
type EndHook = (why: string) => Promise<void>;
const enders: EndHook[] = [];

export function onInterrupt(hook: EndHook): () => void {
  enders.push(hook);
  return () => {
    const i = enders.indexOf(hook);
    if (i >= 0) enders.splice(i, 1);
  };
}

/** Whether a second signal asked to hurry: the ending skips what it can do without. */
export function isHurried(): boolean {
  return hurried;
}

async function reapTracked(): Promise<void> {
  for (const runId of active) {
    await reap(runId).catch((err: Error) => process.stderr.write(`zkdrill: cleanup of ${runId} failed: ${err.message}; run: zkdrill down ${runId}\n`));
  }
}

function onSignal(name: string): void {
  if (verdict !== undefined) process.exit(verdict);
  signals++;
  if (signals === 2) {
    hurried = true;
    process.stderr.write(`\nzkdrill: ${name} again: hurrying (skipping the history's judgement and the members' logs); once more to stop at once\n`);
    return;
  }
  if (signals >= 3) {
    process.stderr.write(`\nzkdrill: ${name} a third time: removing every container and network of this process's runs, then exiting\n`);
    void reapTracked().finally(() => process.exit(INTERRUPTED));
    return;
  }
  const why = `interrupted (${name})`;
  process.stderr.write(`\nzkdrill: ${why}; ending the run (${enders.length ? "stopping the load, rolling back, recording the end, removing containers" : "removing containers"})...\n`);
  // The runs end themselves and the caller exits with their verdict; with none in flight, exit here.
  const ending = enders.map((h) => h(why));
  void Promise.allSettled(ending)
    .then(reapTracked)
    .then(() => {
      if (ending.length === 0) process.exit(INTERRUPTED);
    });
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => onSignal(sig));
}

/** For the CLI: signals end the run in flight, and a crash reaps too. (Under mocha, mocha owns uncaught errors.) */
export function installCrashReaper(): void {
  install();
  const crash = (err: unknown) => {
    process.stderr.write(`zkdrill: uncaught error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void Promise.allSettled(enders.map((h) => h("crashed")))
      .then(reapTracked)
      .then(() => process.exit(1));
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
