// Runs a drill: validate, provide images, start the ensemble, run the runbook's steps, then one
// ordered ending whatever happened (stop the load, roll back, read the members' elections, anchor the
// history, judge, record the end, tear down, render). The same path for the CLI and for mocha.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { analyseRun, Objectives } from "../checks/analysis";
import { runEvidence } from "../checks/from-journal";
import { newSeed } from "../common/random";
import { errorText } from "../common/wait";
import { electionsInLog } from "../evidence/elections";
import { LeadershipWatch } from "../evidence/leadership";
import { HistoryRecorder } from "../history/recorder";
import { ensureImages } from "../images/build";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION } from "../images/catalog";
import { Journal, readJournal } from "../journal/journal";
import { buildReport, deriveStatus, DrillReport, RunStatus } from "../journal/result";
import { writeReports } from "../report";
import { onInterrupt } from "../runtime/cleanup";
import { checkEngine } from "../docker/engine";
import { newRunId, StartedEnsemble } from "../runtime/ensemble";
import { analyse, loadTopology, memberFiles, parseTopology, resolveTopologyPath, Topology, TopologyError } from "../topology";
import { missingNeeds } from "./needs";
import { DrillContext } from "./context";
import type { DrillDefinition } from "./definition";
import { CheckFailed } from "./expect";

export { drill, type DrillDefinition } from "./definition";

export interface LiveUpdate {
  readonly step?: string;
  readonly opsPerSec?: number;
  readonly leader?: number | null;
}

export interface RunOptions {
  readonly zkVersion?: string;
  /** Run on this topology (a file path or catalog name) instead of the drill's own, if it meets the drill's needs. */
  readonly topology?: string;
  readonly seed?: number;
  readonly reportDir?: string;
  readonly quick?: boolean;
  /** Leave the ensemble up for inspection (the caller removes it with `zkdrill down <run id>`). */
  readonly keep?: boolean;
  /** Overrides of the drill's objectives for this run. */
  readonly objectives?: Objectives;
  readonly progress?: (line: string) => void;
  /** What a live view shows: the current step, the last second's ops/s, who leads. */
  readonly live?: (update: LiveUpdate) => void;
}

export interface RunResult {
  readonly status: RunStatus;
  readonly reportDir: string;
  readonly report: DrillReport;
  readonly runId: string;
}

const ROOT = resolve(__dirname, "..", "..");

/** The topology the run uses: the user's (`--topology`) when given and it meets the drill's needs, else the drill's own. */
export function resolveDrillTopology(def: DrillDefinition, override?: string): Topology {
  if (override !== undefined) {
    const t = loadTopology(resolveTopologyPath(override));
    const missing = missingNeeds(def.needs, t);
    if (missing.length > 0) throw new TopologyError(`${override} for drill ${def.name}`, missing.map((m) => `the drill needs ${m}`));
    return t;
  }
  if (typeof def.topology !== "string") return parseTopology(def.topology, `drill ${def.name}`);
  return loadTopology(resolveTopologyPath(def.topology));
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown (not a git checkout)";
  }
}

function utcStamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

