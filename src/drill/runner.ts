// Runs a drill: validate, provide images, start the ensemble, run the runbook's steps, then one
// ordered ending whatever happened (stop the load, roll back, read the members' elections, anchor the
// history, judge, record the end, tear down, render). The same path for the CLI and for mocha.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { analyseRun, Objectives } from "../checks/analysis";
import { runEvidence } from "../checks/from-journal";
import { newSeed } from "../common/random";
import { errorText } from "../common/wait";
import { electionsInLog, servingInLog } from "../probes/elections";
import { LeadershipWatch } from "../probes/leadership";
import { HistoryRecorder } from "../history/recorder";
import { ensureImages, ensureKafkaImage, ensureZookeeperImage } from "../images/build";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION } from "../images/catalog";
import { Journal, readJournal } from "../journal/journal";
import { buildReport, deriveStatus, DrillReport, RunStatus } from "../report/verdict";
import { writeReports } from "../report";
import type { RecordInput } from "../report/record-input";
import { startMetricsServer } from "../metrics/server";
import { isHurried, onInterrupt, reap } from "../docker/reaper";
import { checkEngine, docker } from "../docker/engine";
import { hostTrouble } from "../docker/host-trouble";
import { newRunId, StartedEnsemble } from "../runtime/ensemble";
import { analyse, hostnameOf, loadTopology, memberFiles, parseTopology, resolveTopologyPath, Topology, TopologyError, versionAtLeast } from "../topology";
import { missingNeeds } from "./needs";
import { DrillContext } from "./context";
import { DrillDefinition, DrillInputError } from "./definition";
import { CheckFailed } from "./expect";

export { drill, oneZoneTopology, type DrillDefinition } from "./definition";

export interface LiveUpdate {
  readonly step?: string;
  readonly opsPerSec?: number;
  /** Kafka's producer perf tool, its last 5-second line (drills with brokers). */
  readonly recordsPerSec?: number;
  readonly leader?: number | null;
}

export interface RunOptions {
  readonly zkVersion?: string;
  /** An upgrade drill's versions (default: the drill's own `upgrade`). */
  readonly fromVersion?: string;
  readonly toVersion?: string;
  /** Run on this topology (a file path or catalog name) instead of the drill's own, if it meets the drill's needs. */
  readonly topology?: string;
  readonly seed?: number;
  readonly reportDir?: string;
  readonly quick?: boolean;
  /** Leave the ensemble up for inspection (the caller removes it with `zkdrill down <run id>`). */
  readonly keep?: boolean;
  /** Overrides of the drill's objectives for this run. */
  readonly objectives?: Objectives;
  /** Who runs the drill and why (the DR test record's input), recorded in run-start. */
  readonly record?: RecordInput;
  /** Serve OpenMetrics on 127.0.0.1:<port> while the run lasts (0: any free port). */
  readonly metricsPort?: number;
  readonly progress?: (line: string) => void;
  /** What a live view shows: the current step, the last second's ops/s, who leads. */
  readonly live?: (update: LiveUpdate) => void;
}

export interface RunResult {
  readonly status: RunStatus;
  /** It failed on the host (engine gone, disk full, port taken): the CLI's exit code 2, not 1. */
  readonly environment: boolean;
  readonly reportDir: string;
  readonly report: DrillReport;
  readonly runId: string;
}

const ROOT = resolve(__dirname, "..", "..");
/** How long an engine may be silent (pings unanswered, not refused) before the run counts it gone. */
const ENGINE_SILENCE_MS = 30_000;

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

/**
 * The version the run starts on, and an upgrade drill's target; each checked against the catalog
 * and against the versions the drill applies to (exit 2 saying why, before anything starts).
 */
