// Checks judge evidence; they never start or stop anything. Each returns pass/fail with the
// evidence it judged, so a report can show why.
import type { MemberId } from "../topology";
import { NOT_SERVING, ServerStatus } from "../zk/fourLetter";
import type { ManifestEntry, Sample } from "../workload/kafka";

export interface CheckResult {
  readonly name: string;
  readonly status: "passed" | "failed";
  readonly evidence: Record<string, unknown>;
  /** One line a person reads. */
  readonly summary: string;
}

const result = (name: string, pass: boolean, summary: string, evidence: Record<string, unknown>): CheckResult => ({
  name,
  status: pass ? "passed" : "failed",
  summary,
  evidence,
});

/** Exactly one leader among the live voters, within `allowed` when given; observers never lead. */
export function oneLeader(statuses: ReadonlyMap<MemberId, ServerStatus>, opts: { allowed?: readonly MemberId[]; observers?: readonly MemberId[] } = {}): CheckResult {
  const modes = Object.fromEntries([...statuses].map(([id, s]) => [id, s.serving ? s.mode : "not serving"]));
  const leaders = [...statuses].filter(([, s]) => s.serving && s.mode === "leader").map(([id]) => id);
  const observerLeads = leaders.filter((id) => opts.observers?.includes(id));
  const inAllowed = !opts.allowed || leaders.every((id) => opts.allowed!.includes(id));
  const pass = leaders.length === 1 && inAllowed && observerLeads.length === 0;
  const where = opts.allowed ? ` among ${opts.allowed.join(", ")}` : "";
  return result(
    `exactly one leader${where}`,
    pass,
    pass ? `member ${leaders[0]} leads${where}` : `leaders seen: ${leaders.join(", ") || "none"}${where ? ` (allowed${where})` : ""}`,
    { modes, leaders, allowed: opts.allowed ?? null },
  );
}

export interface LeaderSample {
  readonly at: number;
  readonly member: MemberId;
  readonly epoch: number;
}

/** Never two leaders reporting the same epoch across samples (split brain). */
export function noTwoLeadersPerEpoch(samples: readonly LeaderSample[]): CheckResult {
  const byEpoch = new Map<number, Set<MemberId>>();
  for (const s of samples) byEpoch.set(s.epoch, (byEpoch.get(s.epoch) ?? new Set()).add(s.member));
  const split = [...byEpoch].filter(([, ids]) => ids.size > 1).map(([epoch, ids]) => ({ epoch, leaders: [...ids] }));
  return result(
    "no two leaders in one epoch",
    split.length === 0,
    split.length === 0 ? `${byEpoch.size} epoch(s), one leader each` : `split brain: ${JSON.stringify(split)}`,
    { epochs: Object.fromEntries([...byEpoch].map(([e, ids]) => [e, [...ids]])) },
  );
}

/** The epoch (high 32 bits of the zxid) rose across an election. */
export function epochRose(before: number, after: number): CheckResult {
  return result("leader epoch rose after the election", after > before, `epoch ${before} -> ${after}`, { before, after });
}

/** Quorum is gone: every given member answers "not currently serving requests" (P1, P7's last step). */
export function quorumLost(answers: ReadonlyMap<MemberId, string>, writeError?: string): CheckResult {
  const serving = [...answers].filter(([, a]) => !a.includes(NOT_SERVING)).map(([id]) => id);
  const pass = serving.length === 0 && answers.size > 0 && (writeError === undefined || writeError.length > 0);
  return result(
    "quorum lost",
    pass,
    pass ? `members ${[...answers.keys()].join(", ")} answer "${NOT_SERVING}"${writeError ? `; a write failed: ${writeError}` : ""}` : `still serving: ${serving.join(", ")}`,
    { answers: Object.fromEntries(answers), writeError: writeError ?? null },
  );
}

export interface MemberRead {
  readonly member: MemberId;
  /** path -> what the member returned (undefined = no such node). */
  readonly reads: ReadonlyMap<string, { version: number; digest: string } | undefined>;
}

/**
 * Every acknowledged write reads back on every live member. A later version than the manifest's is
 * an unacknowledged write that landed (fine); an older one is stale; none is missing; the same
 * version with other data is diverged.
 */
