// Whether the ensemble comes back into service, judged on what was gathered: a quorum re-formed soon
// after a network fault healed, a leader that commits what it is sent, a restarted member that rejoins.
// Each failure quotes the members' own log lines, so the verdict names what ZooKeeper did.
import type { MemberId } from "../topology";
import type { Answers } from "./ensemble";
import { CheckResult, inconclusive, some, verdict } from "./result";

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const quoted = (lines: readonly string[], n = 3) => (lines.length ? `: ${some(lines.map((l) => l.trim().slice(0, 240)), n)}` : "");

export interface QuorumAfterHealInput {
  readonly members: readonly MemberId[];
  /** What healed, in the step's words ("member 1's quorum-port cut"). */
  readonly healed: string;
  /** Wall-clock ms of the heal, and the bound within which the members must serve again. */
  readonly healedAt: number;
  readonly boundMs: number;
  /** Wall-clock ms the members first agreed on a serving leader after the heal; null: not while watched. */
  readonly servingAt: number | null;
  readonly leader: MemberId | null;
  /** How long they were watched after the heal. */
  readonly watchedMs: number;
  /** The last srvr answers seen. */
  readonly srvr: Answers;
  /** The members' log lines about the election since the fault began ("zk3: ... Timeout while waiting..."). */
  readonly lines: readonly string[];
}

/** The members serve again, one leader among them, within `boundMs` of the heal. */
export function quorumAfterHeal(input: QuorumAfterHealInput): CheckResult {
  const name = `${input.members.join(", ")} serve again within ${secs(input.boundMs)} of the heal of ${input.healed}`;
  const evidence = { ...input };
  if (input.members.length === 0) return inconclusive(name, "no member was watched", evidence);
  if (input.servingAt === null) return verdict(name, false, `no leader served ${input.members.join(", ")} in the ${secs(input.watchedMs)} watched after the heal${quoted(input.lines)}`, evidence);
  const took = input.servingAt - input.healedAt;
  const said = `member ${input.leader} leads ${input.members.join(", ")} ${secs(Math.max(0, took))} after the heal (bound ${secs(input.boundMs)})`;
  return verdict(name, took <= input.boundMs, took <= input.boundMs ? said : `only ${said}${quoted(input.lines)}`, { ...evidence, tookMs: took });
}

export interface WriteCommitsInput {
  readonly members: readonly MemberId[];
  /** srvr of each member when the write was tried. */
  readonly srvr: Answers;
  /** The write through the members: ok, or the error it ended with, and how long it took. */
  readonly write: { readonly outcome: "ok" | "failed"; readonly error?: string; readonly ms: number };
  readonly boundMs: number;
  /** The leader's log lines that say how it started leading. */
  readonly lines: readonly string[];
}

/** A write through the members is acknowledged within the bound while one of them reports it leads. */
export function writeCommits(input: WriteCommitsInput): CheckResult {
  const name = `a write through ${input.members.join(", ")} is acknowledged within ${secs(input.boundMs)}`;
  const leaders = Object.entries(input.srvr).filter(([, raw]) => /^Mode: leader/m.test(raw)).map(([id]) => Number(id));
  const evidence = { ...input, leaders };
  if (input.write.outcome === "ok") return verdict(name, input.write.ms <= input.boundMs, `acknowledged after ${secs(input.write.ms)}${leaders.length ? `; member ${leaders.join(", ")} leads` : ""}`, evidence);
  if (leaders.length !== 1) return inconclusive(name, `the write failed (${input.write.error}), and ${leaders.length ? `members ${leaders.join(", ")}` : "no member"} reported leading: not a leader that cannot commit`, evidence);
  return verdict(name, false, `member ${leaders[0]} reports Mode: leader, yet the write was not acknowledged within ${secs(input.write.ms)} (${input.write.error}): the leader commits nothing${quoted(input.lines)}`, evidence);
}

export interface MemberRejoinsInput {
  readonly member: MemberId;
  /** What was done to it ("restarted without snapshot.trust.empty"). */
  readonly what: string;
  /** The container's state when judged, its exit code if it stopped, its srvr answer if it runs. */
  readonly state: string;
  readonly exitCode: number | null;
  readonly srvr: string;
  /** The failure its log must not show, and the lines since the restart that show it. */
  readonly pattern: string;
  readonly lines: readonly string[];
  /** Its data files before the restart (the snapshots it held). */
  readonly files?: { readonly snapshots: readonly string[]; readonly logs: readonly string[] };
}

/** The member runs, serves as leader or follower, and its log since the restart does not show the failure. */
export function memberRejoins(input: MemberRejoinsInput): CheckResult {
  const name = `member ${input.member} rejoins after it is ${input.what}`;
  const seen = input.lines.filter((l) => new RegExp(input.pattern).test(l));
  const held = input.files ? ` (it held ${input.files.snapshots.length} snapshot(s) and ${input.files.logs.length} transaction log(s) before)` : "";
  const evidence = { ...input, seen };
  if (input.state === "stopped") return verdict(name, false, `member ${input.member} exited (code ${input.exitCode})${held}${seen.length ? quoted(seen, 1) : ""}`, evidence);
  const mode = /^Mode: (leader|follower)/m.exec(input.srvr)?.[1];
  if (seen.length) return verdict(name, false, `member ${input.member} is ${input.state}${mode ? ` (${mode})` : ""}, but its log says${quoted(seen, 1)}`, evidence);
  return verdict(name, mode !== undefined, mode ? `member ${input.member} serves as ${mode}` : `member ${input.member} is ${input.state} and does not serve: ${input.srvr.trim().slice(0, 120)}`, evidence);
}
