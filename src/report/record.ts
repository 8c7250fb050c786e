// The DR test record (SOC 2 A1.3, ISO 22301 8.5, DORA art. 11/25, PCI DSS 12.10.2): what an auditor
// signs. Test id and type, scenario, scope, when, who, objectives against what was measured, findings
// with a severity, actions for the team and a sign-off block. A pure function of the journal, so
// report.json carries it and `zkdrill report verify` recomputes it like the rest.
import type { JournalEvent } from "../journal";
import { buildReport, DrillReport } from "./verdict";
import { DEFAULT_TEST_TYPE, recordInputOf } from "./record-input";

export type RecordSeverity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITY_ORDER: readonly RecordSeverity[] = ["critical", "high", "medium", "low", "info"];

/** met / missed come from a check (or the floor below); the rest say why there is no verdict. */
export type ObjectiveResult = "met" | "missed" | "not judged" | "no objective";

export interface ObjectiveRow {
  readonly what: "RTO" | "RPO" | "Throughput floor" | "Writes lost" | "Throughput during faults";
  readonly unit: "s" | "ops/s" | "writes" | "of baseline";
  /** The declared objective (a bound: at most for RTO/RPO, at least for throughput), or null. */
  readonly objective: number | null;
  readonly measured: number | null;
  readonly result: ObjectiveResult;
  /** What the figure is, or why there is none. */
  readonly detail: string;
}

export interface RecordFinding {
  readonly severity: RecordSeverity;
  readonly title: string;
  readonly detail: string;
  /** check: a check that failed or could not judge; figure: measured, not asserted; run: how the run ended. */
  readonly source: "check" | "figure" | "run";
}

export interface RecordAction {
  readonly action: string;
  readonly owner: string;
  /** YYYY-MM-DD, or "" for the team to fill. */
  readonly due: string;
}

export interface DrillRecord {
  /** The run id: unique per run, printed on every rendering. */
  readonly testId: string;
  readonly type: string;
  readonly drill: string;
  readonly procedure: string;
  readonly scenario: string;
  readonly ticket: string | null;
  readonly scope: {
    readonly summary: string;
    readonly topology: string;
    readonly zones: readonly string[];
    readonly members: ReadonlyArray<{ id: number; zone: string; role: string; standby: boolean }>;
    readonly zookeeperVersion: string;
    readonly images: readonly string[];
  };
  readonly when: { readonly date: string; readonly startedAt: string; readonly endedAt: string | null; readonly durationS: number };
  readonly who: { readonly lead: string | null; readonly observers: readonly string[]; readonly ranBy: string; readonly ciRunId: string | null };
  /** The drill's version: the git commit it ran from. */
  readonly drillVersion: string;
  readonly seed: number;
  readonly quick: boolean;
  readonly verdict: DrillReport["status"];
  readonly verdictReason: string;
  /** The outcome the procedure exists to prove, and how its checks judged it (absent for runs recorded before it). */
  readonly headline?: { readonly outcome: string; readonly status: string };
  /** The members compared at the end (issue 26): the reconciliation's verdict and its line, absent in runs recorded before it. */
  readonly reconciliation?: { readonly status: string; readonly line: string };
  readonly objectives: readonly ObjectiveRow[];
  readonly throughput: { readonly meanOpsPerSec: number | null; readonly lowestPhase: { name: string; opsPerSec: number } | null };
  readonly findings: readonly RecordFinding[];
  readonly actions: readonly RecordAction[];
  readonly signOff: ReadonlyArray<{ role: "Lead" | "Observer" | "Approver"; name: string | null }>;
  /** A failed, inconclusive or interrupted test is re-run by this date (YYYY-MM-DD), else null. */
  readonly reRunBy: string | null;
}

export const RERUN_DAYS = 30;

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);
const str = (v: unknown, fallback: string) => (v === undefined || v === null || v === "" ? fallback : String(v));

