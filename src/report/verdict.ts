// report.json: the machine-readable result, a pure function of the journal. The run's status is
// derived here from its steps and checks, never copied: a drill that checks nothing does not pass.
import type { OutageParts } from "../checks";
import type { JournalEvent } from "../journal";

export type RunStatus = "passed" | "failed" | "inconclusive" | "aborted";
export type CheckStatus = "passed" | "failed" | "inconclusive";

export interface ReportCheck {
  readonly name: string;
  readonly kind: string | null;
  readonly status: CheckStatus;
  readonly summary: string;
  readonly evidence: unknown;
  /** Checked at the end of the run from the history, not by a drill step. */
  readonly auto: boolean;
}

export interface ReportFinding {
  readonly name: string;
  readonly severity: string;
  readonly text: string;
}

export interface FaultRow {
  readonly fault: string;
  readonly kind: string;
  readonly at: number;
  /** The clients' outage (runs recorded before it was: from the fault's start to the first write acknowledged after it). */
  readonly rtoMs: number | null;
  readonly unmeasured: string | null;
  readonly elections: ReadonlyArray<{ member: number; at: number; tookMs: number }>;
  /** Wall clock of the last acknowledgement before the outage and the first after it. */
  readonly outage?: { readonly from: number; readonly to: number } | null;
  /** The earlier fault whose outage this one fell inside. */
  readonly within?: string | null;
  /** The outage's parts: the engine's injection, ZooKeeper's detection, election and sync, the clients' reconnection (ms). */
  readonly parts?: OutageParts | null;
  /** The drill declared this fault's outage to be the point, and why. */
  readonly expectOutage?: string | null;
}

/** The outcome the drill's procedure exists to prove, as its checks judged it. */
export interface HeadlineResult {
  readonly outcome: string;
  readonly status: CheckStatus;
  readonly checks: ReadonlyArray<{ readonly kind: string; readonly status: CheckStatus | "not recorded"; readonly name: string | null }>;
}

/**
 * The ZooKeeper JIRA issue a known-bug drill reproduces (src/drill/known-bug.ts checks it), as run-start
 * records it: its versions, what the issue says happens, and the check whose failure is that symptom.
 */
export interface KnownBugIssue {
  /** The JIRA issue, e.g. "ZOOKEEPER-3109". */
  readonly jira: string;
  /** Its summary line, as the JIRA (and the release notes) give it. */
  readonly title: string;
  /** Releases the issue affects; the first one zkdrill builds is the drill's default version. */
  readonly affects: readonly string[];
  /** The first release of each line that carries the fix (later lines carry it too). */
  readonly fixedIn: readonly string[];
  /** What the issue (or its fix) says happens, quoted, and the address the quote is from. */
  readonly symptom: { readonly quote: string; readonly source: string };
  /** The check kind whose failure is the symptom, and what its evidence line shows when it fails. */
  readonly evidence: { readonly check: string; readonly names: string };
  /** What the fix needs beyond the version (a system property), or anything else a reader must know. */
  readonly note?: string;
}

/** A known-bug drill's issue, and whether this run showed its symptom (its evidence check failed). */
export interface KnownBugResult extends KnownBugIssue {
  readonly url: string;
  /** The version under test (an upgrade drill's target) and where it stands: affected, fixed, not listed. */
  readonly version: string;
  readonly stance: string;
  readonly outcome: "reproduced" | "not reproduced" | "not judged";
}

export interface DrillReport {
  readonly drill: string;
  readonly procedure: string;
  /** Where the runbook comes from (a field procedure, ZooKeeper's documentation, this project...); absent in runs recorded before it was. */
  readonly origin?: string;
  readonly headline?: HeadlineResult;
  readonly knownBug?: KnownBugResult;
  readonly status: RunStatus;
  /** Why the status is what it is, in one line. */
  readonly statusReason: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly seed: number;
  readonly zookeeperVersion: string;
  readonly runId: string;
  readonly error: string | null;
  readonly objectives: Readonly<Record<string, number>>;
  readonly steps: ReadonlyArray<{ name: string; status: "passed" | "failed" | "unfinished"; startedAt: string; endedAt: string | null; error?: string }>;
  readonly checks: readonly ReportCheck[];
  readonly findings: readonly ReportFinding[];
  readonly faults: readonly FaultRow[];
  readonly metrics: {
    /** The longest recovery time over the faults the workload saw (ms), or null. */
    readonly rtoMs: number | null;
    readonly longestWriteGapMs: number | null;
    readonly writesAcked: number | null;
    /** Distinct acknowledged writes lost (a write missing on three members counts once). */
    readonly writesLost: number | null;
    readonly rpoMs: number | null;
    /** The recovery point in words, or null. */
    readonly rpo: string | null;
    readonly throughputByPhase: Readonly<Record<string, number>>;
  };
  /** What the end-of-run analysis of the history took: operations, time per phase, the peak resident memory (runs recorded since it was). */
  readonly analysis?: { readonly operations: number; readonly totalMs: number; readonly peakRssMb: number; readonly phasesMs: Readonly<Record<string, number>> };
}

