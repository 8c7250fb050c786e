// One ZooKeeper session over node-zookeeper-client: the connection, its counters, and the read
// timeout the library lacks. Its lanes (src/zk/client.ts) share it.
import zookeeper from "node-zookeeper-client";
// Before any session connects: a reply the library cannot read drops the connection instead of throwing.
import "./library-guard";
import type { ZkClientOptions } from "./options";

/** Internal to node-zookeeper-client 1.x (pinned): its connection manager's socket and last zxid. */
export interface Internals {
  connectionManager?: { zxid?: Buffer; socket?: { bytesRead: number; remotePort?: number; destroy(): void } };
}

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
