// The verdicts every run gets at its end, from its history and journal alone: ZooKeeper's guarantees
// within each lineage (linearizable writes and compare-and-sets, per-session read order, no two
// committed lineages), the drill's objectives (RTO, RPO), and the figures ZooKeeper does not
// guarantee, measured and stated as findings. `zkdrill report verify` runs this again.
import { performance } from "node:perf_hooks";
import type { Operation } from "../history";
import { FaultRecovery, longestWriteGap, recoveries, rtoWithin, workloadWrites, Election, FaultMark, RtoMethod, ServingMark } from "./availability";
import { LeaderSample, noTwoLeadersPerEpoch } from "./ensemble";
import { forksOf, LineageBreak, splitByLineage, twoEnsemblesAtOnce } from "./lineage";
import { CheckResult, inconclusive, some, verdict } from "./result";
import { sessionOrder } from "./sessions";
import { Phase, RateSample, throughputFloor } from "./throughput";
import type { MemberReads } from "./snapshot";
import { describeLost, LostWritesFigure, lostWrites } from "./writes";
import { checkHistory } from "./zk-register";
import { RECIPE_CHECK_KINDS, recipeCheck, recipesIn } from "./recipes";

/** What the drill promises where ZooKeeper promises nothing; overridable per run. */
export interface Objectives {
  /** Every fault: writes acknowledged again within this many ms. */
  readonly rtoMs?: number;
  /** Across a lineage break: no acknowledged write older than this many ms at the disaster is lost. */
  readonly rpoMs?: number;
  /**
   * At most this many acknowledged writes lost (a count: 0 is zero data loss). Judged on the writes
   * acknowledged before the recovery began (the last lineage window's start; the whole run without one).
   */
  readonly maxWritesLost?: number;
  /** Throughput while a fault happens: at least this share of the baseline's (the drill's throughput checks). */
  readonly minThroughputRatio?: number;
  /** Throughput floor: the lowest phase's mean acknowledged ops/s (the run's mean when no phase is marked) reaches this. */
  readonly minOpsPerSec?: number;
}

export type Severity = "info" | "warning" | "critical";

export interface Finding {
  readonly name: string;
  readonly severity: Severity;
  readonly text: string;
  readonly figure: Record<string, unknown>;
}

export interface RunEvidence {
  readonly ops: readonly Operation[];
  /** The workload's processes (their writes measure the RTO). */
  readonly workload: ReadonlySet<number>;
  /** Each process's ZooKeeper session (lanes of one session share its order). */
  readonly sessionOf: ReadonlyMap<number, string>;
  readonly faults: readonly FaultMark[];
  readonly elections: readonly Election[];
  /** Leaders serving, as their logs say ("Have quorum of supporters"): the RTO's parts. */
  readonly serving: readonly ServingMark[];
  /** How the run's RTO is measured (runs recorded before the clients' outage was: fault to first ack). */
  readonly rtoMethod: RtoMethod;
  readonly breaks: readonly LineageBreak[];
  /** Leaders seen by srvr, each with the voters its configuration lists (split brain is within one). */
  readonly leaderSamples: ReadonlyArray<LeaderSample & { voters: string }>;
  /** The last synced reads the drill took (what survived, for the RPO). */
  readonly lastReads: readonly MemberReads[] | null;
  readonly objectives: Objectives;
  /** The workload's per-second samples and the phases the drill marked (the throughput floor). */
  readonly samples: readonly RateSample[];
  readonly phases: readonly Phase[];
}

export interface AutoCheck {
  readonly kind: string;
  readonly result: CheckResult;
}

export interface RunAnalysis {
  readonly checks: readonly AutoCheck[];
  readonly recoveries: readonly FaultRecovery[];
  readonly longestGapMs: number;
  readonly lost: LostWritesFigure | null;
  readonly findings: readonly Finding[];
  /** Ms each part of the analysis took (report.json's `analysis` shows them). */
  readonly phasesMs: Readonly<Record<string, number>>;
}