export async function runDrill(def: DrillDefinition, opts: RunOptions = {}): Promise<RunResult> {
  const progress = opts.progress ?? (() => {});
  // Bad input fails here, before anything starts.
  const topology = resolveDrillTopology(def, opts.topology);
  const zkVersion = opts.zkVersion ?? DEFAULT_ZOOKEEPER_VERSION;
  checkZookeeperVersion(zkVersion);
  await checkEngine();
  const images = await ensureImages(zkVersion, { progress });

  const seed = opts.seed ?? newSeed();
  const runId = newRunId(def.name.slice(0, 24));
  const reportDir = resolve(opts.reportDir ?? join(ROOT, "reports", `${def.name}-${utcStamp()}`));
  const journal = new Journal(join(reportDir, "journal.jsonl"));
  const history = new HistoryRecorder(join(reportDir, "history.jsonl"), randomBytes(3).toString("hex"));
  const objectives: Objectives = { ...def.objectives, ...opts.objectives };

  journal.append("run-start", {
    drill: def.name,
    procedure: def.procedure,
    description: def.description,
    runId,
    seed,
    quick: opts.quick ?? false,
    zookeeperVersion: zkVersion,
    objectives,
    images,
    topology,
    survivability: analyse(topology),
    configs: Object.fromEntries(topology.members.map((m) => [m.id, memberFiles(topology, m.id)])),
    audit: { user: userInfo().username, host: hostname(), gitCommit: gitCommit(), ciRunId: process.env.GITHUB_RUN_ID ?? process.env.CI_JOB_ID ?? null, node: process.version },
  });

  let ensemble: StartedEnsemble | undefined;
  let ctx: DrillContext | undefined;
  let watch: LeadershipWatch | undefined;
  let error: string | null = null;
  let ending: Promise<RunStatus> | undefined;
  let abortTimer: NodeJS.Timeout | undefined;

  /**
   * The one ending, whatever the way there; a second call waits for the first. Each stage runs
   * whatever the one before did: a stage that fails is said in the journal, and teardown always runs.
   */
  const stage = async (what: string, work: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      await work();
    } catch (err) {
      progress(`${what} failed: ${errorText(err)}`);
      if (!journal.isClosed) journal.append("note", { what: `${what} failed`, error: errorText(err) });
    }
  };
  const end = (aborted: string | null): Promise<RunStatus> =>
    (ending ??= (async () => {
      clearInterval(abortTimer);
      await stage("stopping the leadership watch", () => watch?.stop());
      await stage("stopping the workload", () => ctx?.workload.started && ctx.workload.finish());
      await stage("rollbacks", () => ctx?.faults.runRollbacks());
      await stage("reading the members' elections", () => ensemble && recordElections(ensemble, journal));
      await stage("anchoring the history", () => journal.append("history", { ...history.close(), final: true }));
      await stage("judging the history", () => judge(journal, history));
      const runEnd = { error: aborted ?? error, aborted: aborted !== null, throughputByPhase: ctx?.workload.throughputByPhase ?? {}, kept: opts.keep ?? false };
      const { status } = deriveStatus([...journal.events, { seq: -1, ts: "", type: "run-end", data: runEnd, prev: "" }]);
      journal.append("run-end", { status, ...runEnd });
      if (ensemble && !opts.keep) await stage("teardown", () => ensemble!.teardown());
      await stage("rendering the reports", () => writeReports(reportDir));
      return status;
    })());

  const offInterrupt = onInterrupt(async (why) => void (await end(why)));
  try {
    ensemble = await StartedEnsemble.start({ runId, topology, image: images.zookeeper, toxiproxyImage: images.toxiproxy, logDir: join(reportDir, "logs"), jvmFlags: def.jvmFlags });
    let leaderSeen = Date.now();
    watch = new LeadershipWatch(ensemble, journal, (leader) => {
      if (leader !== null) leaderSeen = Date.now();
      opts.live?.({ leader });
    });
    watch.start();
    const c = (ctx = new DrillContext(ensemble, journal, history, seed, opts.quick ?? false, progress, opts.live));
    const steady = def.steadyState;
    if (steady) c.faults.beforeFirst = () => c.expect.steadyState("before the first fault", steady);
    const noLeaderForMs = def.abortIf?.noLeaderForMs;
    if (noLeaderForMs !== undefined) {
      abortTimer = setInterval(() => {
        if (Date.now() - leaderSeen > noLeaderForMs) c.abort(`no leader for more than ${(noLeaderForMs / 1000).toFixed(0)} s`);
      }, 500);
      abortTimer.unref();
    }
    journal.append("note", {
      what: "ensemble started",
      members: await ensemble.running(),
      ports: Object.fromEntries(topology.members.map((m) => [m.id, ensemble!.endpoint(m.id).port])),
      network: ensemble.network.describe(),
    });
    await def.run(c);
    if (steady) await c.expect.steadyState("after recovery", steady);
  } catch (err) {
    error = err instanceof CheckFailed ? err.message : `${errorText(err)}${err instanceof Error && err.stack ? `\n${err.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  }
  const status = await end(null);
  offInterrupt();
  return { status, reportDir, report: buildReport(readJournal(journal.path)), runId };
}

/** ZooKeeper's own election times, from each member's log, while the containers exist. */
async function recordElections(e: StartedEnsemble, journal: Journal): Promise<void> {
  for (const m of e.topology.members) {
    if ((await e.state(m.id)) === "not-created") continue;
    for (const el of electionsInLog(m.id, await e.log(m.id))) journal.append("election", { ...el });
  }
}

/** The end-of-run verdicts from the history and the journal: ZooKeeper's guarantees, the objectives, the findings. */
function judge(journal: Journal, history: HistoryRecorder): void {
  let a: ReturnType<typeof analyseRun>;
  try {
    a = analyseRun(runEvidence(journal.events, history.events));
  } catch (err) {
    // A history the checks cannot read is itself a failure of the run's evidence, said as one.
    journal.append("check", { kind: "history-readable", auto: true, name: "the history can be judged", status: "failed", summary: errorText(err), evidence: {} });
    return;
  }
  for (const c of a.checks) journal.append("check", { kind: c.kind, auto: true, name: c.result.name, status: c.result.status, summary: c.result.summary, evidence: c.result.evidence });
  for (const f of a.findings) journal.append("finding", { ...f });
  journal.append("note", {
    what: "recovery",
    perFault: a.recoveries.map((r) => ({ fault: r.label, kind: r.kind, at: r.at, rtoMs: r.rtoMs, unmeasured: r.unmeasured ?? null, elections: r.elections })),
    longestGapMs: a.longestGapMs,
    lost: a.lost ? { count: a.lost.lost.length, judged: a.lost.judged, rpoMs: a.lost.rpoMs, disasterAt: a.lost.disasterAt, writes: a.lost.lost.slice(0, 200) } : null,
  });
}
