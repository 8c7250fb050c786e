// Before a drill run starts anything: its input checked (exit 2 on a mistake, nothing started; the dry run
// checks the same way), then the report folder and journal opened with run-start and the audit header, and
// only then the engine and the images: the record starts before anything touches the engine.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { hostname, release, userInfo } from "node:os";
import { join, relative, resolve } from "node:path";
import type { Objectives } from "../checks";
import { allSettledOrThrow, errorText, newSeed, PACKAGE_ROOT } from "../common";
import { HistoryRecorder } from "../history";
import { ensureImages, ensureKafkaImage, ensureZookeeperImage, ImageRef, spreadImage, type Spread } from "../images";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION } from "../images";
import { Journal } from "../journal";
import type { RecordInput } from "../report";
import { MetricsServer, startMetricsServer } from "../metrics";
import { checkEngine, checkRunEngines, hostTrouble, onInterrupt, rememberEngines } from "../docker";
import { newRunId } from "../runtime";
import { analyse, loadTopology, memberFiles, parseTopology, placeOnHosts, remoteHosts, resolveTopologyPath, Topology, TopologyError, versionAtLeast } from "../topology";
import { missingNeeds } from "./needs";
import { DrillDefinition, DrillInputError, readOnlyModeTopology } from "./definition";
import { affectedDefault, stanceOf } from "./known-bug";

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
  /** Zones placed on other hosts' engines for this run (`--hosts a2=ssh://ops@zk2,...`), over the topology's own. */
  readonly hosts?: Readonly<Record<string, string>>;
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
  /** The drill's file, when it came from one: its SHA-256 goes into the audit header. */
  readonly drillFile?: string;
  /** Work on the engine before this run's (the CLI removes stale runs): done after run-start, never before. */
  readonly beforeEngine?: () => Promise<unknown>;
  readonly progress?: (line: string) => void;
  /** What a live view shows: the current step, the last second's ops/s, who leads. */
  readonly live?: (update: LiveUpdate) => void;
}


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
  // A known-bug upgrade drill's bug is in what it upgrades to: --zk-version names that (the fixed run).
  const bugTarget = def.knownBug && def.upgrade ? opts.zkVersion : undefined;
  if (def.upgrade && opts.zkVersion && !bugTarget) throw new DrillInputError(`${def.name} is an upgrade drill: give --from-version and --to-version, not --zk-version`);
  if (bugTarget && opts.toVersion) throw new DrillInputError(`${def.name}: --zk-version names the version it upgrades to; give it or --to-version, not both`);
  // A known-bug drill runs on an affected version unless told otherwise.
  const bugDefault = def.knownBug && !def.upgrade ? affectedDefault(def.knownBug) : undefined;
  const zkVersion = opts.fromVersion ?? def.upgrade?.from ?? opts.zkVersion ?? bugDefault ?? DEFAULT_ZOOKEEPER_VERSION;
  const upgradeTo = def.upgrade ? (opts.toVersion ?? bugTarget ?? def.upgrade.to) : undefined;
  for (const v of [zkVersion, ...(upgradeTo ? [upgradeTo] : [])]) {
    checkZookeeperVersion(v);
    const min = def.versions?.min;
    if (min && !versionAtLeast(v, min)) throw new DrillInputError(`${def.name} runs on ZooKeeper ${min} or later${def.versions?.why ? ` (${def.versions.why})` : ""}; ${v} is older: give --zk-version ${min}.x or later`);
  }
  return { zkVersion, upgradeTo };
}

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: PACKAGE_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
}

/** The commit zkdrill runs from, "-dirty" when tracked files differ from it; an installed package says its version. */
function gitCommit(): string {
  try {
    const sha = git(["rev-parse", "HEAD"]);
    return git(["status", "--porcelain", "--untracked-files=no"]) === "" ? sha : `${sha}-dirty`;
  } catch {
    return `none (not a git checkout: zkdrill ${packageVersion()} as installed)`;
  }
}