const CHECK_RESULT: Record<string, ObjectiveResult> = { passed: "met", failed: "missed", inconclusive: "not judged" };
const FINDING_SEVERITY: Record<string, RecordSeverity> = { critical: "critical", warning: "medium", info: "info" };

export function buildRecord(events: readonly JournalEvent[], report: DrillReport = buildReport(events)): DrillRecord {
  const start = events.find((e) => e.type === "run-start");
  if (!start) throw new Error("the journal has no run-start record");
  const d = start.data;
  const input = recordInputOf(d.record);
  const audit = (d.audit ?? {}) as Record<string, unknown>;
  const end = events.find((e) => e.type === "run-end");
  const last = end ?? events[events.length - 1];
  const throughput = throughputOf(events, report);
  const objectives = objectiveRows(report, throughput);
  const reRunBy = report.status === "passed" ? null : addDays(report.startedAt, RERUN_DAYS);
  const lead = input.operator ?? null;
  const observers = input.observers ?? [];
  return {
    testId: report.runId,
    type: input.type ?? DEFAULT_TEST_TYPE,
    drill: report.drill,
    procedure: report.procedure,
    scenario: input.scenario ?? str(d.description, report.drill),
    ticket: input.ticket ?? null,
    scope: scopeOf(d, events.find((e) => e.type === "note" && e.data.what === "engine and images")?.data.images),
    when: { date: report.startedAt.slice(0, 10), startedAt: report.startedAt, endedAt: report.endedAt, durationS: round((Date.parse(last.ts) - Date.parse(start.ts)) / 1000, 1) },
    who: { lead, observers, ranBy: `${str(audit.user, "unknown")}@${str(audit.host, "unknown")}`, ciRunId: audit.ciRunId ? String(audit.ciRunId) : null },
    drillVersion: str(audit.gitCommit, "unknown"),
    seed: report.seed,
    quick: d.quick === true,
    verdict: report.status,
    verdictReason: report.statusReason,
    ...(report.headline ? { headline: { outcome: report.headline.outcome, status: report.headline.status } } : {}),
    ...reconciliationOf(events),
    objectives,
    throughput,
    findings: findingsOf(report, objectives),
    actions: reRunBy ? [{ action: `Find the cause, fix it, and re-run the drill (a ${report.status} test is re-run within ${RERUN_DAYS} days)`, owner: lead ?? "", due: reRunBy }] : [],
    signOff: [{ role: "Lead", name: lead }, ...(observers.length ? observers : [null]).map((name) => ({ role: "Observer" as const, name })), { role: "Approver", name: null }],
    reRunBy,
  };
}

/** `ready`: the images as noted once the engine answered (run-start comes first; older journals hold them there). */
function scopeOf(d: Record<string, unknown>, ready: unknown): DrillRecord["scope"] {
  const t = (d.topology ?? {}) as { name?: string; zones?: Array<{ name: string; region: string }>; members?: Array<{ id: number; zone: string; role?: string; standby?: boolean }> };
  const members = (t.members ?? []).map((m) => ({ id: m.id, zone: m.zone, role: m.role ?? "participant", standby: m.standby === true }));
  const zones = (t.zones ?? []).map((z) => `${z.name} (${z.region})`);
  const images = Object.values((d.images ?? ready ?? {}) as Record<string, { name?: string }>).map((i) => str(i.name, "unknown"));
  const voters = members.filter((m) => m.role === "participant" && !m.standby).length;
  const observers = members.filter((m) => m.role === "observer").length;
  const standby = members.filter((m) => m.standby).length;
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const parts = [n(voters, "voter"), observers ? n(observers, "observer") : "", standby ? `${standby} standby` : ""].filter(Boolean).join(", ");
  const version = str(d.zookeeperVersion, "unknown");
  return {
    summary: `ZooKeeper ${version}, ${n(members.length, "member")} (${parts}) in ${n(zones.length, "zone")}: ${zones.join(", ") || "none recorded"}; topology ${str(t.name, "unnamed")}`,
    topology: str(t.name, "unnamed"),
    zones,
    members,
    zookeeperVersion: version,
    images,
  };
}

