// What ZooKeeper promises a client when its server dies or it asks too much: a session lives while
// some server hears from it within the session timeout (and no sooner does it expire); a server
// caps connections per address (maxClientCnxns); a request over jute.maxbuffer is refused whole.
import type { MemberId } from "../topology";
import { CheckResult, inconclusive, verdict } from "./result";

export interface SessionFate {
  readonly name: string;
  /** The members its connect string names. */
  readonly members: readonly MemberId[];
  readonly sessionId: string;
  readonly sessionTimeoutMs: number;
  /** Monotonic ms: the fault that took its server away. */
  readonly faultAt: number;
  /** Monotonic ms the client saw its connection drop, and come back (null: it did not). */
  readonly disconnectedAt: number | null;
  readonly reconnectedAt: number | null;
  /** The client was told its session expired. */
  readonly expired: boolean;
  /** Its ephemeral znode, read by another session after the fault: present with this owner, or not. */
  readonly ephemeral: { readonly path: string; readonly owner: string | null; readonly readAt: number };
  /** The timeout the server granted (absent in journals from before it was recorded: the requested one stands in). */
  readonly negotiatedTimeoutMs?: number;
  /** What the fault was, in the check's name (absent: its server's death). */
  readonly fault?: string;
  /** A cut of the client's own link (client-partition): monotonic ms it began and healed (null: not yet). */
  readonly cut?: { readonly at: number; readonly healedAt: number | null };
}

/** The timeout a session lives by: the one the server granted, where it was recorded. */
const timeoutOf = (s: SessionFate) => s.negotiatedTimeoutMs ?? s.sessionTimeoutMs;

const ms = (n: number) => `${Math.round(n)} ms`;

/** A client on several servers keeps its session across one server's death: reconnected, its ephemeral still its own. */
export function sessionKept(s: SessionFate): CheckResult {
  const name = `${s.name}'s session (${s.members.length} server(s) in its connect string) survives ${s.fault ?? "its server's death"}`;
  const evidence = { ...s };
  if (s.cut) return keptAcrossCut(name, s, s.cut);
  if (s.disconnectedAt === null) return inconclusive(name, `the client never lost its connection, so the fault did not reach it (its server was not the one that died)`, evidence);
  const kept = !s.expired && s.reconnectedAt !== null && s.ephemeral.owner === s.sessionId;
  const took = s.reconnectedAt === null ? "never reconnected" : `reconnected ${ms(s.reconnectedAt - s.disconnectedAt)} after the drop`;
  return verdict(name, kept, `${took} (session timeout ${ms(s.sessionTimeoutMs)}); ${s.ephemeral.path} ${s.ephemeral.owner === s.sessionId ? "still its own" : s.ephemeral.owner ? `owned by ${s.ephemeral.owner}` : "gone"}${s.expired ? "; the client was told its session expired" : ""}`, evidence);
}

/**
 * Across a cut of the client's own link, shorter than ZooKeeper's earliest expiry: the session is
 * the same one after the heal, its ephemeral its own. The connection may have held (a cut shorter
 * than the client's 2/3-timeout read limit) or been dropped and made again.
 */
function keptAcrossCut(name: string, s: SessionFate, cut: { readonly at: number; readonly healedAt: number | null }): CheckResult {
  const evidence = { ...s };
  if (cut.healedAt === null) return inconclusive(name, `the cut had not healed when ${s.ephemeral.path} was read`, evidence);
  if (s.ephemeral.readAt < cut.healedAt) return inconclusive(name, `${s.ephemeral.path} was read before the cut healed`, evidence);
  const cutMs = cut.healedAt - cut.at;
  const connection = s.disconnectedAt === null ? "its connection held" : s.reconnectedAt === null ? "it never reconnected" : `it reconnected ${ms(s.reconnectedAt - cut.healedAt)} after the heal`;
  const kept = !s.expired && s.ephemeral.owner === s.sessionId && (s.disconnectedAt === null || s.reconnectedAt !== null);
  return verdict(name, kept, `cut ${ms(cutMs)} (session timeout ${ms(timeoutOf(s))}): ${connection}; ${s.ephemeral.path} ${s.ephemeral.owner === s.sessionId ? "still its own" : s.ephemeral.owner ? `owned by ${s.ephemeral.owner}` : "gone"}${s.expired ? "; the client was told its session expired" : ""}`, evidence);
}