/** `ackedBy`: the manifest holds what was acknowledged by then (P3: a backup's start), and the check says so. */
export function writesSurvive(manifest: ReadonlyMap<string, ManifestEntry>, reads: readonly MemberRead[], ackedBy?: number): CheckResult {
  const missing: string[] = [];
  const stale: string[] = [];
  const diverged: string[] = [];
  for (const r of reads) {
    for (const [path, entry] of manifest) {
      const got = r.reads.get(path);
      if (!got) missing.push(`${path}@${r.member}`);
      else if (got.version < entry.version) stale.push(`${path}@${r.member} (v${got.version} < acked v${entry.version})`);
      else if (got.version === entry.version && got.digest !== entry.digest) diverged.push(`${path}@${r.member}`);
    }
  }
  const pass = missing.length + stale.length + diverged.length === 0 && reads.length > 0;
  return result(
    ackedBy === undefined ? "every acknowledged write survives on every live member" : `every write acknowledged before ${new Date(ackedBy).toISOString()} survives on every live member`,
    pass,
    pass
      ? `${manifest.size} znode(s) checked on members ${reads.map((r) => r.member).join(", ")}`
      : `missing ${missing.length}, stale ${stale.length}, diverged ${diverged.length}: ${[...missing, ...stale, ...diverged].slice(0, 10).join("; ")}`,
    { znodes: manifest.size, members: reads.map((r) => r.member), missing, stale, diverged },
  );
}

/** Named znodes a procedure wrote are present with their data on every given member (P2). */
export function znodesPresent(expected: ReadonlyMap<string, string>, reads: readonly { member: MemberId; data: ReadonlyMap<string, string | undefined> }[]): CheckResult {
  const problems: string[] = [];
  for (const r of reads) {
    for (const [path, want] of expected) {
      const got = r.data.get(path);
      if (got === undefined) problems.push(`${path} missing on ${r.member}`);
      else if (got !== want) problems.push(`${path} on ${r.member} holds ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  }
  const pass = problems.length === 0 && reads.length > 0;
  return result(
    `znodes ${[...expected.keys()].join(", ")} survive`,
    pass,
    pass ? `present on members ${reads.map((r) => r.member).join(", ")}` : problems.slice(0, 10).join("; "),
    { expected: Object.fromEntries(expected), problems },
  );
}

/** All live members report the same last zxid. */
export function converged(zxids: ReadonlyMap<MemberId, string>): CheckResult {
  const distinct = new Set(zxids.values());
  return result(
    "live members converged on one zxid",
    distinct.size === 1 && zxids.size > 0,
    distinct.size === 1 ? `zxid ${[...distinct][0]} on ${[...zxids.keys()].join(", ")}` : `zxids differ: ${JSON.stringify(Object.fromEntries(zxids))}`,
    { zxids: Object.fromEntries(zxids) },
  );
}

export interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export function phaseThroughput(samples: readonly Sample[], phase: Phase): number {
  const inPhase = samples.filter((s) => s.at >= phase.start && s.at < phase.end);
  if (inPhase.length === 0) return 0;
  return inPhase.reduce((a, s) => a + s.ok, 0) / inPhase.length;
}

/** A phase's ops/sec against the baseline's, as a ratio with a threshold. */
export function throughputHolds(samples: readonly Sample[], baseline: Phase, phase: Phase, minRatio: number): CheckResult {
  const base = phaseThroughput(samples, baseline);
  const got = phaseThroughput(samples, phase);
  const ratio = base > 0 ? got / base : 0;
  return result(
    `throughput in "${phase.name}" at least ${(minRatio * 100).toFixed(0)}% of "${baseline.name}"`,
    ratio >= minRatio,
    `${got.toFixed(0)} vs ${base.toFixed(0)} ops/s (${(ratio * 100).toFixed(0)}%)`,
    { baselineOpsPerSec: base, phaseOpsPerSec: got, ratio, minRatio },
  );
}

/** The longest window with no successful write, within [from, to] (measured RTO). */
export function longestWriteGap(acks: readonly number[], from: number, to: number): { gapMs: number; start: number; end: number } {
  const inRange = acks.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  const points = [from, ...inRange, to];
  let best = { gapMs: 0, start: from, end: from };
  for (let i = 1; i < points.length; i++) {
    const gap = points[i] - points[i - 1];
    if (gap > best.gapMs) best = { gapMs: gap, start: points[i - 1], end: points[i] };
  }
  return best;
}

export function unavailabilityWithin(acks: readonly number[], from: number, to: number, maxMs: number): CheckResult {
  const g = longestWriteGap(acks, from, to);
  return result(
    `writes unavailable at most ${(maxMs / 1000).toFixed(1)} s`,
    g.gapMs <= maxMs,
    `longest window without a successful write: ${(g.gapMs / 1000).toFixed(2)} s`,
    { longestGapMs: g.gapMs, gapStart: new Date(g.start).toISOString(), gapEnd: new Date(g.end).toISOString(), maxMs },
  );
}

/** Time from a fault to the first successful write after it. */
export function firstWriteAfter(acks: readonly number[], faultAt: number): number | undefined {
  const t = acks.find((a) => a >= faultAt);
  return t === undefined ? undefined : t - faultAt;
}

