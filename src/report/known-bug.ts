// A known-bug run judged against what its version promised: an affected version must show the
// symptom (its evidence check failed), a version carrying the fix must not. Pure: read from the
// report (report.json, or the journal), so `zkdrill report bug`, the report's title and the
// trend's per-version table say the same thing the same way.
import type { DrillReport, KnownBugResult } from "./verdict";

export type BugOutcome = KnownBugResult["outcome"];

/** What a version's stance promises: affected -> reproduced, fixed -> not reproduced; otherwise nothing. */
export function expectedOutcome(stance: string): BugOutcome | null {
  return stance === "affected" ? "reproduced" : stance === "fixed" ? "not reproduced" : null;
}

/** "ZOOKEEPER-3830 reproduced on 3.5.8": the report's title and the first line `report bug` prints. */
export function knownBugTitle(b: Pick<KnownBugResult, "jira" | "outcome" | "version">): string {
  return `${b.jira} ${b.outcome} on ${b.version}`;
}

export interface BugVerdict {
  readonly jira: string;
  readonly version: string;
  readonly stance: string;
  readonly outcome: BugOutcome;
  /** What the stance promised; null: the version is neither listed nor carries the fix. */
  readonly expected: BugOutcome | null;
  /** The outcome is the promised one (true, too, when nothing was promised). */
  readonly asExpected: boolean;
  /** The evidence check's line (its name and summary) that decided the outcome, or why none did. */
  readonly evidence: string;
}

/** The run's verdict on its bug; null when the run is not a known-bug drill's. */
export function bugVerdict(r: Pick<DrillReport, "knownBug" | "checks" | "statusReason">): BugVerdict | null {
  const b = r.knownBug;
  if (!b) return null;
  const mine = r.checks.filter((c) => c.kind === b.evidence.check);
  const deciding = b.outcome === "reproduced" ? mine.find((c) => c.status === "failed") : b.outcome === "not reproduced" ? mine[0] : undefined;
  const evidence = deciding ? `${deciding.name}: ${deciding.summary}` : `no ${b.evidence.check} check judged it (${r.statusReason})`;
  const expected = expectedOutcome(b.stance);
  return { jira: b.jira, version: b.version, stance: b.stance, outcome: b.outcome, expected, asExpected: expected === null || expected === b.outcome, evidence };
}

/** The verdict in words: "as expected (affected)", or what was expected instead. */
export function expectationText(v: BugVerdict): string {
  if (v.expected === null) return `${v.version} is neither listed as affected nor carries the fix: no outcome is expected`;
  return v.asExpected ? `as expected: ${v.version} is ${v.stance}` : `UNEXPECTED: ${v.version} is ${v.stance}, so ${v.jira} should be ${v.expected}`;
}
