// A client session the drill watches: its own connect string (one server, or several), an ephemeral
// znode it holds, and when it saw its connection drop, come back or expire. Another session reads
// who owns the ephemeral afterwards: ZooKeeper's own answer to whether the session lives. It reaches
// the members through a link of its own (src/network/client-link.ts), so a drill can cut it alone.
import { type HistoryRecorder, monoNow } from "../history";
import { ClientLink } from "../network";
import type { StartedEnsemble } from "../runtime";
import type { MemberId } from "../topology";
import { CreateMode, errorKind, ZkClient } from "../zk";
import { SYNC_ROOT } from "./reads";

export const PROBE_ROOT = "/zkdrill/probes";

export class ProbeSession {
  /** Monotonic ms of the first drop, return and expiry seen after `arm()`. */
  disconnectedAt: number | null = null;
  reconnectedAt: number | null = null;
  expired = false;
  /** Monotonic ms it was told its session expired (null: not yet); kept across `arm()`. */
  expiredAt: number | null = null;
  faultAt = 0;
  /** Monotonic ms its own link was cut and healed (null: not since `arm()`). */
  cutAt: number | null = null;
  healedAt: number | null = null;
  /** Its process is gone (crash): nothing of it talks to the ensemble any more. */
  crashed = false;
  /** The last client-side fault, in a verdict's words (null: none; its server's fate is the drill's). */
  clientFault: string | null = null;
  #healTimer?: NodeJS.Timeout;
  #onHeal: Array<() => void> = [];

  private constructor(
    readonly name: string,
    readonly members: readonly MemberId[],
    readonly sessionTimeoutMs: number,
    readonly path: string,
    private readonly client: ZkClient,
    private readonly link: ClientLink,
  ) {
    client.onState((state) => {
      const now = monoNow();
      if (state === "disconnected" && this.disconnectedAt === null) this.disconnectedAt = now;
      if (state === "connected" && this.disconnectedAt !== null && this.reconnectedAt === null) this.reconnectedAt = now;
      if (state === "expired") {
        this.expired = true;
        this.expiredAt ??= now;
      }
    });
  }

  /**
   * Connects to `members` only and creates its ephemeral znode; `ephemeral: false` leaves that for
   * `createEphemeral` (a session that is still a local one until it does: localSessionsEnabled).
   */
  static async open(e: StartedEnsemble, history: HistoryRecorder, name: string, members: readonly MemberId[], sessionTimeoutMs: number, o: { ephemeral?: boolean } = {}): Promise<ProbeSession> {
    const link = await ClientLink.open(members.map((id) => e.endpoint(id)));
    const client = await ZkClient.connect(link.connectString, { sessionTimeoutMs, record: { history, role: `probe session ${name}`, members } }).catch((err) => {
      link.close();
      throw err;
    });
    const path = `${PROBE_ROOT}/${name}`;
    try {
      await client.mkdirp(PROBE_ROOT);
      if (o.ephemeral !== false) await client.create(path, client.uniqueData({ probe: name }), CreateMode.EPHEMERAL);
    } catch (err) {
      client.close();
      link.close();
      throw err;
    }
    return new ProbeSession(name, members, sessionTimeoutMs, path, client, link);
  }

  /** Creates its ephemeral znode now: "ok", or the kind of error the create ended with. Never throws. */
  createEphemeral(): Promise<string> {
    return this.client.create(this.path, this.client.uniqueData({ probe: this.name }), CreateMode.EPHEMERAL).then(
      () => "ok",
      (err) => errorKind(err),
    );
  }

  /** The timeout the server granted (ZooKeeper bounds the request to 2..20 ticks). */
  get negotiatedTimeoutMs(): number {
    return this.client.negotiatedTimeoutMs;
  }

  get sessionId(): string {
    return this.client.sessionId;
  }

  /** The member the session is connected to now. */
  get server(): MemberId | undefined {
    return this.client.currentMember;
  }

