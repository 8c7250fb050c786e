// Whether an ephemeral znode ends with its session, judged on each member's own reading: once the client
// is told its session expired, no member that serves may still hold a znode that session owns. A member
// that keeps one (ZOOKEEPER-2926: a session its leader never knew) holds it for good: nothing will
// close that session again.
import type { MemberId } from "../topology";
import { CheckResult, inconclusive, verdict } from "./result";

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One member's last reading of the path: the owner it showed (null: absent) and when; or why it answered nothing. */
export interface EphemeralRead {
  readonly member: MemberId;
  /** The session owning the znode (16 hex digits), null when the member holds none; absent when it could not be read. */
  readonly owner?: string | null;
  /** Monotonic ms of the reading. */
  readonly at?: number;
  readonly error?: string;
}

export interface EphemeralEndsInput {
  readonly path: string;
  /** The session that created it (16 hex digits, as a znode's ephemeralOwner reads). */
  readonly sessionId: string;
  /** Monotonic ms the client was told its session expired; null: it never was while watched. */
  readonly expiredAt: number | null;
  /** How long after that a member may still show it (its apply lagging the close). */
  readonly boundMs: number;
  readonly reads: readonly EphemeralRead[];
}

/** After the client is told its session expired, every member that answers no longer holds the session's ephemeral, within the bound. */
export function ephemeralEnds(input: EphemeralEndsInput): CheckResult {
  const name = `${input.path} ends with its session on every serving member within ${secs(input.boundMs)}`;
  const evidence = { ...input };
  if (input.reads.length === 0) return inconclusive(name, "no member was read", evidence);
  if (input.expiredAt === null) return inconclusive(name, "the client was never told its session expired: there is no end to hold the znode to", evidence);
  const answered = input.reads.filter((r) => r.owner !== undefined && r.at !== undefined);
  if (answered.length === 0) return inconclusive(name, `no member answered (${input.reads.map((r) => `member ${r.member}: ${r.error ?? "no reading"}`).join("; ")})`, evidence);
  const after = (r: EphemeralRead) => r.at! - input.expiredAt!;
  const held = answered.filter((r) => r.owner === input.sessionId);
  const gone = answered.filter((r) => r.owner !== input.sessionId).map((r) => r.member);
  const goneText = gone.length ? `gone on member${gone.length > 1 ? "s" : ""} ${gone.join(", ")}` : "";
  const silent = input.reads.filter((r) => r.owner === undefined).map((r) => r.member);
  const silentText = silent.length ? ` (not serving: ${silent.join(", ")})` : "";
  const past = held.filter((r) => after(r) >= input.boundMs);
  if (past.length === 0 && held.length > 0) {
    return inconclusive(name, `member ${held.map((r) => r.member).join(", ")} still held it when last read, only ${secs(Math.max(...held.map(after)))} after the expiry (bound ${secs(input.boundMs)})`, evidence);
  }
  if (past.length > 0) {
    const holders = past.map((r, i) => `member ${r.member} still holds it ${secs(after(r))} after${i === past.length - 1 ? " the session was declared expired to its client" : ""}`);
    return verdict(name, false, `${input.path} (owner 0x${input.sessionId}) outlives its session: ${[...holders, ...(goneText ? [goneText] : [])].join("; ")}${silentText}`, { ...evidence, holders: past.map((r) => r.member) });
  }
  return verdict(name, true, `${input.path} (owner 0x${input.sessionId}) is ${goneText} after the session was declared expired to its client${silentText}`, evidence);
}
