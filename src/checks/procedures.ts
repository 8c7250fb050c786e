// Checks the runbooks state in their own words (roles, /zookeeper/config, a refused config, no
// restart, znodes that must be gone), as named verdicts over recorded evidence.
import type { Operation } from "../history";
import type { MemberId } from "../topology";
import { Answers } from "./ensemble";
import { CheckResult, inconclusive, some, verdict } from "./result";
import { indexById, MemberReads, setCreates, snapshotOf } from "./snapshot";
import { parseSrvr } from "../zk";

export interface RolesInput {
  readonly srvr: Answers;
  /** Who must lead (any of them), follow and observe; members not named are not judged. */
  readonly leaderAmong?: readonly MemberId[];
  readonly followers?: number;
  readonly observers?: readonly MemberId[];
}

/** The members' roles as srvr reports them (P4: one leader, two followers, one observer). */
export function roles(input: RolesInput): CheckResult {
  const want = [
    input.leaderAmong ? `a leader among ${input.leaderAmong.join(", ")}` : "",
    input.followers !== undefined ? `${input.followers} followers` : "",
    input.observers ? `observers ${input.observers.join(", ")}` : "",
  ].filter(Boolean);
  const name = `roles: ${want.join(", ")}`;
  const modes: Record<string, string> = {};
  for (const [id, raw] of Object.entries(input.srvr)) {
    try {
      const s = parseSrvr(raw);
      modes[id] = s.serving ? s.mode : "not serving";
    } catch {
      modes[id] = "no answer";
    }
  }
  if (Object.keys(modes).length === 0) return inconclusive(name, "no member was asked");
  const of = (mode: string) => Object.keys(modes).filter((id) => modes[id] === mode).map(Number).sort((a, b) => a - b);
  const leaders = of("leader");
  const problems: string[] = [];
  if (input.leaderAmong && (leaders.length !== 1 || !input.leaderAmong.includes(leaders[0]))) problems.push(`leaders: ${leaders.join(", ") || "none"}`);
  if (input.followers !== undefined && of("follower").length !== input.followers) problems.push(`followers: ${of("follower").join(", ") || "none"}`);
  if (input.observers && JSON.stringify(of("observer")) !== JSON.stringify([...input.observers].sort((a, b) => a - b))) problems.push(`observers: ${of("observer").join(", ") || "none"}`);
  return verdict(name, problems.length === 0, `${problems.length ? some(problems) + "; " : ""}modes ${JSON.stringify(modes)}`, { modes, expected: { ...input, srvr: undefined } });
}

export interface ConfigLine {
  readonly id: MemberId;
  readonly role: "participant" | "observer";
}

/** The server lines and version of `get /zookeeper/config` (or a dynamic config file). */
export function parseDynamicConfig(text: string): { version: string | null; servers: Array<{ id: number; role: string; line: string }> } {
  const lines = text.split("\n").map((l) => l.trim());
  const servers = lines
    .map((line) => ({ line, m: /^server\.(\d+)=[^:]+:\d+:\d+(?::(participant|observer))?/.exec(line) }))
    .filter((x) => x.m)
    .map(({ line, m }) => ({ id: Number(m![1]), role: m![2] ?? "participant", line }));
  return { version: lines.find((l) => l.startsWith("version="))?.slice(8) ?? null, servers };
}

export interface DynamicConfigInput {
  /** What `get /zookeeper/config` printed. */
  readonly config: string;
  readonly expected: readonly ConfigLine[];
  /** The version must be above this one (hex, as ZooKeeper prints it). */
  readonly versionAbove?: string;
}

/** /zookeeper/config lists exactly the expected servers with their roles, and a (higher) version (P4, P6). */
export function dynamicConfig(input: DynamicConfigInput): CheckResult {
  const want = input.expected.map((e) => `${e.id} ${e.role}`).join(", ");
  const name = `/zookeeper/config lists ${want}${input.versionAbove ? ` with a version above ${input.versionAbove}` : ", and a version"}`;
  const c = parseDynamicConfig(input.config);
  if (c.servers.length === 0 && c.version === null) return inconclusive(name, "no server line and no version in the output", { config: input.config.slice(0, 2000) });
  const got = c.servers.map((s) => `${s.id} ${s.role}`).sort().join(", ");
  const problems: string[] = [];
  if (got !== input.expected.map((e) => `${e.id} ${e.role}`).sort().join(", ")) problems.push(`servers: ${got || "none"}`);
  if (c.version === null) problems.push("no version line");
  else if (input.versionAbove !== undefined && !(BigInt(`0x${c.version}`) > BigInt(`0x${input.versionAbove}`))) problems.push(`version ${c.version} is not above ${input.versionAbove}`);
  return verdict(name, problems.length === 0, problems.length ? some(problems) : `version ${c.version}: ${c.servers.map((s) => s.line).join(" | ")}`, { parsed: c });
}