/**
 * Throughput as the record states it: the mean of the workload's per-second samples, and the
 * lowest phase mean (a floor applies to each phase the drill measured, the weakest one decides).
 */
function throughputOf(events: readonly JournalEvent[], report: DrillReport): DrillRecord["throughput"] {
  const samples = events.filter((e) => e.type === "sample").map((e) => Number((e.data as { ok?: unknown }).ok));
  const mean = samples.length ? round(samples.reduce((a, b) => a + b, 0) / samples.length, 1) : null;
  const phases = Object.entries(report.metrics.throughputByPhase).sort((a, b) => a[1] - b[1]);
  return { meanOpsPerSec: mean, lowestPhase: phases.length ? { name: phases[0][0], opsPerSec: phases[0][1] } : null };
}

/** The check's verdict; an objective declared with no check recorded (the run ended first) is not judged. */
function judged(check: DrillReport["checks"][number] | undefined, objective: number | undefined): ObjectiveResult {
  if (check) return CHECK_RESULT[check.status];
  return objective === undefined ? "no objective" : "not judged";
}

function objectiveRows(report: DrillReport, tp: DrillRecord["throughput"]): ObjectiveRow[] {
  const check = (kind: string) => report.checks.find((c) => c.kind === kind);
  const ms = (v: number | undefined | null) => (v === undefined || v === null ? null : round(v / 1000));
  const m = report.metrics;
  const rtoCheck = check("rto-objective");
  const rpoCheck = check("rpo-objective");
  const rto: ObjectiveRow = {
    what: "RTO",
    unit: "s",
    objective: ms(report.objectives.rtoMs),
    measured: ms(m.rtoMs),
    result: judged(rtoCheck, report.objectives.rtoMs),
    detail: rtoCheck?.summary ?? (m.rtoMs === null ? "not measured: no fault while the workload ran" : `longest clients' outage over ${report.faults.length} fault(s): last acknowledged write before it to the first after the fault`),
  };
  const rpoMeasured = m.rpoMs !== null && m.writesLost !== null ? ms(m.rpoMs) : null;
  const rpo: ObjectiveRow = {
    what: "RPO",
    unit: "s",
    objective: ms(report.objectives.rpoMs),
    measured: rpoMeasured,
    result: judged(rpoCheck, report.objectives.rpoMs),
    detail: rpoCheck?.summary ?? m.rpo ?? (m.writesLost === null ? "not measured: no member was read after the last fault" : `${m.writesLost} acknowledged write(s) lost`),
  };
  const floor = report.objectives.minOpsPerSec ?? null;
  const measured = tp.lowestPhase?.opsPerSec ?? tp.meanOpsPerSec;
  const where = tp.lowestPhase ? `lowest phase mean ("${tp.lowestPhase.name}")` : tp.meanOpsPerSec !== null ? "mean over the run (no phase marked)" : "no workload ran";
  // The "throughput-floor" check decides (src/checks/throughput.ts); a run recorded before it had one is judged here.
  const floorCheck = check("throughput-floor");
  const throughput: ObjectiveRow = {
    what: "Throughput floor",
    unit: "ops/s",
    objective: floor,
    measured,
    result: floorCheck ? CHECK_RESULT[floorCheck.status] : floor === null ? "no objective" : measured === null ? "not judged" : measured >= floor ? "met" : "missed",
    detail: floorCheck?.summary ?? (measured === null ? "not measured: no workload ran" : `${where}; mean over the run ${tp.meanOpsPerSec ?? "-"} ops/s`),
  };
  return [rto, rpo, throughput, ...writesLostRow(report), ...throughputShareRow(report)];
}