const FAILED_STEP = (e: JournalEvent) => e.type === "step-end" && e.data.status === "failed";

/** The status a journal earns: aborted without run-end; failed on a failed step, error or check, or no check at all; inconclusive when a check could not judge. */
export function deriveStatus(events: readonly JournalEvent[]): { status: RunStatus; reason: string } {
  const end = events.find((e) => e.type === "run-end");
  if (!end) return { status: "aborted", reason: "interrupted: the journal has no run-end record (the process was killed?)" };
  if (end.data.aborted === true || end.data.status === "aborted") return { status: "aborted", reason: `interrupted: ${String(end.data.error ?? "")}` };
  const checks = events.filter((e) => e.type === "check");
  const failed = checks.filter((e) => e.data.status === "failed");
  if (failed.length > 0) {
    // A known-bug drill's symptom seen: the reason names the issue before the checks.
    const bug = events.find((e) => e.type === "run-start")?.data.knownBug as { jira: string; evidence: { check: string }; run?: { version: string } } | undefined;
    const seen = bug && failed.some((e) => e.data.kind === bug.evidence.check) ? `${bug.jira} reproduced${bug.run ? ` on ${bug.run.version}` : ""}: ` : "";
    return { status: "failed", reason: `${seen}${failed.length} check(s) failed: ${failed.map((e) => String(e.data.name)).join("; ")}` };
  }
  if (end.data.error) return { status: "failed", reason: `error: ${String(end.data.error).split("\n")[0]}` };
  const steps = events.filter(FAILED_STEP);
  if (steps.length > 0) return { status: "failed", reason: `step failed: ${String(steps[0].data.name)}` };
  if (checks.length === 0) return { status: "failed", reason: "no check was recorded: a drill that proves nothing does not pass" };
  const open = checks.filter((e) => e.data.status === "inconclusive");
  if (open.length > 0) return { status: "inconclusive", reason: `${open.length} check(s) inconclusive: ${open.map((e) => String(e.data.name)).join("; ")}` };
  // A drill that declares its headline outcome passes only with a verdict on it.
  const declared = events.find((e) => e.type === "run-start")?.data.headline as { outcome: string; checks: string[] } | undefined;
  const missing = declared?.checks.filter((kind) => !checks.some((e) => e.data.kind === kind)) ?? [];
  if (missing.length > 0) return { status: "inconclusive", reason: `the headline outcome ("${declared!.outcome}") has no verdict: no ${missing.join(", ")} check was recorded` };
  return { status: "passed", reason: `${checks.length} check(s) passed` };
}