/** A member's log shows the line a failure must leave (P5: the refused config). */
export function logMentions(input: { member: MemberId; pattern: string; log: string; what: string }): CheckResult {
  const name = `member ${input.member}'s log shows ${input.what}`;
  if (input.log.trim().length === 0) return inconclusive(name, `member ${input.member}'s log is empty`, { pattern: input.pattern });
  const line = input.log.split("\n").find((l) => new RegExp(input.pattern).test(l));
  return verdict(name, line !== undefined, line ? line.trim().slice(0, 300) : `no line matches /${input.pattern}/`, { pattern: input.pattern, line: line ?? null });
}

/** The first line of a member's log the pattern matches: the reason it gave. */
function lineMatching(log: string, pattern: string): string | undefined {
  const re = new RegExp(pattern);
  return log.split("\n").find((l) => re.test(l));
}

/**
 * A member's process ended by itself, and its log says why (a disk that filled, a log it cannot
 * read): the container stopped, with the line quoted.
 */
export function memberExited(input: { member: MemberId; state: string; exitCode: number | null; pattern: string; log: string; what: string }): CheckResult {
  const name = `member ${input.member} exits: ${input.what}`;
  const line = lineMatching(input.log, input.pattern);
  const evidence = { state: input.state, exitCode: input.exitCode, pattern: input.pattern, line: line?.trim().slice(0, 500) ?? null };
  if (input.state !== "stopped") return verdict(name, false, `member ${input.member} is ${input.state}, not stopped`, evidence);
  if (input.log.trim().length === 0) return inconclusive(name, `member ${input.member} stopped (exit ${input.exitCode}) but its log is empty`, evidence);
  return verdict(name, line !== undefined, line ? `exit ${input.exitCode}: ${line.trim().slice(0, 300)}` : `stopped (exit ${input.exitCode}), but no line matches /${input.pattern}/`, evidence);
}

/**
 * The member left service and its log says why: exited, or still running but not serving (3.9 keeps a
 * follower that cannot write its log retrying to follow, never serving). Which of the two is a finding.
 */
export function memberOutOfService(input: { member: MemberId; state: string; serving: boolean | null; exitCode: number | null; pattern: string; log: string; what: string }): CheckResult {
  const name = `member ${input.member} out of service: ${input.what}`;
  const line = lineMatching(input.log, input.pattern);
  const evidence = { state: input.state, serving: input.serving, exitCode: input.exitCode, pattern: input.pattern, line: line?.trim().slice(0, 500) ?? null };
  const out = input.state === "stopped" ? `exited (${input.exitCode})` : input.serving === false ? "running, not serving" : null;
  if (out === null) return verdict(name, false, `member ${input.member} is ${input.state} and ${input.serving ? "serving" : "did not answer srvr"}`, evidence);
  if (input.log.trim().length === 0) return inconclusive(name, `member ${input.member} ${out} but its log is empty`, evidence);
  return verdict(name, line !== undefined, line ? `${out}: ${line.trim().slice(0, 300)}` : `${out}, but no line matches /${input.pattern}/`, evidence);
}

/** How far from the asked offset a clock may be seen: libfaketime re-reads its file each second, plus a round trip. */
export const CLOCK_SLACK_S = 5;

/**
 * The clock fault bit: a write the skewed member proposed carries an mtime `offsetSeconds` off true
 * time. Without this, "no election across a clock jump" could pass with a clock that never moved.
 */
export function clockMoved(input: { member: MemberId; offsetSeconds: number; seenSeconds: number | null; phase: string }): CheckResult {
  const name = `member ${input.member}'s wall clock ${input.offsetSeconds >= 0 ? "+" : ""}${input.offsetSeconds} s (${input.phase}), as the mtime it stamps shows`;
  if (input.seenSeconds === null || !Number.isFinite(input.seenSeconds)) return inconclusive(name, "no write's mtime was read", { ...input });
  const off = Math.abs(input.seenSeconds - input.offsetSeconds);
  return verdict(name, off <= CLOCK_SLACK_S, `mtime ${input.seenSeconds >= 0 ? "+" : ""}${input.seenSeconds.toFixed(1)} s off true time${off <= CLOCK_SLACK_S ? "" : `: the clock did not move as asked (${off.toFixed(1)} s away)`}`, { ...input });
}