/**
 * Nothing a session could notice happened to it: never told it expired, its ephemeral still its own,
 * read at least a session timeout after the fault (sooner, an expiry could still be coming).
 */
export function sessionAlive(s: SessionFate & { readonly across: string }): CheckResult {
  const name = `${s.name}'s session lives across ${s.across}`;
  const alive = !s.expired && s.ephemeral.owner === s.sessionId;
  const held = s.ephemeral.readAt - s.faultAt;
  if (alive && held < s.sessionTimeoutMs) return inconclusive(name, `${s.ephemeral.path} read ${ms(held)} after the fault, before the ${ms(s.sessionTimeoutMs)} session timeout could have struck`, { ...s });
  return verdict(name, alive, alive ? `${s.ephemeral.path} still its own${s.disconnectedAt === null ? ", never disconnected" : ""}` : `${s.expired ? "the client was told its session expired; " : ""}${s.ephemeral.path} ${s.ephemeral.owner ? `owned by ${s.ephemeral.owner}` : "gone"}`, { ...s });
}

/**
 * A client cut from the ensemble (its only server dead, its process crashed, its link cut) loses its
 * session, and not before ZooKeeper's bound. The session lives by the timeout the server granted
 * ("The current implementation requires that the timeout be a minimum of 2 times the tickTime ...
 * and a maximum of 20 times the tickTime", Programmer's Guide; minSessionTimeout/maxSessionTimeout).
 * The leader expires it on tick boundaries, never before the timeout after its last touch
 * (ExpiryQueue.update: `roundToNextInterval(now + timeout)`, `(time / expirationInterval + 1) *
 * expirationInterval`, the interval being tickTime), and that touch can be as old as the client's
 * ping interval (a third of the timeout) plus the leader's ping interval to its followers (half a
 * tick: a follower passes its sessions' pings on only then). So nothing expires before
 * 2/3 x timeout - tickTime/2 after the fault. Evidence: its ephemeral still seen (`lastPresentAt`,
 * when that synced read began) and then seen gone (`goneAt`, when that read answered).
 */
export function sessionExpired(s: SessionFate & { readonly goneAt: number | null; readonly lastPresentAt: number | null; readonly tickTime?: number }): CheckResult {
  const name = s.fault
    ? `${s.name}'s session expires after ${s.fault}, not before its timeout`
    : `${s.name}'s session (${s.members.length} server in its connect string) expires after its server's death, not before its timeout`;
  const evidence = { ...s };
  const timeout = timeoutOf(s);
  if (s.goneAt === null) return verdict(name, false, `${s.ephemeral.path} was still there ${ms(s.ephemeral.readAt - s.faultAt)} after the fault (session timeout ${ms(timeout)})`, evidence);
  // Journals written before tickTime was recorded judge with the stricter bound they were judged by.
  const earliest = earliestExpiryMs(timeout, s.tickTime ?? 0);
  const gone = s.goneAt - s.faultAt;
  const bound = `${ms(earliest)} (2/3 of the ${ms(timeout)} timeout less half a ${ms(s.tickTime ?? 0)} tick)`;
  // Proven early: seen gone before the bound. Proven in time: still seen at or after it. Between the
  // two sightings, the reads did not show when it went: not known, never a pass.
  if (gone < earliest) return verdict(name, false, `${s.ephemeral.path} gone by ${ms(gone)} after the fault, before ${bound}`, evidence);
  const present = s.lastPresentAt === null ? null : s.lastPresentAt - s.faultAt;
  if (present === null || present < earliest) {
    const seen = present === null ? "already gone at the first read after the fault" : `last seen ${ms(present)} after the fault`;
    return inconclusive(name, `${s.ephemeral.path} ${seen}, gone by ${ms(gone)}: whether it went before ${bound} is not known`, evidence);
  }
  return verdict(name, true, `${s.ephemeral.path} still there ${ms(present)} after the fault, gone by ${ms(gone)} (session timeout ${ms(timeout)}, earliest expiry ${ms(earliest)})`, evidence);
}