function drillVersions(def: DrillDefinition, opts: RunOptions): { zkVersion: string; upgradeTo?: string } {
  if (!def.upgrade && (opts.fromVersion || opts.toVersion)) throw new DrillInputError(`--from-version and --to-version are for upgrade drills; ${def.name} is not one: use --zk-version`);
  if (def.upgrade && opts.zkVersion) throw new DrillInputError(`${def.name} is an upgrade drill: give --from-version and --to-version, not --zk-version`);
  const zkVersion = opts.fromVersion ?? def.upgrade?.from ?? opts.zkVersion ?? DEFAULT_ZOOKEEPER_VERSION;
  const upgradeTo = def.upgrade ? (opts.toVersion ?? def.upgrade.to) : undefined;
  for (const v of [zkVersion, ...(upgradeTo ? [upgradeTo] : [])]) {
    checkZookeeperVersion(v);
    const min = def.versions?.min;
    if (min && !versionAtLeast(v, min)) throw new DrillInputError(`${def.name} runs on ZooKeeper ${min} or later${def.versions?.why ? ` (${def.versions.why})` : ""}; ${v} is older: give --zk-version ${min}.x or later`);
  }
  return { zkVersion, upgradeTo };
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
  const { zkVersion, upgradeTo } = drillVersions(def, opts);
  // The config each member gets on this version (3.4: no dynamic file, no whitelist): refused here if it cannot be written.
  const configs = Object.fromEntries(topology.members.map((m) => [m.id, memberFiles(topology, m.id, zkVersion)]));
  // One run per folder: a second run's journal appended to the first would mix two verdicts in one report.
  if (opts.reportDir !== undefined && existsSync(join(resolve(opts.reportDir), "journal.jsonl"))) {
    throw new DrillInputError(`--report-dir: ${resolve(opts.reportDir)} already holds a run (journal.jsonl); give a new folder, or remove that one first`);
  }
  const ownDisks = topology.members.filter((m) => m.datalogMb !== undefined).map((m) => m.id);
  if (ownDisks.length > 0 && process.getuid?.() !== 0) {
    throw new DrillInputError(`topology.members[].datalogMb: member(s) ${ownDisks.join(", ")} need a dataLogDir disk of their own, which only root can mount; run as root (CI uses sudo), or leave datalogMb out`);
  }
  await checkEngine();
  const images = await ensureImages(zkVersion, { progress });
  // Kafka's image when the topology runs brokers (src/topology/brokers.ts): in the audit header with the rest.
  const kafkaImage = topology.kafka ? await ensureKafkaImage({ progress }) : undefined;
  const byVersion = new Map([[zkVersion, images.zookeeper]]);
  if (upgradeTo) byVersion.set(upgradeTo, await ensureZookeeperImage(upgradeTo, { progress }));

  const seed = opts.seed ?? newSeed();
  const runId = newRunId(def.name.slice(0, 24));
  // Before anything is written: a taken port is bad input (exit 2), with no folder made and nothing started.
  const metrics = opts.metricsPort === undefined ? undefined : await startMetricsServer(opts.metricsPort, { drill: def.name, runId, zookeeperVersion: zkVersion });
  const reportDir = resolve(opts.reportDir ?? join(ROOT, "reports", `${def.name}-${utcStamp()}`));
  const journal = new Journal(join(reportDir, "journal.jsonl"));
  const history = new HistoryRecorder(join(reportDir, "history.jsonl"), randomBytes(3).toString("hex"));
  const objectives: Objectives = { ...def.objectives, ...opts.objectives };
  if (metrics) {
    // Every journal line reaches the endpoint as it is written: samples, faults, checks, leadership, the verdict.
    journal.onAppend((e) => metrics.observe(e));
    progress(`metrics: ${metrics.url} (OpenMetrics)`);
  }

  journal.append("run-start", {
    drill: def.name,
    procedure: def.procedure,
    origin: def.origin ?? "zkdrill",
    ...(def.headline ? { headline: def.headline } : {}),
    description: def.description,
    runId,
    seed,
    quick: opts.quick ?? false,
    // The RTO is the clients' outage (src/checks/availability.ts); older runs were measured from the fault's start.
    rtoMethod: "outage",
    zookeeperVersion: zkVersion,
    ...(upgradeTo ? { upgrade: { from: zkVersion, to: upgradeTo } } : {}),
    objectives,
    record: opts.record ?? {},
    images: kafkaImage ? { ...images, kafka: { name: kafkaImage.name, kind: kafkaImage.kind, id: kafkaImage.id } } : images,
    topology,
    survivability: analyse(topology),
    configs,
    audit: { user: userInfo().username, host: hostname(), gitCommit: gitCommit(), ciRunId: process.env.GITHUB_RUN_ID ?? process.env.CI_JOB_ID ?? null, node: process.version },
  });

  let ensemble: StartedEnsemble | undefined;
  let ctx: DrillContext | undefined;
  let watch: LeadershipWatch | undefined;
  let error: string | null = null;
  let ending: Promise<RunStatus> | undefined;
  let abortTimer: NodeJS.Timeout | undefined;
  let engineWatch: NodeJS.Timeout | undefined;
  /** The run failed on the host (engine gone, disk full, port taken), not on a check. */
  let environment = false;

  /**
   * The one ending, whatever the way there; a second call waits for the first. Each stage runs
   * whatever the one before did: a stage that fails is said in the journal, and teardown always runs.
   */
  const stage = async (what: string, work: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      await work();
    } catch (err) {
      progress(`${what} failed: ${hostTrouble(err) ?? errorText(err)}`);
      if (!journal.isClosed) journal.append("note", { what: `${what} failed`, error: errorText(err) });
    }
  };
  const end = (aborted: string | null): Promise<RunStatus> =>
    (ending ??= (async () => {
      clearInterval(abortTimer);
      clearInterval(engineWatch);
      // Interrupted while the ensemble was starting: no further container is created, and what was is ours to remove.
      if (!ensemble && starting) {
        startAbort.abort(new Error(aborted ?? "the run ended"));
        ensemble = await starting.catch(() => undefined);
      }
      await stage("stopping the leadership watch", () => watch?.stop());
      await stage("stopping the workload", () => ctx?.workload.started && ctx.workload.finish());
      await stage("stopping Kafka's clients and collecting the brokers' logs", () => ctx?.kafka.finish());
      await stage("closing the drill's clients", () => ctx?.closeClients());
      await stage("rollbacks", () => ctx?.faults.runRollbacks());
      // While the containers exist: their logs are evidence, hashed with the rest at the first rendering.
      await stage("collecting the members' logs", () => ensemble?.collectLogs());
      // A second interrupt hurries: the members' elections and the history's judgement are what can wait.
      if (!isHurried()) await stage("reading the members' elections", () => ensemble && recordElections(ensemble, journal));
      await stage("anchoring the history", () => journal.append("history", { ...history.close(), final: true }));
      if (!isHurried()) await stage("judging the history", () => judge(journal, history));
      const runEnd = { error: aborted ?? error, aborted: aborted !== null, ...(environment ? { environment } : {}), throughputByPhase: ctx?.workload.throughputByPhase ?? {}, kept: opts.keep ?? false };
      const { status } = deriveStatus([...journal.events, { seq: -1, ts: "", type: "run-end", data: runEnd, prev: "" }]);
      journal.append("run-end", { status, ...runEnd });
      await stage("rendering the reports", () => writeReports(reportDir, undefined, { progress }));
      // After rendering: the verdict (set at run-end) stays on the endpoint for a scrape or two.
      await stage("closing the metrics endpoint", () => metrics?.close());
      if (ensemble && !opts.keep) await stage("removing the containers and networks", () => ensemble!.remove());
      // Whatever was created while the run ended (a start in flight) goes too, by label.
      if (!opts.keep) await stage("removing what is left", () => reap(runId));
      return status;
    })());

  // An interrupt ends the run at once: the drill's step in flight is not waited for (it unwinds
  // against removed containers), and no further step starts.
  let interrupted: (why: string) => void = () => {};
  const interruption = new Promise<void>((resolve) => (interrupted = () => resolve()));
  const offInterrupt = onInterrupt(async (why) => {
    ctx?.abort(why);
    interrupted(why);
    await end(why);
  });
  const startAbort = new AbortController();
  let starting: Promise<StartedEnsemble> | undefined;
  try {
    starting = StartedEnsemble.start({ runId, topology, fakeClock: def.clockFaults, image: images.zookeeper, version: zkVersion, toxiproxyImage: images.toxiproxy, logDir: join(reportDir, "logs"), jvmFlags: def.jvmFlags, keep: opts.keep, signal: startAbort.signal });
    ensemble = await starting;
    if (ending) throw new Error("interrupted while the ensemble started");
    let leaderSeen = Date.now();
    watch = new LeadershipWatch(ensemble, journal, (leader) => {
      if (leader !== null) leaderSeen = Date.now();
      opts.live?.({ leader });
    });
    watch.start();
    const c = (ctx = new DrillContext(ensemble, journal, history, seed, opts.quick ?? false, progress, opts.live, { images: byVersion, upgradeTo, objectives }));
    const steady = def.steadyState;
    if (steady) c.faults.beforeFirst = () => c.expect.steadyState("before the first fault", steady);
    const noLeaderForMs = def.abortIf?.noLeaderForMs;
    if (noLeaderForMs !== undefined) {
      abortTimer = setInterval(() => {
        if (Date.now() - leaderSeen > noLeaderForMs) c.abort(`the drill's abort condition: no leader for more than ${(noLeaderForMs / 1000).toFixed(0)} s`);
      }, 500);
      abortTimer.unref();
    }
    // The engine itself: if it stops answering, the drill stops at once and says so (host trouble, exit 2),
    // instead of failing checks on containers the engine took down with it.
    // A refused connection twice in a row is an engine gone; a slow answer is a busy machine (2 cores
    // under fifteen JVMs answer pings late), so only a silence of ENGINE_SILENCE_MS counts as gone.
    let refused = 0;
    let answeredAt = Date.now();
    engineWatch = setInterval(() => {
      void Promise.race([docker().ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 3 s")), 3_000))]).then(
        () => {
          refused = 0;
          answeredAt = Date.now();
        },
        (err: Error) => {
          const gone = /no answer within/.test(err.message) ? Date.now() - answeredAt > ENGINE_SILENCE_MS : ++refused >= 2;
          if (!gone || environment) return;
          environment = true;
          error = `the Docker engine stopped answering during the run (${err.message}); the drill was stopped and its verdict stands for nothing about ZooKeeper; start the engine again (scripts/ensure-docker.sh), then: zkdrill down --stale`;
          c.abort("the Docker engine stopped answering");
        },
      );
    }, 2_000);
    engineWatch.unref();
    journal.append("note", {
      what: "ensemble started",
      members: await ensemble.running(),
      versions: ensemble.versions(),
      ports: Object.fromEntries(topology.members.map((m) => [m.id, ensemble!.endpoint(m.id).port])),
      network: ensemble.network.describe(),
    });
    // Brokers (when the topology has them) start after the ensemble and go with it (reaped by the run's label).
    await Promise.race([c.proveLatency().then(() => c.kafka.startBrokers()).then(() => def.run(c)), interruption]);
    if (steady) await c.expect.steadyState("after recovery", steady);
  } catch (err) {
    const trouble = hostTrouble(err);
    if (trouble) environment = true;
    // When the engine went away first, that is the error; what failed after it is its echo.
    if (!(environment && error)) error = err instanceof CheckFailed ? err.message : trouble ?? `${errorText(err)}${err instanceof Error && err.stack ? `\n${err.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  }
  const status = await end(null);
  offInterrupt();
  return { status, environment, reportDir, report: buildReport(readJournal(journal.path)), runId };
}

/** ZooKeeper's own election times, from each member's collected log. */
function recordElections(e: StartedEnsemble, journal: Journal): void {
  for (const m of e.topology.members) {
    const path = join(e.plan.logDir, `${hostnameOf(m.id)}.log`);
    if (!existsSync(path)) continue;
    const log = readFileSync(path, "utf8");
    for (const el of electionsInLog(m.id, log)) journal.append("election", { ...el });
    for (const s of servingInLog(m.id, log)) journal.append("zk-log", { what: "serving", ...s });
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
    perFault: a.recoveries.map((r) => ({
      fault: r.label,
      kind: r.kind,
      at: r.at,
      rtoMs: r.rtoMs,
      unmeasured: r.unmeasured ?? null,
      elections: r.elections,
      outage: r.outage ?? null,
      within: r.within ?? null,
      parts: r.parts ?? null,
      expectOutage: r.expectOutage ?? null,
    })),
    longestGapMs: a.longestGapMs,
    lost: a.lost ? { count: a.lost.lost.length, judged: a.lost.judged, rpoMs: a.lost.rpoMs, disasterAt: a.lost.disasterAt, writes: a.lost.lost.slice(0, 200) } : null,
  });
}
