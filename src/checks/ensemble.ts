// Verdicts on what the members said about themselves (srvr, ruok, conf), gathered by the drill and
// recorded as evidence: who leads, whether quorum is gone, whether the members agree.
import type { MemberId } from "../topology";
import { NOT_SERVING, parseSrvr } from "../zk";
import { CheckResult, inconclusive, some, verdict } from "./result";

/** Raw four-letter-word answers per member ("" or an error text when it did not answer). */
export type Answers = Readonly<Record<string, string>>;

const modeOf = (raw: string): string => {
  if (raw.includes(NOT_SERVING)) return "not serving";
  try {
    const s = parseSrvr(raw);
    return s.serving ? s.mode : "not serving";
  } catch {
    return raw.startsWith("error:") ? raw : "no answer";
  }
};

export interface LeaderInput {
  /** srvr of every live voter (and observer), not only the allowed ones. */
  readonly srvr: Answers;
  readonly allowed?: readonly MemberId[];
  readonly observers?: readonly MemberId[];
}

/**
 * Exactly one leader among the live members, and it is one of `allowed`: every live member was
 * asked, so a leader elsewhere is seen and fails the check.
 */
export function leaderIn(input: LeaderInput): CheckResult {
  const where = input.allowed ? ` among ${input.allowed.join(", ")}` : "";
  const name = `exactly one leader${where}`;
  const modes = Object.fromEntries(Object.entries(input.srvr).map(([id, raw]) => [id, modeOf(raw)]));
  const evidence = { modes, allowed: input.allowed ?? null };
  if (Object.keys(modes).length === 0) return inconclusive(name, "no member was asked", evidence);
  const leaders = Object.entries(modes).filter(([, m]) => m === "leader").map(([id]) => Number(id));
  const observerLeads = leaders.filter((id) => input.observers?.includes(id));
  const outside = leaders.filter((id) => input.allowed && !input.allowed.includes(id));
  const pass = leaders.length === 1 && outside.length === 0 && observerLeads.length === 0;
  const why = leaders.length !== 1 ? `leaders seen: ${leaders.join(", ") || "none"}` : outside.length ? `member ${outside[0]} leads, outside${where}` : `observer ${observerLeads[0]} leads`;
  return verdict(name, pass, pass ? `member ${leaders[0]} leads${where}; ${JSON.stringify(modes)}` : `${why}; ${JSON.stringify(modes)}`, { ...evidence, leaders });
}

export interface LeaderSample {
  readonly at: number;
  readonly member: MemberId;
  readonly epoch: number;
}

/** Never two members reporting "leader" in the same epoch, over every sample of the run. */
export function noTwoLeadersPerEpoch(samples: readonly LeaderSample[]): CheckResult {
  const name = "no two leaders in one epoch (srvr samples)";
  if (samples.length === 0) return inconclusive(name, "no leader was ever sampled");
  const byEpoch = new Map<number, Set<MemberId>>();
  for (const s of samples) byEpoch.set(s.epoch, (byEpoch.get(s.epoch) ?? new Set()).add(s.member));
  const split = [...byEpoch].filter(([, ids]) => ids.size > 1).map(([epoch, ids]) => ({ epoch, leaders: [...ids] }));
  return verdict(name, split.length === 0, split.length === 0 ? `${samples.length} sample(s), ${byEpoch.size} epoch(s), one leader each` : `split brain: ${JSON.stringify(split)}`, {
    samples: samples.length,
    epochs: Object.fromEntries([...byEpoch].map(([e, ids]) => [e, [...ids]])),
  });
}

/** The epoch (high 32 bits of the zxid) rose across an election. */
export function epochRose(input: { before: number; after: number }): CheckResult {
  return verdict("leader epoch rose after the election", input.after > input.before, `epoch ${input.before} -> ${input.after}`, { ...input });
}

export interface QuorumLostInput {
  readonly srvr: Answers;
  /** The write the drill tried through those members: its outcome and error, from the history. */
  readonly write?: { readonly outcome: string; readonly error?: string } | null;
}