/** Each member's srvr answer names `version` ("Zookeeper version: 3.8.6-<commit>, built on ..."). */
export function runVersion(input: { srvr: Readonly<Record<string, string>>; version: string }): CheckResult {
  const ids = Object.keys(input.srvr);
  const name = `members ${ids.join(", ")} run ZooKeeper ${input.version}`;
  if (ids.length === 0) return inconclusive(name, "no member was asked");
  const seen = Object.fromEntries(ids.map((id) => [id, /Zookeeper version: ([^\s,-]+)/.exec(input.srvr[id])?.[1] ?? null]));
  const silent = ids.filter((id) => seen[id] === null);
  if (silent.length === ids.length) return inconclusive(name, `no answer named a version (${silent.join(", ")})`, { seen });
  const wrong = ids.filter((id) => seen[id] !== input.version);
  return verdict(name, wrong.length === 0, wrong.length ? `not ${input.version}: ${wrong.map((id) => `${id} (${seen[id] ?? "no answer"})`).join(", ")}` : `all on ${input.version}`, { seen });
}

/** Containers' start times unchanged: no member restarted (P6's online reconfig). */
export function notRestarted(input: { before: Readonly<Record<string, string>>; after: Readonly<Record<string, string>> }): CheckResult {
  const ids = Object.keys(input.before);
  const name = `no member of ${ids.join(", ")} restarted`;
  if (ids.length === 0) return inconclusive(name, "no start time was recorded");
  const moved = ids.filter((id) => input.before[id] !== input.after[id]);
  return verdict(name, moved.length === 0, moved.length ? `restarted: ${moved.map((id) => `${id} (${input.before[id]} -> ${input.after[id] ?? "gone"})`).join(", ")}` : `start times unchanged on ${ids.join(", ")}`, { ...input });
}

/** Named znodes absent on every member read (P3: written after the backup; P2's pitfall: production's). */
export function znodesAbsent(ops: readonly Operation[], input: { paths: readonly string[]; reads: readonly MemberReads[]; why: string }): CheckResult {
  const name = `${input.paths.join(", ")} absent on ${input.reads.map((r) => r.member).join(", ")} (${input.why})`;
  if (input.paths.length === 0) return inconclusive(name, "no znode was named");
  if (input.reads.length === 0) return inconclusive(name, "no member was read");
  const byId = indexById(ops);
  const problems: string[] = [];
  const acknowledged = new Set(setCreates(ops).map((op) => op.value as string));
  for (const r of input.reads) {
    const s = snapshotOf(ops, byId, r);
    if (!s) return inconclusive(name, `member ${r.member} was not read`);
    // Absence means something only on a member that holds data: a member restored from nothing holds none.
    if (s.set && acknowledged.size > 0 && ![...s.set].some((v) => acknowledged.has(v))) return inconclusive(name, `member ${r.member} holds none of the ${acknowledged.size} acknowledged creates: an empty member proves no absence`);
    for (const p of input.paths) {
      const got = s.registers.get(p);
      if (!got) problems.push(`${p} not read on ${r.member}`);
      else if (got.value !== null) problems.push(`${p} present on ${r.member} (${got.value})`);
    }
  }
  return verdict(name, problems.length === 0, problems.length ? some(problems) : `absent on every member read`, { problems });
}

/** A member's process answers on its client port (ruok: imok), whether or not it serves yet (P2: 3 up before 4 and 5 start). */
export function memberAnswers(input: { member: MemberId; ruok: string; before?: string }): CheckResult {
  const name = `member ${input.member} answers ruok with imok${input.before ? ` before ${input.before}` : ""}`;
  if (input.ruok.trim().length === 0) return inconclusive(name, `member ${input.member} was not asked`, { ...input });
  const ok = input.ruok.trim() === "imok";
  return verdict(name, ok, ok ? "imok" : `answered ${JSON.stringify(input.ruok.trim().slice(0, 200))}`, { ...input });
}

/** Each member named served reads to a read load on it (P6: the observer serves reads), from the load's own count. */
export function readsServed(input: { name: string; members: readonly MemberId[]; servedBy: Readonly<Record<string, number>>; reads: number; by: readonly MemberId[] }): CheckResult {
  const name = `member${input.by.length === 1 ? "" : "s"} ${input.by.join(", ")} serve${input.by.length === 1 ? "s" : ""} reads (${input.name})`;
  if (input.reads === 0) return inconclusive(name, "no read was acknowledged", { ...input });
  const idle = input.by.filter((id) => !(input.servedBy[id] > 0));
  return verdict(name, idle.length === 0, idle.length === 0 ? input.by.map((id) => `${id}: ${input.servedBy[id]} reads`).join(", ") : `served no read: ${idle.join(", ")} (${JSON.stringify(input.servedBy)})`, { ...input });
}