/** ZooKeeper's earliest expiry after a fault, ms (the bound sessionExpired judges by): for a dry run's words. */
export function earliestExpiryMs(timeoutMs: number, tickTime: number): number {
  return (timeoutMs * 2) / 3 - tickTime / 2;
}

/** The timeout a server grants for `requestedMs` with its default bounds (2 and 20 ticks). */
export function grantedTimeoutMs(requestedMs: number, tickTime: number): number {
  return Math.min(Math.max(requestedMs, 2 * tickTime), 20 * tickTime);
}

export interface CappedConnections {
  readonly member: MemberId;
  readonly max: number;
  readonly attempted: number;
  readonly established: number;
  /** The member's log line refusing one, when found. */
  readonly logLine: string | null;
}

/** Past maxClientCnxns from one address, the member refuses new connections and says so; never more than the cap. */
export function connectionsCapped(c: CappedConnections): CheckResult {
  const name = `member ${c.member} caps connections from one address at maxClientCnxns=${c.max}`;
  if (c.attempted <= c.max) return inconclusive(name, `only ${c.attempted} connection(s) tried, not more than the cap of ${c.max}`, { ...c });
  const ok = c.established <= c.max && c.established < c.attempted && c.logLine !== null;
  const why = c.established > c.max ? `${c.established} connected, more than the cap` : c.logLine === null ? "its log says nothing about refusing one" : `${c.attempted - c.established} refused`;
  return verdict(name, ok, `${c.established} of ${c.attempted} connected (the harness's own sessions count too); ${why}${c.logLine ? `: ${c.logLine.slice(0, 200)}` : ""}`, { ...c });
}

export interface OversizedWrite {
  readonly path: string;
  readonly bytes: number;
  /** What the client saw: ok, or the error code. */
  readonly outcome: string;
  /** A synced read after it: the znode exists. */
  readonly existsAfter: boolean;
  readonly limitBytes: number;
}

/** A write over jute.maxbuffer is refused and nothing of it is applied. */
export function oversizedWriteRefused(w: OversizedWrite): CheckResult {
  const name = `a ${(w.bytes / 1024 / 1024).toFixed(1)} MiB write over jute.maxbuffer (${w.limitBytes} bytes) is refused whole`;
  if (w.bytes <= w.limitBytes) return inconclusive(name, `${w.bytes} bytes is not over the limit`, { ...w });
  return verdict(name, w.outcome !== "ok" && !w.existsAfter, `the client saw ${w.outcome}; ${w.path} ${w.existsAfter ? "exists afterwards" : "does not exist afterwards"}`, { ...w });
}

export interface LeaderHeld {
  readonly what: string;
  readonly before: { readonly leader: MemberId; readonly epoch: number };
  readonly after: { readonly leader: MemberId; readonly epoch: number };
}

/** No election happened across `what`: the same leader in the same epoch. */
export function leaderHeld(h: LeaderHeld): CheckResult {
  const name = `no election across ${h.what}`;
  const same = h.before.leader === h.after.leader && h.before.epoch === h.after.epoch;
  return verdict(name, same, same ? `member ${h.after.leader} leads in epoch ${h.after.epoch}, as before` : `leader ${h.before.leader} epoch ${h.before.epoch} before, leader ${h.after.leader} epoch ${h.after.epoch} after`, { ...h });
}