  /** From now on: the fault is about to happen; what the session sees is timed from here. */
  arm(): void {
    this.faultAt = monoNow();
    this.disconnectedAt = null;
    this.reconnectedAt = null;
    this.cutAt = null;
    this.healedAt = null;
  }

  /** Its process gone (kill -9 of the client): no closeSession sent, no reconnect; armed now. */
  crash(): void {
    this.arm();
    this.crashed = true;
    this.clientFault = "its process's crash (no closeSession)";
    this.client.crash();
  }

  /** Its own link cut, armed now; healed after `forMs` (by a timer: the drill watches the session meanwhile). */
  cut(forMs: number): void {
    if (this.crashed) throw new Error(`client ${this.name} crashed: there is no connection left to cut`);
    if (this.cutAt !== null && this.healedAt === null) throw new Error(`client ${this.name} is already cut`);
    this.arm();
    this.link.cut();
    this.cutAt = monoNow();
    this.clientFault = `a ${forMs} ms cut from its servers`;
    this.#healTimer = setTimeout(() => this.heal(), forMs);
  }

  heal(): void {
    clearTimeout(this.#healTimer);
    if (!this.link.isCut) return;
    this.link.heal();
    this.healedAt = monoNow();
    for (const f of this.#onHeal.splice(0)) f();
  }

  /** Resolves when its cut heals (at once when none is in force). */
  healed(): Promise<void> {
    return this.link.isCut ? new Promise((r) => this.#onHeal.push(r)) : Promise.resolve();
  }

  /**
   * Writes its ephemeral and returns the znode's mtime: the wall clock of the leader that proposed the
   * write (a skewed leader's clock shows here), with the host's clock before and after the call.
   */
  async stamp(): Promise<{ mtimeMs: number; before: number; after: number }> {
    const before = Date.now();
    const stat = await this.client.setData(this.path, this.client.uniqueData({ probe: this.name, stamp: before }));
    const after = Date.now();
    const raw = stat.mtime as unknown;
    const mtimeMs = Buffer.isBuffer(raw) ? Number(raw.readBigInt64BE(0)) : Number(raw);
    return { mtimeMs, before, after };
  }

  close(): void {
    clearTimeout(this.#healTimer);
    // A crashed client sends nothing, not even the closeSession of a close.
    if (!this.crashed) this.client.close();
    this.link.close();
    for (const f of this.#onHeal.splice(0)) f();
  }
}

/** Who owns `path` now (its session id), or null when it is gone: a synced read through `members`. */
export async function ephemeralOwner(e: StartedEnsemble, history: HistoryRecorder, path: string, members: readonly MemberId[]): Promise<string | null> {
  const reader = await OwnerReader.open(e, history, path, members);
  try {
    return (await reader.read()).owner;
  } finally {
    reader.close();
  }
}

/** One session that reads who owns `path`, again and again (a wait polls it without a connect each time). */
export class OwnerReader {
  private constructor(
    private readonly client: ZkClient,
    readonly path: string,
  ) {}

  static async open(e: StartedEnsemble, history: HistoryRecorder, path: string, members: readonly MemberId[]): Promise<OwnerReader> {
    const client = await ZkClient.connect(e.connectString(members), { connectTimeoutMs: 15_000, record: { history, role: `probe reader of ${path}`, members } });
    return new OwnerReader(client, path);
  }

  /**
   * The owner (null: gone) and `syncedAt`, when the sync write began: a read that still sees the
   * znode after that write proves it was not yet deleted when the write was asked.
   */
  async read(): Promise<{ owner: string | null; syncedAt: number }> {
    const syncedAt = monoNow();
    await this.client.syncWrite(`${SYNC_ROOT}/probe-reader`);
    const stat = await this.client.exists(this.path).catch((err) => {
      if (errorKind(err) === "NO_NODE") return undefined;
      throw err;
    });
    return { owner: stat ? (stat.ephemeralOwner as unknown as Buffer).toString("hex") : null, syncedAt };
  }

  close(): void {
    this.client.close();
  }
}
