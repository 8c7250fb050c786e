// One ZooKeeper session over node-zookeeper-client: the connection, its counters, and the read
// timeout the library lacks. Its lanes (src/zk/client.ts) share it.
import zookeeper from "node-zookeeper-client";
// Before any session connects: a reply the library cannot read drops the connection instead of throwing.
import "./library-guard";
import type { ZkClientOptions } from "./options";
import type { ReadOnlyFields } from "./read-only";
import "./read-only";

/** Internal to node-zookeeper-client 1.x (pinned): its connection manager's socket, last zxid, state and negotiated timeout. */
export interface Internals {
  connectionManager?: ReadOnlyFields & {
    zxid?: Buffer;
    socket?: { bytesRead: number; remotePort?: number; destroy(): void };
    state: number;
    sessionTimeout: number;
  };
}

/** The connection manager's CLOSING state: its socket's close then ends the session's client without a retry. */
const CLOSING = -1;

/** One ZooKeeper session: the connection, its counters, its read timeout. Shared by its lanes. */
export class Session {
  readonly raw: zookeeper.Client;
  readonly opTimeoutMs: number;
  readonly counters = { disconnects: 0, expirations: 0, reconnects: 0, readTimeouts: 0 };
  everConnected = false;
  expired = false;
  watchdog?: NodeJS.Timeout;

  constructor(
    readonly connectString: string,
    readonly opts: ZkClientOptions,
  ) {
    this.opTimeoutMs = opts.opTimeoutMs ?? 10_000;
    this.raw = zookeeper.createClient(connectString, { sessionTimeout: opts.sessionTimeoutMs ?? 10_000, spinDelay: 100, retries: 0 });
    if (opts.canBeReadOnly) this.manager.zkdrillCanBeReadOnly = true;
    this.raw.on("state", (s) => {
      if (s === zookeeper.State.DISCONNECTED) this.counters.disconnects++;
      if (s === zookeeper.State.EXPIRED) {
        this.counters.expirations++;
        this.expired = true;
      }
      if (s === zookeeper.State.SYNC_CONNECTED) {
        if (this.everConnected) this.counters.reconnects++;
        this.everConnected = true;
      }
    });
  }

  private get manager(): NonNullable<Internals["connectionManager"]> {
    return (this.raw as unknown as Internals).connectionManager!;
  }

  /** The timeout the server granted at the last connect (it bounds the request to 2..20 ticks). */
  get negotiatedTimeoutMs(): number {
    return this.manager.sessionTimeout;
  }

  /** The server said at the last connect that it serves this session read-only. */
  get readOnly(): boolean {
    return this.manager.zkdrillReadOnly === true;
  }

  /**
   * The client's process gone: its socket dropped without a closeSession, and no reconnect (the
   * library retries a closed socket unless it is closing). The session lives on in the ensemble
   * until the server expires it, as after a kill -9 of the client.
   */
  crash(): void {
    clearInterval(this.watchdog);
    const m = this.manager;
    m.state = CLOSING; // set directly: close() would queue the closeSession a crash never sends
    m.socket?.destroy();
  }

  /**
   * The Java client drops a server it has not heard from in 2/3 of the session timeout and moves to
   * the next one; node-zookeeper-client has that read timeout commented out, so a server behind a
   * silent (blackholed) link would hold its sessions forever. This puts it back: the client pings
   * every 1/3, so a live link always shows bytes read within 2/3.
   */
  startReadTimeout(sessionTimeoutMs: number): void {
    const limitMs = Math.floor((sessionTimeoutMs * 2) / 3);
    let lastBytes = -1;
    let lastChange = Date.now();
    let lastSocket: unknown;
    const timer = setInterval(
      () => {
        // Internal to node-zookeeper-client 1.x: its connection manager's socket.
        const socket = (this.raw as unknown as Internals).connectionManager?.socket;
        if (!socket || socket !== lastSocket) {
          lastSocket = socket;
          lastBytes = socket?.bytesRead ?? -1;
          lastChange = Date.now();
          return;
        }
        if (socket.bytesRead !== lastBytes) {
          lastBytes = socket.bytesRead;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > limitMs) {
          this.counters.readTimeouts++;
          socket.destroy(); // the library then reconnects to the next server
          lastChange = Date.now();
        }
      },
      Math.max(100, Math.floor(sessionTimeoutMs / 10)),
    );
    timer.unref();
    this.watchdog = timer;
  }
}