function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/** A drill file outside zkdrill's repository is not named by the commit: its own hash says which one ran. */
function drillFileAudit(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  const rel = relative(PACKAGE_ROOT, path);
  const inRepository = !rel.startsWith("..") && !rel.startsWith("/");
  return { drillFile: { path: inRepository ? rel : path, inRepository, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") } };
}

function utcStamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** What the input checks settle: the same for a run and for a dry run. */
export interface Checked {
  readonly topology: Topology;
  readonly zkVersion: string;
  readonly upgradeTo?: string;
  /** The files each member starts with on this version. */
  readonly configs: Record<number, ReturnType<typeof memberFiles>>;
}

/**
 * Everything a run refuses before it starts (exit 2, nothing started, no folder made). A dry run calls this
 * too, so it refuses exactly what the run would, with the same message.
 */
export function preflight(def: DrillDefinition, opts: RunOptions): Checked {
  const { zkVersion, upgradeTo } = drillVersions(def, opts);
  const placed = opts.hosts ? placeOnHosts(resolveDrillTopology(def, opts.topology), opts.hosts) : resolveDrillTopology(def, opts.topology);
  const topology = readOnlyModeTopology(def, placed, zkVersion);
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
  return { topology, zkVersion, upgradeTo, configs };
}

/** What `prepare` settles before anything starts: inputs checked, the journal opened, images provided. */
export interface Prepared {
  readonly topology: Topology;
  readonly zkVersion: string;
  readonly upgradeTo?: string;
  readonly images: Awaited<ReturnType<typeof ensureImages>>;
  readonly byVersion: Map<string, ImageRef>;
  readonly seed: number;
  readonly runId: string;
  readonly reportDir: string;
  readonly journal: Journal;
  readonly history: HistoryRecorder;
  readonly objectives: Objectives;
  readonly metrics?: MetricsServer;
}

/** An interrupt while the engine and images were being readied: the journal ends aborted, the exit is 130. */
export class PrepareInterrupted extends Error {
  override name = "Interrupted";
}

/** Bad input fails first (exit 2, nothing written); then the folder and run-start; then the engine and images. */
export async function prepare(def: DrillDefinition, opts: RunOptions): Promise<Prepared> {
  const progress = opts.progress ?? (() => {});
  const { topology, zkVersion, upgradeTo, configs } = preflight(def, opts);

  const seed = opts.seed ?? newSeed();
  const runId = newRunId(def.name.slice(0, 24));
  // Before anything is written: a taken port is bad input (exit 2), with no folder made and nothing started.
  const metrics = opts.metricsPort === undefined ? undefined : await startMetricsServer(opts.metricsPort, { drill: def.name, runId, zookeeperVersion: zkVersion });
  // ./reports under the working directory, not the package's folder: an installed tool writes where it is run.
  const reportDir = resolve(opts.reportDir ?? join("reports", `${def.name}-${utcStamp()}`));
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
    // The version under test is an upgrade drill's target.
    ...(def.knownBug ? { knownBug: { ...def.knownBug, run: { version: upgradeTo ?? zkVersion, stance: stanceOf(def.knownBug, upgradeTo ?? zkVersion) } } } : {}),
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
    topology,
    survivability: analyse(topology),
    configs,
    audit: { user: userInfo().username, host: hostname(), gitCommit: gitCommit(), ...drillFileAudit(opts.drillFile), ciRunId: process.env.GITHUB_RUN_ID ?? process.env.CI_JOB_ID ?? null, node: process.version, kernel: release() },
  });

  // From here on the folder is the record: an interrupt or a failure before the run proper ends it with run-end.
  let interrupted: (why: string) => void = () => {};
  const interruption = new Promise<never>((_, reject) => (interrupted = (why) => reject(new PrepareInterrupted(why))));
  interruption.catch(() => {});
  const off = onInterrupt(async (why) => interrupted(why));
  try {
    const engine = await Promise.race([engineAndImages(opts, topology, zkVersion, upgradeTo, progress), interruption]);
    // Engine, kernel and images: in the audit header beside run-start (src/report/model.ts reads them together).
    journal.append("note", { what: "engine and images", engine: engine.engine, images: engine.images, ...(engine.hosts ? { hosts: engine.hosts } : {}) });
    return { topology, zkVersion, upgradeTo, images: engine.zookeeperImages, byVersion: engine.byVersion, seed, runId, reportDir, journal, history, objectives, metrics };
  } catch (err) {
    const aborted = err instanceof PrepareInterrupted;
    const environment = !aborted && (hostTrouble(err) !== undefined || (err instanceof Error && err.name === "EngineError"));
    journal.append("run-end", { status: aborted ? "aborted" : "failed", error: aborted ? err.message : errorText(err), aborted, ...(environment ? { environment: true } : {}), throughputByPhase: {}, kept: false, before: "the ensemble started" });
    await metrics?.close();
    throw err;
  } finally {
    off();
  }
}

async function engineAndImages(opts: RunOptions, topology: Topology, zkVersion: string, upgradeTo: string | undefined, progress: (line: string) => void) {
  const engine = await checkEngine();
  // Zones on other hosts: their engines in this machine's swarm, checked before anything starts.
  const hosts = remoteHosts(topology);
  const engines = hosts.length > 0 ? await checkRunEngines(hosts) : [];
  await opts.beforeEngine?.();
  // Side by side, each built as soon as its own inputs are there (src/images shares the base and takes turns with Maven).
  const drillImages = ensureImages(zkVersion, { progress });
  // Kafka's image when the topology runs brokers (src/topology/brokers.ts): in the audit header with the rest.
  const kafkaImaging = topology.kafka ? ensureKafkaImage({ progress }) : Promise.resolve(undefined);
  // Never the same image twice at once: two builds of one tag would race.
  const upgradeImage = upgradeTo && upgradeTo !== zkVersion ? ensureZookeeperImage(upgradeTo, { progress }) : Promise.resolve(undefined);
  await allSettledOrThrow<unknown>([drillImages, kafkaImaging, upgradeImage]);
  const images = await drillImages;
  const kafkaImage = await kafkaImaging;
  const byVersion = new Map([[zkVersion, images.zookeeper]]);
  if (upgradeTo) byVersion.set(upgradeTo, (await upgradeImage) ?? images.zookeeper);
  // ZooKeeper's images on every other host (gateways, brokers and tools run on this machine).
  const spread: Spread[] = [];
  for (const host of hosts) {
    for (const image of byVersion.values()) {
      const s = await spreadImage(image.name, host);
      progress(`image ${image.name} on ${host}: ${s.action}${s.action === "loaded" ? ` in ${(s.ms / 1000).toFixed(1)} s` : ""}`);
      spread.push(s);
    }
  }
  if (hosts.length > 0) rememberEngines(hosts);
  return {
    engine,
    hosts: hosts.length > 0 ? { engines, images: spread } : undefined,
    zookeeperImages: images,
    images: kafkaImage ? { ...images, kafka: { name: kafkaImage.name, kind: kafkaImage.kind, id: kafkaImage.id } } : images,
    byVersion,
  };
}
