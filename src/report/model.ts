// What every rendering shows, derived from the journal alone (plus the hashes of the files beside
// it): the audit header, the verdict and its figures, and the series the charts draw.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { buildReport, DrillReport } from "./verdict";
import type { JournalEvent } from "../journal";
import { buildRecord, DrillRecord } from "./record";


/** Kinds that mended, for journals written before a fault record carried its effect. */
const LEGACY_RECOVERIES = ["start", "restart", "heal", "unpause", "restore", "promotion"];

export interface ImageInfo {
  readonly name: string;
  readonly kind: string;
  readonly id: string;
}

export interface Audit {
  readonly drill: string;
  readonly procedure: string;
  readonly description: string;
  readonly gitCommit: string;
  readonly user: string;
  readonly host: string;
  readonly ciRunId: string | null;
  readonly node: string;
  readonly runId: string;
  readonly seed: number;
  readonly quick: boolean;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly zookeeperVersion: string;
  readonly images: Readonly<Record<string, ImageInfo>>;
  readonly network: string;
  /** The Docker engine's version and the kernel the containers ran on ("not recorded" in older journals). */
  readonly engine: string;
  readonly kernel: string;
  /** The drill file and its SHA-256 (the commit does not name a file outside the repository). */
  readonly drillFile: { readonly path: string; readonly inRepository: boolean; readonly sha256: string } | null;
}

export interface Marker {
  /** Seconds since the run started. */
  readonly t: number;
  readonly label: string;
  readonly kind: "fault" | "recovery" | "partition";
}

export interface LeaderInterval {
  readonly member: number;
  readonly epoch: number | null;
  readonly t0: number;
  readonly t1: number;
}

