// The reaper: nothing is left behind, on any host. Everything a run creates carries its run label
// (engine.ts), so removal is by label, on every engine the run used: a run's own end, `zkdrill down`, and stale runs whose owner is gone.
// Every way a run ends goes through one path: a signal (SIGINT, SIGTERM, SIGHUP) asks the run in flight
// to end (its ordered shutdown: workload, rollbacks, logs, run-end, reports, containers); a second
// signal hurries it (the slow, optional stages are skipped); a third removes what is labelled and exits
// at once. With no run in flight, a signal reaps and exits.
// (Ryuk, testcontainers' own reaper, needs an image that cannot be pulled here.)
import { KEEP_LABEL, OWNER_LABEL, RUN_LABEL } from "./engine";
import { engineAt, isLocal, LOCAL_ENGINE } from "./engines";
import { knownEngines } from "./known-hosts";
import { diskRuns, removeDisks } from "./loop-disks";
import { ownerState } from "./owner";

/** How many times a network with endpoints left on other hosts is asked again, 500 ms apart. */
const ENDPOINT_RETRIES = 30;

export interface ReapResult {
  readonly containers: number;
  readonly networks: number;
  /** Members' own disks (datalogMb) unmounted and deleted. */
  readonly disks: number;
  /** Recorded hosts that did not answer (they may still hold containers of the run): said, not thrown. */
  readonly unreachable: readonly string[];
}

/**
 * Removes every container and network labelled with `runId` (or with any run id when undefined) on
 * the engines `where` names (a run's own hosts; by default every engine this process used or
 * `zkdrill hosts init` recorded): containers first on all of them,
 * then networks (a swarm's overlay goes once no engine has a container on it). An engine that does
 * not answer is said at the end, after the others are clean.
 */
export async function reap(runId?: string, where?: readonly string[]): Promise<ReapResult> {
  const label = runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL;
  const gone = (err: { statusCode?: number }, also: number[] = []) => {
    // Already gone (removed by a parallel reaper): nothing to do.
    if (err.statusCode !== 404 && !also.includes(err.statusCode ?? 0)) throw err;
  };
  // This machine's engine always; then the engines the caller names (a run's own hosts), or every known one.
  const engines = [...new Set([LOCAL_ENGINE, ...(where ?? knownEngines())])];
  const unreachable: string[] = [];
  let containers = 0;
  let networks = 0;
  for (const endpoint of engines) {
    const d = engineAt(endpoint);
    try {
      const list = await d.listContainers({ all: true, filters: { label: [label] } });
      containers += list.length;
      await Promise.all(list.map((c) => d.getContainer(c.Id).remove({ force: true, v: true }).catch((err) => gone(err, [409]))));
    } catch (err) {
      if (isLocal(endpoint)) throw err;
      unreachable.push(`${endpoint} (${(err as Error).message})`);
    }
  }
  for (const endpoint of engines) {
    if (unreachable.some((u) => u.startsWith(`${endpoint} `))) continue;
    const d = engineAt(endpoint);
    const list = await d.listNetworks({ filters: { label: [label] } }).catch(() => []);
    for (const n of list) {
      // A worker's view of an overlay is the manager's to remove (403 there); the manager removes it.
      if (!isLocal(endpoint)) {
        if (await d.getNetwork(n.Id).remove().then(() => true, (err) => (gone(err, [403, 500]), false))) networks++;
        continue;
      }
      // An overlay is "in use by task" (400) for a moment after the containers on other hosts went: bounded retries.
      for (let attempt = 1; ; attempt++) {
        const outcome = await d.getNetwork(n.Id).remove().then(
          () => "removed" as const,
          (err: { statusCode?: number }) => (err.statusCode === 404 ? ("gone" as const) : attempt < ENDPOINT_RETRIES && [400, 403, 409, 500].includes(err.statusCode ?? 0) ? ("busy" as const) : Promise.reject(err)),
        );
        if (outcome === "removed") networks++;
        if (outcome !== "busy") break;
        await new Promise((r) => setTimeout(r, 500)); // the other hosts' endpoints go by themselves
      }
    }
  }
  // Host disks last: their containers are gone, so they unmount.
  let disks = 0;
  for (const r of runId ? [{ runId }] : diskRuns()) disks += await removeDisks(r.runId);
  // A run's own hosts (`where`) must all answer: its teardown is not done otherwise. A host merely
  // recorded once (~/.zkdrill/hosts) that is gone is said by the caller, not an error of this cleanup.
  if (where !== undefined && unreachable.length > 0) throw new Error(`removed what this machine and the reachable hosts held; these hosts did not answer, so ${runId ?? "the runs"} may still have containers there: ${unreachable.join("; ")}; run zkdrill down ${runId ?? "--all"} again once they answer`);
  return { containers, networks, disks, unreachable };
}

export interface StaleRun {
  readonly runId: string;
  readonly owner: string;
  readonly containers: number;
  readonly networks: number;
}

/**
 * Runs whose owning process is gone from this host (killed with SIGKILL, a crashed runner): found by
 * label, and removed unless `dryRun`. Runs kept on purpose, runs of live processes and runs owned on
 * other hosts are left alone.
 */
export async function reapStale(dryRun = false): Promise<StaleRun[]> {
  const containers = [];
  const networks = [];
  for (const endpoint of knownEngines()) {
    const d = engineAt(endpoint);
    // A host that does not answer hides its runs from this look; `down` says so when it reaps.
    containers.push(...(await d.listContainers({ all: true, filters: { label: [RUN_LABEL] } }).catch((err) => (isLocal(endpoint) ? Promise.reject(err) : []))));
    networks.push(...(await d.listNetworks({ filters: { label: [RUN_LABEL] } }).catch((err) => (isLocal(endpoint) ? Promise.reject(err) : []))));
  }
  const runs = new Map<string, { owner: string; keep: boolean; containers: number; networks: number }>();
  const note = (labels: Record<string, string> | undefined, kind: "containers" | "networks") => {
    const runId = labels?.[RUN_LABEL];
    if (!runId) return;
    const r = runs.get(runId) ?? { owner: labels?.[OWNER_LABEL] ?? "", keep: labels?.[KEEP_LABEL] === "true", containers: 0, networks: 0 };
    r[kind]++;
    runs.set(runId, r);
  };
  for (const c of containers) note(c.Labels, "containers");
  for (const n of networks) note(n.Labels, "networks");
  // A run killed after its containers went but before its disks did: known by its disk folder alone.
  for (const disk of diskRuns()) if (!runs.has(disk.runId)) runs.set(disk.runId, { owner: disk.owner, keep: disk.keep, containers: 0, networks: 0 });
  const stale = [...runs].filter(([, r]) => !r.keep && ownerState(r.owner) === "gone").map(([runId, r]) => ({ runId, owner: r.owner, containers: r.containers, networks: r.networks }));
  if (!dryRun) for (const s of stale) await reap(s.runId);
  return stale;
}


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