/** Zero data loss as a count (shown when the drill declares it, or a run judged it). */
function writesLostRow(report: DrillReport): ObjectiveRow[] {
  const c = report.checks.find((x) => x.kind === "writes-lost-objective");
  const objective = (report.objectives.maxWritesLost as number | undefined) ?? null;
  if (objective === null) return [];
  const lost = (c?.evidence as { lost?: number } | undefined)?.lost;
  return [{ what: "Writes lost", unit: "writes", objective, measured: lost ?? null, result: judged(c, objective ?? undefined), detail: c?.summary ?? "not judged: no member was read after the last fault" }];
}

/** Throughput while a fault happens, as a share of the baseline: the weakest of the drill's throughput checks decides. */
function throughputShareRow(report: DrillReport): ObjectiveRow[] {
  const checks = report.checks.filter((x) => x.kind === "throughput" || x.kind === "kafka-throughput");
  const objective = (report.objectives.minThroughputRatio as number | undefined) ?? null;
  // Shown where the drill declares it (runs recorded before objectives carried it keep their record as it was).
  if (objective === null) return [];
  const ratios = checks.map((c) => (c.evidence as { ratio?: number } | undefined)?.ratio).filter((r): r is number => typeof r === "number");
  const worst = checks.find((c) => c.status === "failed") ?? checks.find((c) => c.status === "inconclusive") ?? checks[0];
  return [{
    what: "Throughput during faults",
    unit: "of baseline",
    objective,
    measured: ratios.length ? round(Math.min(...ratios)) : null,
    result: judged(worst, objective ?? undefined),
    detail: checks.length ? checks.map((c) => c.summary).join("; ") : "not judged: no throughput check was recorded",
  }];
}

function findingsOf(report: DrillReport, objectives: readonly ObjectiveRow[]): RecordFinding[] {
  const out: RecordFinding[] = [];
  if (report.status === "aborted") out.push({ severity: "high", title: "the run was interrupted", detail: `${report.statusReason}; the test is not complete: re-run it`, source: "run" });
  else if (report.status === "failed" && !report.checks.some((c) => c.status === "failed")) out.push({ severity: "high", title: "the run failed outside a check", detail: report.statusReason, source: "run" });
  for (const c of report.checks) {
    if (c.status === "failed") out.push({ severity: "high", title: c.name, detail: c.summary, source: "check" });
    else if (c.status === "inconclusive") out.push({ severity: "medium", title: c.name, detail: c.summary, source: "check" });
  }
  // The floor judged here (no check of its own) is a measured figure; a floor check is listed with the checks above.
  const floor = report.checks.some((c) => c.kind === "throughput-floor") ? undefined : objectives.find((o) => o.what === "Throughput floor");
  if (floor && floor.result === "missed") out.push({ severity: "medium", title: "throughput below the floor", detail: `${floor.measured} ops/s, objective at least ${floor.objective} ops/s (${floor.detail})`, source: "figure" });
  if (floor && floor.result === "not judged") out.push({ severity: "medium", title: "throughput floor not judged", detail: floor.detail, source: "figure" });
  for (const f of report.findings) out.push({ severity: FINDING_SEVERITY[f.severity] ?? "medium", title: f.name, detail: f.text, source: "figure" });
  // Worst first; the journal's order within one severity.
  return out.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER.indexOf(a.f.severity) - SEVERITY_ORDER.indexOf(b.f.severity) || a.i - b.i).map((x) => x.f);
}

/** The last reconciliation: its check's verdict and line, or the note saying why the members were not compared. */
function reconciliationOf(events: readonly JournalEvent[]): { reconciliation?: DrillRecord["reconciliation"] } {
  const last = [...events].reverse().find((e) => (e.type === "check" && e.data.kind === "reconciled") || (e.type === "note" && e.data.what === "members reconciled"));
  if (!last) return {};
  return last.type === "check" ? { reconciliation: { status: String(last.data.status), line: String(last.data.summary) } } : { reconciliation: { status: "not judged", line: String(last.data.text) } };
}