/** Bounds for the search: a run's history is judged in seconds, or said to be undecided. */
const SEARCH = { maxSteps: 5_000_000, deadlineMs: 60_000 };

export function analyseRun(e: RunEvidence): RunAnalysis {
  const phasesMs: Record<string, number> = {};
  const timed = <T>(phase: string, work: () => T): T => {
    const t0 = performance.now();
    const result = work();
    phasesMs[phase] = Math.round(performance.now() - t0);
    return result;
  };
  const { lineages, window } = timed("split by lineage", () => splitByLineage(e.ops, e.breaks));
  const checks: AutoCheck[] = [
    { kind: "linearizable", result: timed("linearizable", () => linearizable(lineages, e.breaks, e.sessionOf)) },
    { kind: "session-order", result: timed("session-order", () => perLineage(lineages, (ops) => sessionOrder(ops, e.sessionOf))) },
    { kind: "no-two-leaders", result: srvrSplitBrain(e) },
  ];
  // Forks need concurrent writers: judged when the workload ran.
  if (e.workload.size > 0) checks.push({ kind: "one-lineage", result: timed("one-lineage", () => oneLineage(lineages)) });
  // Each recipe the history shows is judged by its own check, within each lineage (a restore may issue an id again).
  for (const recipe of timed("recipes", () => recipesIn(e.ops))) checks.push({ kind: RECIPE_CHECK_KINDS[recipe], result: timed(RECIPE_CHECK_KINDS[recipe], () => perLineage(lineages, (ops) => recipeCheck(recipe, ops, e.sessionOf))) });
  const { recovered, gap } = timed("recoveries", () => {
    const writes = workloadWrites(e.ops, e.workload);
    return { recovered: recoveries(writes, e.faults, { elections: e.elections, serving: e.serving, method: e.rtoMethod }), gap: longestWriteGap(writes) };
  });
  const lost = timed("writes lost", () => (e.lastReads ? lostWrites(e.ops, { reads: e.lastReads, breaks: e.breaks }) : null));
  if (e.objectives.rtoMs !== undefined) checks.push({ kind: "rto-objective", result: rtoWithin(recovered, { maxMs: e.objectives.rtoMs }) });
  if (e.objectives.rpoMs !== undefined) checks.push({ kind: "rpo-objective", result: rpoWithin(lost, e.objectives.rpoMs) });
  if (e.objectives.maxWritesLost !== undefined) checks.push({ kind: "writes-lost-objective", result: writesLostWithin(lost, e.objectives.maxWritesLost) });
  if (e.objectives.minOpsPerSec !== undefined) checks.push({ kind: "throughput-floor", result: throughputFloor(e.samples, e.phases, e.objectives.minOpsPerSec) });
  const found = timed("findings", () => findings(e, recovered, lost, window));
  return { checks, recoveries: recovered, longestGapMs: gap.gapMs, lost, findings: found, phasesMs };
}

/** A session's view starts again in a new lineage (ZooKeeper lets it reconnect to the newer epoch). */
function perLineage(lineages: readonly (readonly Operation[])[], check: (ops: readonly Operation[]) => CheckResult): CheckResult {
  const results = lineages.map(check);
  if (results.length === 1) return results[0];
  const judged = results.filter((r) => r.status !== "inconclusive");
  const worst = results.find((r) => r.status === "failed") ?? (judged.length === 0 ? results[0] : judged[0]);
  return { ...worst, summary: results.map((r, i) => `lineage ${i}: ${r.summary}`).join("; "), evidence: { lineages: results.map((r) => ({ status: r.status, ...r.evidence })) } };
}

