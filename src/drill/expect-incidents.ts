// Expectations for the incident drills (src/drill/fault-words.ts): a member that ends by itself and
// says why, sessions kept or expired, connections capped, writes refused, elections that did not happen.
import type { EphemeralRead } from "../checks";
import { waitFor } from "../common";
import { ephemeralOwner, OwnerReader, ProbeSession, readOnlyService } from "../probes";
import { monoNow } from "../history";
import type { QuorumView } from "../runtime";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";
import type { RunCore } from "./core";

/** ZooKeeper's default jute.maxbuffer: 0xfffff bytes. */
export const JUTE_MAXBUFFER = 0xfffff;

export class IncidentExpectations {
  constructor(private readonly run: RunCore) {}

  /** The member's process ends by itself within `timeoutMs` and its log says why (`pattern`). */
  async memberExits(member: MemberId, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<void> {
    const state = await waitFor(`member ${member}'s process to exit`, async () => {
      const s = await this.run.ensemble.state(member);
      return s === "stopped" ? { done: true, value: s } : { done: false, seen: s };
    }, { timeoutMs, intervalMs: 250 }).catch(async () => this.run.ensemble.state(member));
    const exitCode = await this.run.ensemble.exitCode(member);
    this.run.check("member-exited", { member, state, exitCode, pattern: pattern.source, log: (await this.run.ensemble.log(member)).slice(-40_000), what });
  }

  /**
   * The member leaves service within `timeoutMs` and its log says why (`pattern`): it exits, or it keeps
   * running without serving. Awaited on the log line first: that is the fault's evidence of having bitten.
   */
  async memberOutOfService(member: MemberId, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<void> {
    const seen = async () => {
      const state = await this.run.ensemble.state(member);
      const serving = state === "running" ? await this.run.ensemble.status(member).then((s) => s.serving, () => null) : null;
      return { state, serving };
    };
    // The log (the whole container log) is read only once the member is out of service, not every poll.
    // Judged on the sighting that met the wait: a member between retries (or exiting) may look
    // otherwise a moment later. Only a wait that timed out is judged on a last, fresh look.
    let log = "";
    const s = await waitFor(`member ${member} to leave service, its log matching /${pattern.source}/`, async () => {
      const now = await seen();
      const out = now.state === "stopped" || now.serving === false;
      if (out) log = await this.run.ensemble.log(member);
      return out && pattern.test(log) ? { done: true, value: now } : { done: false, seen: `${now.state}, serving ${now.serving}${out ? ", no such log line yet" : ""}` };
    }, { timeoutMs, intervalMs: 250 }).catch(() => seen());
    const exitCode = s.state === "stopped" ? await this.run.ensemble.exitCode(member) : null;
    if (!pattern.test(log)) log = await this.run.ensemble.log(member);
    this.run.check("member-out-of-service", { member, ...s, exitCode, pattern: pattern.source, log: log.slice(-40_000), what });
  }

  /** The clock fault bit: a write through `p` (proposed by the leader, `member`) carries an mtime `offsetSeconds` off. Returns the offset seen, s. */
  async clockMoved(p: ProbeSession, member: MemberId, offsetSeconds: number, phase: string): Promise<number> {
    const s = await p.stamp();
    const seenSeconds = (s.mtimeMs - (s.before + s.after) / 2) / 1000;
    this.run.check("clock-moved", { member, offsetSeconds, seenSeconds, phase });
    return seenSeconds;
  }

  /** The probe's fate so far, with who owns its ephemeral now (read through the running members). */
  async #fateOf(p: ProbeSession) {
    const owner = await ephemeralOwner(this.run.ensemble, this.run.history, p.path, await this.#readersFor(p));
    return {
      name: p.name,
      members: [...p.members],
      sessionId: p.sessionId,
      sessionTimeoutMs: p.sessionTimeoutMs,
      faultAt: p.faultAt,
      disconnectedAt: p.disconnectedAt,
      reconnectedAt: p.reconnectedAt,
      expired: p.expired,
      ephemeral: { path: p.path, owner, readAt: monoNow() },
      negotiatedTimeoutMs: p.negotiatedTimeoutMs,
      ...(p.clientFault ? { fault: p.clientFault } : {}),
      ...(p.cutAt !== null ? { cut: { at: p.cutAt, healedAt: p.healedAt } } : {}),
    };
  }

  /**
   * Who reads the probe's ephemeral: members other than its own when its server is what failed; any
   * running member when the fault was the client's (its servers are healthy).
   */
  async #readersFor(p: ProbeSession): Promise<number[]> {
    const running = await this.run.ensemble.running();
    if (p.clientFault) return running;
    const others = running.filter((id) => !p.members.includes(id) || p.members.length > 1);
    return others.length ? others : running;
  }

  /** A client on several servers keeps its session: waits (bounded) until it is back or expired, then reads its ephemeral's owner. */
  async sessionKept(p: ProbeSession): Promise<void> {
    // A cut of its own link: judged once healed, the connection held or made again.
    const cut = p.cutAt !== null;
    const settled = () => p.expired || p.reconnectedAt !== null || (cut && p.healedAt !== null && p.disconnectedAt === null);
    await waitFor(`${p.name} to reconnect`, async () => (settled() ? { done: true, value: undefined } : { done: false, seen: cut && p.healedAt === null ? "cut" : p.disconnectedAt === null ? "connected" : "disconnected" }), {
      timeoutMs: p.sessionTimeoutMs * 3,
      intervalMs: 50,
    }).catch(() => undefined);
    this.run.check("session-kept", await this.#fateOf(p));
  }

  /** Nothing happened to the session across `across` (a clock jump): not expired, its ephemeral its own. */
  async sessionAlive(p: ProbeSession, across: string): Promise<void> {
    this.run.check("session-alive", { ...(await this.#fateOf(p)), across });
  }

  /**
   * A client whose only server died loses its session, not before ZooKeeper's bound: its ephemeral
   * read on one session every 50 ms (bounded) until gone, so the last sighting is close to the expiry.
   */
  async sessionExpired(p: ProbeSession): Promise<void> {
    const readers = await this.#readersFor(p);
    let lastPresentAt: number | null = null;
    let goneAt: number | null = null;
    const reader = await OwnerReader.open(this.run.ensemble, this.run.history, p.path, readers);
    try {
      await waitFor(`${p.path} to go`, async () => {
        const { owner, syncedAt } = await reader.read();
        if (owner === null) {
          goneAt = monoNow();
          return { done: true, value: undefined };
        }
        lastPresentAt = syncedAt;
        return { done: false, seen: `owned by ${owner}` };
      }, { timeoutMs: p.sessionTimeoutMs * 3 + 10_000, intervalMs: 50 }).catch(() => undefined);
    } finally {
      reader.close();
    }
    this.run.check("session-expired", { ...(await this.#fateOf(p)), goneAt, lastPresentAt, tickTime: this.run.ensemble.topology.settings.tickTime });
  }

  /**
   * The client's ephemeral ends with its session on every member: waits (bounded, `waitMs`) until the
   * client is told its session expired, then reads `members` one by one, each alone after a sync,
   * every 250 ms until none holds a znode of that session or `boundMs` has passed since the expiry.
   */
  async ephemeralEnds(p: ProbeSession, members: readonly MemberId[], o: { boundMs: number; waitMs?: number }): Promise<void> {
    await this.run.unlessStopped(
      waitFor(`client ${p.name} to be told its session expired`, async () => (p.expiredAt !== null ? { done: true, value: undefined } : { done: false, seen: p.reconnectedAt !== null ? "reconnected" : "not told" }), {
        timeoutMs: o.waitMs ?? 60_000,
        intervalMs: 100,
      }).catch((err: Error) => (/^stopped: /.test(err.message) ? Promise.reject(err) : undefined)),
    );
    const from = p.expiredAt ?? monoNow();
    const readOne = async (member: MemberId): Promise<EphemeralRead> => {
      const reader = await OwnerReader.open(this.run.ensemble, this.run.history, p.path, [member]).catch((err) => errorKind(err));
      if (typeof reader === "string") return { member, error: `no session: ${reader}` };
      try {
        for (;;) {
          const { owner, syncedAt } = await reader.read();
          if (owner !== p.sessionId || syncedAt - from >= o.boundMs) return { member, owner, at: syncedAt };
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch (err) {
        return { member, error: errorKind(err) };
      } finally {
        reader.close();
      }
    };
    const reads = await this.run.unlessStopped(Promise.all(members.map(readOne)));
    this.run.check("ephemeral-ends", { path: p.path, sessionId: p.sessionId, expiredAt: p.expiredAt, boundMs: o.boundMs, reads });
  }

  /**
   * A member cut from its quorum serves read-only clients (the drill needs readOnlyMode): a session
   * asking for read-only service (waited for, bounded: the member starts its read-only server a
   * moment after it loses the quorum) reads the drill's named znodes (or /), is refused a write
   * (NOT_READONLY), reads again; the replies' zxids never go back.
   */
  async readOnlyServes(member: MemberId, timeoutMs = 60_000): Promise<void> {
    const paths = this.run.named.length ? [...this.run.named] : ["/"];
    this.run.check("read-only-serves", await readOnlyService(this.run.ensemble, this.run.history, member, paths, timeoutMs));
  }

  /**
   * Past maxClientCnxns: `attempts` sessions opened from this host to `member` alone (the harness's
   * own count too); never more than `max` connect, and the member's log says it refused some.
   */
  async connectionsCapped(member: MemberId, max: number, attempts: number): Promise<void> {
    const clients: ZkClient[] = [];
    try {
      for (let i = 0; i < attempts; i++) {
        const c = await ZkClient.connect(this.run.ensemble.connectString([member]), { connectTimeoutMs: 3_000, sessionTimeoutMs: 6_000 }).catch(() => undefined);
        if (c) clients.push(c);
      }
      const log = await this.run.ensemble.log(member);
      const logLine = log.split("\n").find((l) => /Too many connections from/.test(l))?.trim() ?? null;
      this.run.check("connections-capped", { member, max, attempted: attempts, established: clients.length, logLine });
    } finally {
      for (const c of clients) c.close();
    }
  }

  /** A write over jute.maxbuffer through `members` is refused, and nothing of it is there afterwards. */
  async oversizedWriteRefused(path: string, bytes: number, members: readonly MemberId[]): Promise<void> {
    const record = { history: this.run.history, role: "oversized write", members };
    const outcome = await ZkClient.with(
      this.run.ensemble.connectString(members),
      async (c) => c.create(path, Buffer.alloc(bytes, 0x61)).then(() => "ok", (err) => errorKind(err)),
      { connectTimeoutMs: 15_000, record },
    );
    const existsAfter = (await ephemeralOwner(this.run.ensemble, this.run.history, path, members).catch(() => "unknown")) !== null;
    this.run.check("oversized-write-refused", { path, bytes, outcome, existsAfter, limitBytes: JUTE_MAXBUFFER });
  }

  /** No election across `what`: the quorum now has the leader and epoch of `before`. */
  async leaderHeld(what: string, before: QuorumView): Promise<void> {
    const after = await this.run.quorum();
    this.run.check("leader-held", { what, before: { leader: before.leader, epoch: before.epoch }, after: { leader: after.leader, epoch: after.epoch } });
  }
}
