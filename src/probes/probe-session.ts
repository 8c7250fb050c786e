// A client session the drill watches: its own connect string (one server, or several), an ephemeral
// znode it holds, and when it saw its connection drop, come back or expire. Another session reads
// who owns the ephemeral afterwards: ZooKeeper's own answer to whether the session lives.
import { type HistoryRecorder, monoNow } from "../history";
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
  faultAt = 0;

  private constructor(
    readonly name: string,
    readonly members: readonly MemberId[],
    readonly sessionTimeoutMs: number,
    readonly path: string,
    private readonly client: ZkClient,
  ) {
    client.onState((state) => {
      const now = monoNow();
      if (state === "disconnected" && this.disconnectedAt === null) this.disconnectedAt = now;
      if (state === "connected" && this.disconnectedAt !== null && this.reconnectedAt === null) this.reconnectedAt = now;
      if (state === "expired") this.expired = true;
    });
  }

  /** Connects to `members` only and creates its ephemeral znode. */
  static async open(e: StartedEnsemble, history: HistoryRecorder, name: string, members: readonly MemberId[], sessionTimeoutMs: number): Promise<ProbeSession> {
    const client = await ZkClient.connect(e.connectString(members), { sessionTimeoutMs, record: { history, role: `probe session ${name}`, members } });
    const path = `${PROBE_ROOT}/${name}`;
    try {
      await client.mkdirp(PROBE_ROOT);
      await client.create(path, client.uniqueData({ probe: name }), CreateMode.EPHEMERAL);
    } catch (err) {
      client.close();
      throw err;
    }
    return new ProbeSession(name, members, sessionTimeoutMs, path, client);
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
    this.client.close();
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