function linearizable(lineages: readonly (readonly Operation[])[], breaks: readonly LineageBreak[] = [], sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  const name = "writes and compare-and-sets are linearizable (per znode, per lineage)";
  const verdicts = lineages.map((ops, i) => {
    const v = checkHistory(ops, { ...SEARCH, initial: i === 0 ? "absent" : "unknown", sessionOf });
    return { lineage: i, v, expected: i > 0 ? breaks[i - 1]?.expectViolation : undefined };
  });
  const judged = verdicts.filter((x) => x.v.operations > 0);
  const evidence = {
    lineages: verdicts.map((x) => ({ lineage: x.lineage, status: x.v.status, ...(x.expected ? { expectedViolation: x.expected } : {}), keys: x.v.keys, operations: x.v.operations, judgedBy: x.v.judgedBy, steps: x.v.steps, failures: x.v.failures.slice(0, 20) })),
  };
  const say = (x: (typeof verdicts)[number]) => {
    const text = x.expected
      ? x.v.status === "not-linearizable"
        ? `not linearizable, as the drill expects (${x.expected}): ${x.v.summary}`
        : `${x.v.status === "linearizable" ? "linearizable" : "undecided"}, but the drill expects a violation (${x.expected}): ${x.v.summary}`
      : x.v.summary;
    return lineages.length > 1 ? `lineage ${x.lineage}: ${text}` : text;
  };
  // A lineage fails when it breaks linearizability unasked, or keeps it when the drill expects it broken.
  const bad = judged.filter((x) => (x.expected ? x.v.status === "linearizable" : x.v.status === "not-linearizable"));
  const missedExpectation = verdicts.filter((x) => x.expected && x.v.operations === 0);
  if (bad.length > 0) return verdict(name, false, some(bad.map(say), 2), evidence);
  if (missedExpectation.length > 0) return inconclusive(name, missedExpectation.map((x) => `lineage ${x.lineage}: the drill expects a violation (${x.expected}) but no operation was recorded to show it`).join("; "), evidence);
  if (judged.length === 0) return inconclusive(name, "no write or compare-and-set to judge", evidence);
  const undecided = judged.filter((x) => x.v.status === "unknown");
  if (undecided.length > 0) return { name, status: "inconclusive", summary: some(undecided.map(say), 2), evidence };
  return verdict(name, true, judged.map(say).join("; "), evidence);
}

/** Split brain in the history: two acknowledged compare-and-sets built on one state, in one lineage. */
function oneLineage(lineages: readonly (readonly Operation[])[]): CheckResult {
  const name = "one committed lineage per znode (no split brain in the history)";
  const cas = lineages.flat().filter((op) => op.f === "cas" && op.outcome === "ok").length;
  if (cas === 0) return inconclusive(name, "no compare-and-set was acknowledged");
  const forks = lineages.flatMap((ops, i) => forksOf(ops).map((f) => ({ lineage: i, ...f })));
  return verdict(
    name,
    forks.length === 0,
    forks.length === 0 ? `${cas} acknowledged compare-and-set(s), none forked` : `${forks.length} fork(s): ${some(forks.map((f) => `${f.path} after ${f.prev}: ${f.writes.map((w) => w.value).join(" and ")}`), 3)}`,
    { acknowledgedCas: cas, forks: forks.slice(0, 50) },
  );
}

/** Two members reporting "leader" in one epoch with the same configured voters. */
function srvrSplitBrain(e: RunEvidence): CheckResult {
  const byView = new Map<string, LeaderSample[]>();
  for (const s of e.leaderSamples) byView.set(s.voters, [...(byView.get(s.voters) ?? []), s]);
  const results = [...byView.values()].map((samples) => noTwoLeadersPerEpoch(samples));
  if (results.length === 0) return noTwoLeadersPerEpoch([]);
  const failed = results.filter((r) => r.status === "failed");
  const r = failed[0] ?? results[0];
  const total = e.leaderSamples.length;
  return { ...r, summary: failed.length ? r.summary : `${total} sample(s) over ${byView.size} configuration(s), one leader per epoch`, evidence: { views: Object.fromEntries([...byView.keys()].map((v, i) => [v, results[i].evidence])) } };
}