export interface Artifact {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ReportModel {
  readonly report: DrillReport;
  /** The DR test record every rendering opens with. */
  readonly record: DrillRecord;
  readonly audit: Audit;
  readonly topologyYaml: unknown;
  /** Member id -> the files it started with. */
  readonly configs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly configChanges: ReadonlyArray<{ t: number; member: number; config: string }>;
  readonly steps: ReadonlyArray<DrillReport["steps"][number] & { durationMs: number | null }>;
  readonly series: ReadonlyArray<{ t: number; ops: number; p99Ms: number; errors: number }>;
  /** Kafka's producer perf tool, one point per line it printed (records/s over its ~5 s window). */
  readonly kafka: ReadonlyArray<{ t: number; recordsPerSec: number }>;
  /** Each member's ZooKeeper version from the start, and again after every upgrade or downgrade. */
  readonly versions: ReadonlyArray<{ t: number; versions: Readonly<Record<string, string>> }>;
  readonly markers: readonly Marker[];
  readonly leaders: readonly LeaderInterval[];
  /** Windows with no single leader (none, or an election under way). */
  readonly leaderless: ReadonlyArray<{ t0: number; t1: number }>;
  readonly members: readonly number[];
  readonly durationS: number;
  readonly rpo: string | null;
  /** The evidence files beside the journal and their SHA-256 (the renderings themselves excluded). */
  readonly artifacts: readonly Artifact[];
  /** Wall-clock ms the run started (times in the report count from it). */
  readonly t0: number;
  /** The history's final anchor, when the run recorded one. */
  readonly history: { lines: number; sha256: string } | null;
}

/** The files a rendering writes: they are hashed in SHA256SUMS, not in the renderings. */
export const RENDERED = ["report.md", "report.html", "junit.xml", "SHA256SUMS", "report.png", "report.pdf", "metrics.prom"];

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Every file under `dir` (sorted, relative), except `exclude`. */
export function listFiles(dir: string, exclude: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!exclude.includes(relative(dir, p))) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

export function artifactsOf(dir: string): Artifact[] {
  return listFiles(dir, RENDERED).map((path) => ({ path, bytes: statSync(join(dir, path)).size, sha256: sha256File(join(dir, path)) }));
}

const str = (v: unknown, fallback = "unknown") => (v === undefined || v === null ? fallback : String(v));

export function buildModel(events: readonly JournalEvent[], artifacts: readonly Artifact[] = []): ReportModel {
  const report = buildReport(events);
  const start = events.find((e) => e.type === "run-start")!;
  const end = events.find((e) => e.type === "run-end");
  const t0 = Date.parse(start.ts);
  const tEnd = Date.parse(end?.ts ?? events[events.length - 1].ts);
  const sec = (ts: string) => (Date.parse(ts) - t0) / 1000;
  const d = start.data;
  const audit0 = (d.audit ?? {}) as Record<string, unknown>;
  // run-start is written before the engine is asked (src/drill/prepare.ts); older journals carry images in it.
  const ready = events.find((e) => e.type === "note" && e.data.what === "engine and images")?.data;
  const images = (d.images ?? ready?.images ?? {}) as Record<string, ImageInfo>;
  const engine = (ready?.engine ?? {}) as { version?: string; apiVersion?: string; kernel?: string };
  const started = events.find((e) => e.type === "note" && e.data.what === "ensemble started");
  const net = (started?.data.network ?? {}) as { kind?: string; latencyApplied?: boolean };

  const audit: Audit = {
    drill: str(d.drill),
    procedure: str(d.procedure, ""),
    description: str(d.description, ""),
    gitCommit: str(audit0.gitCommit),
    user: str(audit0.user),
    host: str(audit0.host),
    ciRunId: audit0.ciRunId ? String(audit0.ciRunId) : null,
    node: str(audit0.node),
    runId: str(d.runId),
    seed: Number(d.seed),
    quick: Boolean(d.quick),
    startedAt: start.ts,
    endedAt: end?.ts ?? null,
    zookeeperVersion: str(d.zookeeperVersion),
    images,
    engine: engine.version ? `Docker ${engine.version} (API ${str(engine.apiVersion)})` : "not recorded",
    kernel: str(engine.kernel ?? audit0.kernel, "not recorded"),
    drillFile: (audit0.drillFile as Audit["drillFile"] | undefined) ?? null,
    network: net.kind === "zones" ? "one Docker network per zone, Toxiproxy gateways between zones (latency on the wire)" : net.kind === "single-zone" ? "one zone, one Docker network" : "not recorded",
  };

  const steps = report.steps.map((s) => ({ ...s, durationMs: s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : null }));

  const series = events
    .filter((e) => e.type === "sample")
    .map((e) => {
      const s = e.data as { at: number; ok: number; p99Ms: number; errors: Record<string, number> };
      return { t: (s.at - t0) / 1000, ops: s.ok, p99Ms: s.p99Ms, errors: Object.values(s.errors ?? {}).reduce((a, b) => a + b, 0) };
    });

  const kafka = events
    .filter((e) => e.type === "metric" && e.data.series === "kafka-producer")
    .map((e) => ({ t: (Number(e.data.at) - t0) / 1000, recordsPerSec: Number(e.data.recordsPerSec) }));
  const members0 = ((d.topology as { members?: Array<{ id: number }> })?.members ?? []).map((x) => x.id);
  const versions = [
    { t: 0, versions: Object.fromEntries(members0.map((id) => [String(id), str(d.zookeeperVersion)])) },
    ...events.filter((e) => e.type === "note" && e.data.what === "member versions").map((e) => ({ t: sec(e.ts), versions: e.data.versions as Record<string, string> })),
  ];

  const markers: Marker[] = [];
  for (const e of events.filter((x) => x.type === "fault")) {
    const kind = String(e.data.kind);
    const members = Array.isArray(e.data.members) ? (e.data.members as number[]).join(",") : "";
    // The fault's row says whether it mends (journaled as its effect); journals from before that field by kind.
    const recovery = e.data.effect !== undefined ? e.data.effect === "recovery" : LEGACY_RECOVERIES.includes(kind);
    // Faults carry the label the RTO table uses; journals from before labels get the kind and members.
    const label = e.data.label ? String(e.data.label) : `${kind} ${members}`.trim();
    markers.push({ t: sec(e.ts), label, kind: kind === "partition" ? "partition" : recovery ? "recovery" : "fault" });
  }

  const members = ((d.topology as { members?: Array<{ id: number }> })?.members ?? []).map((m) => m.id);
  const leaders: LeaderInterval[] = [];
  const leaderless: Array<{ t0: number; t1: number }> = [];
  const changes = events.filter((e) => e.type === "note" && e.data.what === "leadership");
  changes.forEach((e, i) => {
    const from = sec(e.ts);
    const to = i + 1 < changes.length ? sec(changes[i + 1].ts) : (tEnd - t0) / 1000;
    const leader = e.data.leader as number | null;
    if (leader === null) leaderless.push({ t0: from, t1: to });
    else {
      const prev = leaders[leaders.length - 1];
      // Modes of other members changing does not end a leader's term: merge.
      if (prev && prev.member === leader && prev.epoch === e.data.epoch && Math.abs(prev.t1 - from) < 1e-6) (prev as { t1: number }).t1 = to;
      else leaders.push({ member: leader, epoch: (e.data.epoch as number | null) ?? null, t0: from, t1: to });
    }
  });

  const configChanges = events
    .filter((e) => e.type === "note" && e.data.what === "config rewritten")
    .map((e) => ({ t: sec(e.ts), member: Number(e.data.member), config: String(e.data.config) }));

  const finalHistory = [...events].reverse().find((e) => e.type === "history" && e.data.final === true);
  return {
    t0,
    history: finalHistory ? { lines: Number(finalHistory.data.lines), sha256: String(finalHistory.data.sha256) } : null,
    report,
    record: buildRecord(events, report),
    audit,
    topologyYaml: d.topology,
    configs: (d.configs ?? {}) as Record<string, Record<string, string>>,
    configChanges,
    steps,
    series,
    kafka,
    versions,
    markers,
    leaders,
    leaderless,
    members,
    durationS: (tEnd - t0) / 1000,
    rpo: report.metrics.rpo,
    artifacts,
  };
}