export function buildReport(events: readonly JournalEvent[]): DrillReport {
  const start = events.find((e) => e.type === "run-start");
  if (!start) throw new Error("the journal has no run-start record");
  const end = events.find((e) => e.type === "run-end");
  const steps: Array<{ name: string; status: "passed" | "failed" | "unfinished"; startedAt: string; endedAt: string | null; error?: string }> = [];
  const open: number[] = [];
  let writesAcked: number | null = null;
  for (const e of events) {
    if (e.type === "step-start") {
      open.push(steps.length);
      steps.push({ name: String(e.data.name), status: "unfinished", startedAt: e.ts, endedAt: null });
    } else if (e.type === "step-end") {
      // Steps nest (a verb inside a named step): close the innermost open one with this name.
      for (let i = open.length - 1; i >= 0; i--) {
        const s = steps[open[i]];
        if (s.name === e.data.name) {
          s.status = e.data.status === "passed" ? "passed" : "failed";
          s.endedAt = e.ts;
          if (e.data.error) s.error = String(e.data.error);
          open.splice(i, 1);
          break;
        }
      }
    } else if (e.type === "note" && e.data.what === "workload summary") {
      writesAcked = (writesAcked ?? 0) + Number(e.data.writesAcked);
    }
  }
  const checks: ReportCheck[] = events
    .filter((e) => e.type === "check")
    .map((e) => ({ name: String(e.data.name), kind: e.data.kind ? String(e.data.kind) : null, status: e.data.status as CheckStatus, summary: String(e.data.summary ?? ""), evidence: e.data.evidence, auto: e.data.auto === true }));
  const findings = events.filter((e) => e.type === "finding").map((e) => ({ name: String(e.data.name), severity: String(e.data.severity), text: String(e.data.text) }));
  const recovery = events.find((e) => e.type === "note" && e.data.what === "recovery")?.data as
    | { perFault: FaultRow[]; longestGapMs: number; lost: { count: number; judged: number; rpoMs: number; disasterAt: number | null } | null }
    | undefined;
  // Each outage once, by the fault it began at; an outage the drill declared is not a recovery time.
  const measured = (recovery?.perFault ?? []).filter((f) => f.rtoMs !== null && !f.within && !f.expectOutage);
  const lost = recovery?.lost ?? null;
  const analysis = events.find((e) => e.type === "note" && e.data.what === "analysis")?.data as DrillReport["analysis"] | undefined;
  const d = start.data;
  const endData = (end?.data ?? {}) as { throughputByPhase?: Record<string, number>; error?: string };
  const derived = deriveStatus(events);
  return {
    drill: String(d.drill),
    procedure: String(d.procedure ?? ""),
    ...(typeof d.origin === "string" ? { origin: d.origin } : {}),
    ...(d.headline ? { headline: headlineOf(d.headline as { outcome: string; checks: string[] }, checks) } : {}),
    ...(d.knownBug ? { knownBug: knownBugOf(d.knownBug as KnownBugDeclared, checks) } : {}),
    status: derived.status,
    statusReason: derived.reason,
    startedAt: start.ts,
    endedAt: end?.ts ?? null,
    seed: Number(d.seed),
    zookeeperVersion: String(d.zookeeperVersion),
    runId: String(d.runId),
    error: endData.error ?? (end ? null : "the run ended without a run-end record (killed?)"),
    objectives: (d.objectives ?? {}) as Record<string, number>,
    steps,
    checks,
    findings,
    faults: recovery?.perFault ?? [],
    metrics: {
      rtoMs: measured.length ? Math.max(...measured.map((f) => f.rtoMs!)) : null,
      longestWriteGapMs: recovery && writesAcked ? recovery.longestGapMs : null,
      writesAcked,
      writesLost: lost ? lost.count : null,
      rpoMs: lost ? lost.rpoMs : null,
      rpo: lost && lost.disasterAt !== null ? `${(lost.rpoMs / 1000).toFixed(2)} s: ${lost.count} of ${lost.judged} acknowledged write(s) lost` : null,
      throughputByPhase: endData.throughputByPhase ?? {},
    },
    ...(analysis ? { analysis: { operations: analysis.operations, totalMs: analysis.totalMs, peakRssMb: analysis.peakRssMb, phasesMs: analysis.phasesMs } } : {}),
  };
}

/**
 * The headline's verdict: every check of its kinds passed (failed if any failed; inconclusive when one
 * is inconclusive or a kind was never recorded: the outcome then has no evidence).
 */
export function headlineOf(h: { outcome: string; checks: readonly string[] }, checks: readonly ReportCheck[]): HeadlineResult {
  const rows = h.checks.flatMap((kind): HeadlineResult["checks"][number][] => {
    const mine = checks.filter((c) => c.kind === kind);
    return mine.length ? mine.map((c) => ({ kind, status: c.status, name: c.name })) : [{ kind, status: "not recorded", name: null }];
  });
  const status: CheckStatus = rows.some((r) => r.status === "failed") ? "failed" : rows.length > 0 && rows.every((r) => r.status === "passed") ? "passed" : "inconclusive";
  return { outcome: h.outcome, status, checks: rows };
}

type KnownBugDeclared = KnownBugIssue & { run?: { version: string; stance: string } };

/** The issue as run-start declared it, and the verdict of its evidence check: failed is the symptom seen. */
export function knownBugOf(bug: KnownBugDeclared, checks: readonly ReportCheck[]): KnownBugResult {
  const mine = checks.filter((c) => c.kind === bug.evidence.check);
  const outcome = mine.some((c) => c.status === "failed") ? "reproduced" : mine.length > 0 && mine.every((c) => c.status === "passed") ? "not reproduced" : "not judged";
  const { run, ...declared } = bug;
  return { ...declared, url: `https://issues.apache.org/jira/browse/${bug.jira}`, version: run?.version ?? "unknown", stance: run?.stance ?? "unknown", outcome };
}
