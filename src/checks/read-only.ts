// What a member cut from its quorum serves with readonlymode.enabled (ZOOKEEPER-784): reads to a
// client that asked for read-only service, every write refused with NOT_READONLY, and, as on any
// server, a session's replies never going back (each reply's zxid at or past the last).
import type { MemberId } from "../topology";
import { CheckResult, inconclusive, some, verdict } from "./result";

export interface ReadOnlyReply {
  readonly op: "read" | "write";
  readonly path: string;
  /** "ok" or the error code. */
  readonly outcome: string;
  /** The reply header's zxid. */
  readonly zxid?: string;
}

export interface ReadOnlyServed {
  readonly member: MemberId;
  /** Sessions tried until one was served read-only, or the deadline. */
  readonly attempts: number;
  readonly waitedMs: number;
  /** The last session the member took: served read-only (true), read-write (false), or none taken (null). */
  readonly readOnly: boolean | null;
  readonly sessionId?: string;
  /** Why no session was taken, when none was. */
  readonly refused?: string;
  /** Every reply of the session in the order sent: reads, the one write, reads again. */
  readonly replies: readonly ReadOnlyReply[];
}

/** The error a read-only server refuses writes with (KeeperException.Code.NOTREADONLY). */
export const NOT_READONLY = "NOT_READONLY";
/** Errors that prove nothing about the write (no answer): neither a refusal nor an acceptance. */
const UNANSWERED = new Set(["CONNECTION_LOSS", "TIMEOUT", "SESSION_EXPIRED", "OTHER"]);

export function readOnlyServes(r: ReadOnlyServed): CheckResult {
  const name = `member ${r.member}, cut from its quorum, serves reads read-only and refuses writes`;
  const evidence = { ...r };
  if (r.readOnly === null) return verdict(name, false, `no session served within ${(r.waitedMs / 1000).toFixed(1)} s (${r.attempts} tried)${r.refused ? `: ${r.refused}` : ""}`, evidence);
  if (!r.readOnly) return verdict(name, false, `it served the session read-write: it still had a quorum (${r.attempts} session(s) tried over ${(r.waitedMs / 1000).toFixed(1)} s)`, evidence);
  const reads = r.replies.filter((x) => x.op === "read");
  const served = reads.filter((x) => x.outcome === "ok");
  const unserved = reads.filter((x) => x.outcome !== "ok" && x.outcome !== "NO_NODE");
  if (served.length === 0) return verdict(name, false, `no read served: ${some(reads.map((x) => `${x.path} ${x.outcome}`), 3) || "none sent"}`, evidence);
  const replies = r.replies;
  const back: string[] = [];
  let last: { zxid: bigint; what: string } | undefined;
  for (const x of replies) {
    if (!x.zxid) continue;
    const z = BigInt(x.zxid);
    if (last && z < last.zxid) back.push(`${x.path} answered at ${x.zxid} after ${last.what} at 0x${last.zxid.toString(16)}`);
    if (!last || z > last.zxid) last = { zxid: z, what: x.path };
  }
  if (back.length > 0) return verdict(name, false, `the session's replies went back: ${some(back, 3)}`, evidence);
  const w = r.replies.find((x) => x.op === "write");
  if (!w) return inconclusive(name, "no write was tried", evidence);
  if (w.outcome === "ok") return verdict(name, false, `the write to ${w.path} was accepted by a read-only server`, evidence);
  if (UNANSWERED.has(w.outcome)) return inconclusive(name, `the write to ${w.path} was not answered (${w.outcome}): whether it was refused is not known`, evidence);
  if (w.outcome !== NOT_READONLY) return verdict(name, false, `the write to ${w.path} got ${w.outcome}, not ${NOT_READONLY}: the server judged it as a writable tree would`, evidence);
  const zxids = replies.filter((x) => x.zxid).map((x) => x.zxid!);
  return verdict(
    name,
    unserved.length === 0,
    `${served.length} read(s) served read-only${zxids.length ? ` at zxid ${zxids[0]}${zxids[zxids.length - 1] !== zxids[0] ? `..${zxids[zxids.length - 1]}` : ""}` : ""}, never going back; the write refused with ${NOT_READONLY}${unserved.length ? `; but ${some(unserved.map((x) => `${x.path} ${x.outcome}`), 3)}` : ""}`,
    evidence,
  );
}
