// What every check returns: a status, one line a person reads, and the evidence it judged. A check
// with no evidence to judge is "inconclusive", never "passed".
export type CheckStatus = "passed" | "failed" | "inconclusive";

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  /** One line a person reads. */
  readonly summary: string;
  readonly evidence: Record<string, unknown>;
}

export function verdict(name: string, pass: boolean, summary: string, evidence: Record<string, unknown>): CheckResult {
  return { name, status: pass ? "passed" : "failed", summary, evidence };
}

/** No evidence, so no verdict: says what was missing. */
export function inconclusive(name: string, missing: string, evidence: Record<string, unknown> = {}): CheckResult {
  return { name, status: "inconclusive", summary: `inconclusive: ${missing}`, evidence };
}

/** A list for a summary line: the first few, and how many more. */
export function some(items: readonly string[], n = 5): string {
  return items.length <= n ? items.join("; ") : `${items.slice(0, n).join("; ")} and ${items.length - n} more`;
}