function rpoWithin(lost: LostWritesFigure | null, maxMs: number): CheckResult {
  const name = `RPO objective: no write acknowledged more than ${(maxMs / 1000).toFixed(1)} s before the disaster is lost`;
  if (!lost) return inconclusive(name, "the drill read no member after the disaster", { maxMs });
  if (lost.problems.length > 0) return inconclusive(name, some([...lost.problems], 3), { maxMs });
  if (lost.judged === 0) return inconclusive(name, "no acknowledged write to judge", { maxMs });
  const pass = lost.rpoMs <= maxMs;
  return verdict(name, pass, `${lost.lost.length} of ${lost.judged} acknowledged write(s) lost; recovery point ${(lost.rpoMs / 1000).toFixed(2)} s before the disaster`, {
    maxMs,
    rpoMs: lost.rpoMs,
    lost: lost.lost.length,
    judged: lost.judged,
  });
}

function writesLostWithin(lost: LostWritesFigure | null, max: number): CheckResult {
  const name = `objective: at most ${max} acknowledged write(s) lost${max === 0 ? " (zero data loss)" : ""}`;
  if (!lost) return inconclusive(name, "the drill read no member after the last fault", { max });
  if (lost.problems.length > 0) return inconclusive(name, some([...lost.problems], 3), { max });
  if (lost.judgedBeforeRecovery === 0) return inconclusive(name, "no write was acknowledged before the recovery began", { max });
  const count = lost.lostBeforeRecovery.length;
  return verdict(
    name,
    count <= max,
    `${count} of ${lost.judgedBeforeRecovery} write(s) acknowledged before the recovery lost${count ? `: ${some(lost.lostBeforeRecovery.map(describeLost), 3)}` : ""}`,
    { max, lost: count, judged: lost.judgedBeforeRecovery, lostWrites: lost.lostBeforeRecovery.slice(0, 50), recoveryBegan: lost.recoveryBegan },
  );
}