/** Quorum is gone: every given member answers "not currently serving requests", and a write did not succeed (P1, P7). */
export function quorumLost(input: QuorumLostInput): CheckResult {
  const name = "quorum lost";
  const ids = Object.keys(input.srvr);
  const evidence = { srvr: input.srvr, write: input.write ?? null };
  if (ids.length === 0) return inconclusive(name, "no member was asked", evidence);
  if (!input.write) return inconclusive(name, "no write was tried", evidence);
  const serving = ids.filter((id) => !input.srvr[id].includes(NOT_SERVING));
  if (serving.length > 0) return verdict(name, false, `still serving: ${serving.join(", ")}`, evidence);
  if (input.write.outcome === "ok") return verdict(name, false, "a write succeeded although every member says it is not serving", evidence);
  return verdict(name, true, `members ${ids.join(", ")} answer "${NOT_SERVING}"; a write through them failed (${input.write.error ?? input.write.outcome})`, evidence);
}

/** P1's field signal: each member answers ruok with imok although srvr says it does not serve. */
export function ruokWithoutQuorum(input: { ruok: Answers; srvr: Answers }): CheckResult {
  const name = "ruok answers imok without quorum";
  const ids = Object.keys(input.ruok);
  if (ids.length === 0) return inconclusive(name, "no member was asked", { ...input });
  const wrong = ids.filter((id) => input.ruok[id].trim() !== "imok").map((id) => `${id}: ruok ${JSON.stringify(input.ruok[id].trim())}`);
  const serving = ids.filter((id) => !(input.srvr[id] ?? "").includes(NOT_SERVING)).map((id) => `${id}: srvr ${modeOf(input.srvr[id] ?? "")}`);
  const problems = [...wrong, ...serving];
  return verdict(name, problems.length === 0, problems.length === 0 ? `members ${ids.join(", ")}: imok, and not serving` : some(problems), { ...input });
}

/** Every member serves and reports the same last zxid. */
export function converged(srvr: Answers): CheckResult {
  const name = "live members converged on one zxid";
  const ids = Object.keys(srvr);
  if (ids.length === 0) return inconclusive(name, "no member was asked", { srvr });
  const zxids: Record<string, string> = {};
  for (const id of ids) {
    try {
      const s = parseSrvr(srvr[id]);
      zxids[id] = s.serving ? `0x${s.zxid.toString(16)}` : "not serving";
    } catch {
      zxids[id] = "no answer";
    }
  }
  const bad = ids.filter((id) => !zxids[id].startsWith("0x"));
  const distinct = new Set(Object.values(zxids));
  const pass = bad.length === 0 && distinct.size === 1;
  return verdict(name, pass, pass ? `zxid ${[...distinct][0]} on ${ids.join(", ")}` : bad.length ? `not serving: ${bad.join(", ")}` : `zxids differ: ${JSON.stringify(zxids)}`, { zxids });
}

export interface PlannedQuorumInput {
  readonly stage: string;
  readonly voters: number;
  readonly planner: { readonly voters: readonly MemberId[]; readonly quorum: number; readonly toleratedFailures: number };
  readonly leader: MemberId;
  /** The leader's own `conf` (3.5+), or its zoo.cfg as it started (3.4's conf lists no server). */
  readonly leaderConf: string;
  readonly source?: "conf" | "zoo.cfg";
}

/** The planner's quorum and the voters the leader counts (its conf) both equal `voters` (P6). */
export function plannedQuorum(input: PlannedQuorumInput): CheckResult {
  const lines = input.leaderConf.split("\n").filter((l) => /^server\.\d+=/.test(l));
  const leaderVoters = lines.filter((l) => !/:observer\b/.test(l)).length;
  const quorum = Math.floor(input.voters / 2) + 1;
  const name = `${input.stage}: ${input.voters} voters, quorum ${quorum}`;
  const where = input.source === "zoo.cfg" ? "zoo.cfg" : "conf";
  if (lines.length === 0) return inconclusive(name, `leader ${input.leader}'s ${where} lists no server`, { ...input });
  const pass = input.planner.voters.length === input.voters && leaderVoters === input.voters;
  return verdict(
    name,
    pass,
    `planner: ${input.planner.voters.length} voters (${input.planner.voters.join(", ")}), quorum ${input.planner.quorum}, tolerates ${input.planner.toleratedFailures}; leader ${input.leader}'s ${where} lists ${leaderVoters} voters`,
    { ...input, leaderConf: lines },
  );
}
