// Runs a drill: validate, provide images, start the ensemble, run the runbook's steps, judge,
// tear down, and leave the journal and report.json. The same path for the CLI and for mocha.
import { execFileSync } from "node:child_process";
import { hostname, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { newSeed } from "../common/random";
import { errorText } from "../common/wait";
import { ensureImages } from "../images/build";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION } from "../images/catalog";
import { onInterrupt } from "../runtime/cleanup";
import { checkEngine } from "../runtime/docker";
import { newRunId, StartedEnsemble } from "../runtime/ensemble";
import { analyse, loadTopology, memberFiles, parseTopology, resolveTopologyPath, Topology, TopologyInput } from "../topology";
import { CheckFailed, DrillContext } from "./context";
import { Journal } from "./journal";
import { LeadershipWatch } from "./leadership";
import { DrillReport, RunStatus } from "./result";
import { writeReports } from "../report";

export interface DrillDefinition {
  readonly name: string;
  readonly description: string;
  /** Where the runbook comes from, e.g. "PROCEDURES.md P2". */
  readonly procedure: string;
  /** A catalog topology name (drills/topologies), a file path, or a topology built in code. */
  readonly topology: string | TopologyInput;
  /** Extra JVM flags for every member (e.g. SUPERUSER_JVM_FLAG for dynamic reconfig). */
  readonly jvmFlags?: string;
  run(d: DrillContext): Promise<void>;
}

/** Declares a drill; the file in drills/ default-exports it. */
export function drill(def: DrillDefinition): DrillDefinition {
  return def;
}

export interface LiveUpdate {
  readonly step?: string;
  readonly opsPerSec?: number;
  readonly leader?: number | null;
}

export interface RunOptions {
  readonly zkVersion?: string;
  readonly seed?: number;
  readonly reportDir?: string;
  readonly quick?: boolean;
  /** Leave the ensemble up for inspection (the caller removes it with `zkdrill down <run id>`). */
  readonly keep?: boolean;
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

export function resolveDrillTopology(def: DrillDefinition): Topology {
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
  const topology = resolveDrillTopology(def);
  const zkVersion = opts.zkVersion ?? DEFAULT_ZOOKEEPER_VERSION;
  checkZookeeperVersion(zkVersion);
  await checkEngine();
  const images = await ensureImages(zkVersion, { progress });

  const seed = opts.seed ?? newSeed();
  const runId = newRunId(def.name.slice(0, 24));
  const reportDir = resolve(opts.reportDir ?? join(ROOT, "reports", `${def.name}-${utcStamp()}`));
  const journal = new Journal(join(reportDir, "journal.jsonl"));
  // Every rendering, from the journal alone (src/report): report.json, .md, .html, junit.xml, SHA256SUMS.
  const writeReport = () => writeReports(reportDir);

  journal.append("run-start", {
    drill: def.name,
    procedure: def.procedure,
    description: def.description,
    runId,
    seed,
    quick: opts.quick ?? false,
    zookeeperVersion: zkVersion,
    images,
    topology,
    survivability: analyse(topology),
    configs: Object.fromEntries(topology.members.map((m) => [m.id, memberFiles(topology, m.id)])),
    audit: {
      user: userInfo().username,
      host: hostname(),
      gitCommit: gitCommit(),
      ciRunId: process.env.GITHUB_RUN_ID ?? process.env.CI_JOB_ID ?? null,
      node: process.version,
    },
  });

  const offInterrupt = onInterrupt(async (why) => {
    if (!journal.isClosed) journal.append("run-end", { status: "aborted", error: why });
    await writeReport();
  });

  let ensemble: StartedEnsemble | undefined;
  let ctx: DrillContext | undefined;
  let watch: LeadershipWatch | undefined;
  let status: RunStatus = "passed";
  let error: string | null = null;
  try {
    ensemble = await StartedEnsemble.start({ runId, topology, image: images.zookeeper, toxiproxyImage: images.toxiproxy, logDir: join(reportDir, "logs"), jvmFlags: def.jvmFlags });
    watch = new LeadershipWatch(ensemble, journal, (leader) => opts.live?.({ leader }));
    watch.start();
    ctx = new DrillContext(ensemble, journal, seed, opts.quick ?? false, progress, opts.live);
    journal.append("note", {
      what: "ensemble started",
      members: await ensemble.running(),
      ports: Object.fromEntries(topology.members.map((m) => [m.id, ensemble!.endpoint(m.id).port])),
      network: ensemble.network.describe(),
    });
    await def.run(ctx);
  } catch (err) {
    status = "failed";
    error = err instanceof CheckFailed ? err.message : `${errorText(err)}${err instanceof Error && err.stack ? `\n${err.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
  } finally {
    await watch?.stop();
    // The run's outcome is already decided; a workload that will not stop cleanly is said, not hidden.
    await ctx?.abandonWorkload().catch((err) => progress(`workload did not stop cleanly: ${errorText(err)}`));
    if (ensemble && !opts.keep) {
      await ensemble.teardown().catch((err) => {
        status = "failed";
        error = `${error ?? ""}\nteardown failed: ${errorText(err)}; run: zkdrill down ${runId}`.trim();
      });
    }
    offInterrupt();
  }
  journal.append("run-end", { status, error, rtoMs: ctx?.metrics.rtoMs ?? null, throughputByPhase: ctx?.throughputByPhase() ?? {}, kept: opts.keep ?? false });
  const report = await writeReport();
  return { status, reportDir, report, runId };
}