function findings(e: RunEvidence, recovered: readonly FaultRecovery[], lost: LostWritesFigure | null, window: readonly Operation[]): Finding[] {
  const out: Finding[] = [];
  const measured = recovered.filter((r) => r.unmeasured !== "no workload ran at this fault");
  if (measured.length > 0) {
    const longest = measured.reduce((a, b) => ((b.rtoMs ?? Infinity) > (a.rtoMs ?? Infinity) ? b : a));
    const over = e.objectives.rtoMs !== undefined && (longest.rtoMs === null || longest.rtoMs > e.objectives.rtoMs);
    out.push({
      name: "recovery time per fault",
      severity: over ? "warning" : "info",
      text: `longest: ${longest.label}, ${longest.rtoMs === null ? longest.unmeasured : `${(longest.rtoMs / 1000).toFixed(2)} s`}${e.objectives.rtoMs !== undefined ? ` (objective ${(e.objectives.rtoMs / 1000).toFixed(1)} s)` : ""}`,
      figure: { perFault: measured.map((r) => ({ fault: r.label, at: r.at, rtoMs: r.rtoMs, unmeasured: r.unmeasured ?? null, elections: r.elections })) },
    });
  }
  if (lost && lost.lost.length > 0) {
    const broke = e.breaks.length > 0;
    out.push({
      name: broke ? "acknowledged writes lost across the recovery" : "acknowledged writes lost",
      severity: broke ? "warning" : "critical",
      text: `${lost.lost.length} acknowledged write(s) lost${broke ? ` in "${e.breaks[e.breaks.length - 1].name}"` : ""}, acknowledged ${ageText(lost)}: ${some(lost.lost.map(describeLost), 3)}`,
      figure: { lost: lost.lost.slice(0, 200), count: lost.lost.length, rpoMs: lost.rpoMs, judged: lost.judged },
    });
  }
  // The window the runbooks warn about (P5: a target still forwarding to the old leader): writes the
  // old ensemble acknowledged inside a recovery window that the new one never received, and how long
  // both ensembles acknowledged at once (told apart by epoch). Measured for every lineage break.
  // Built only when there is a lineage break to measure: a soak has none, and a million operations.
  const byValue = e.breaks.length === 0 ? new Map<string, Operation>() : new Map(e.ops.filter((op) => typeof op.value === "string").map((op) => [op.value as string, op] as const));
  const overlaps = new Map(e.breaks.length === 0 ? [] : twoEnsemblesAtOnce(e.ops, e.breaks).map((t) => [t.lineage, t] as const));
  for (const b of e.breaks) {
    const inWindow = (lost?.lost ?? []).filter((w) => w.ackedMono >= b.start && w.ackedMono <= b.end);
    const t = overlaps.get(b.name);
    if (inWindow.length === 0 && !t) continue;
    const servers = [...new Set(inWindow.map((w) => byValue.get(w.value)?.server).filter((x): x is number => x !== undefined))].sort((x, y) => x - y);
    const spanMs = inWindow.length ? Math.round(inWindow[inWindow.length - 1].ackedMono - inWindow[0].ackedMono) : 0;
    const lostText = inWindow.length
      ? `for ${(spanMs / 1000).toFixed(2)} s the old ensemble acknowledged writes the new one never received: ${inWindow.length} lost, acknowledged between ${new Date(inWindow[0].ackedAt).toISOString()} and ${new Date(inWindow[inWindow.length - 1].ackedAt).toISOString()}${servers.length ? ` through member(s) ${servers.join(", ")}` : ""}`
      : "no write acknowledged inside the window was lost";
    const overlapText = !t ? "" : t.oldAcksAfter.length === 0 ? `; the old ensemble (epoch ${t.oldEpoch}) acknowledged nothing after the new one (epoch ${t.newEpoch}) acknowledged its first write` : `; both acknowledged at once for ${(t.overlapMs / 1000).toFixed(2)} s (epoch ${t.oldEpoch} ${t.oldAcksAfter.length} more after epoch ${t.newEpoch}'s first)`;
    out.push({
      name: "the recovery window's split: old and new ensembles",
      severity: inWindow.length > 0 || (t?.oldAcksAfter.length ?? 0) > 0 ? "warning" : "info",
      text: `"${b.name}": ${lostText}${overlapText}`,
      figure: { lineage: b.name, lostInWindow: inWindow.length, spanMs, servers, firstLostAckAt: inWindow[0]?.ackedAt ?? null, lastLostAckAt: inWindow[inWindow.length - 1]?.ackedAt ?? null, ...(t ? { overlap: { ...t, oldAcksAfter: t.oldAcksAfter.slice(0, 100) } } : {}) },
    });
  }
  // Two sides acknowledging at once: forks with two writes acknowledged inside one window (a write
  // lost before the window and overwritten after it is the RPO's, not this).
  const ret = new Map(window.length === 0 ? [] : e.ops.map((op) => [op.id, op.ret] as const));
  const windowForks = window.length === 0 ? [] : forksOf(e.ops).filter((f) => e.breaks.some((b) => f.writes.filter((w) => (ret.get(w.id) ?? -1) >= b.start && (ret.get(w.id) ?? Infinity) <= b.end).length >= 2));
  if (windowForks.length > 0) {
    out.push({
      name: "two lineages acknowledged writes during a recovery window",
      severity: "warning",
      text: `${windowForks.length} znode state(s) were overwritten on two sides (ZooKeeper guarantees nothing while an operator forms a new ensemble): ${some(windowForks.map((f) => `${f.path}: ${f.writes.map((w) => w.value).join(" / ")}`), 3)}`,
      figure: { forks: windowForks.slice(0, 50) },
    });
  }
  return out;
}

function ageText(lost: LostWritesFigure): string {
  if (lost.disasterAt === null) return "";
  const ages = lost.lost.map((w) => lost.disasterAt! - w.ackedAt);
  const fmt = (ms: number) => (ms >= 0 ? `${ms} ms before the disaster` : `${-ms} ms after it`);
  return `between ${fmt(Math.max(...ages))} and ${fmt(Math.min(...ages))}`;
}
