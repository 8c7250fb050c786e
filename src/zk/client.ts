// A promise-based ZooKeeper client over node-zookeeper-client, with a bound on every call.
import zookeeper, { CreateMode, Event, Stat } from "node-zookeeper-client";
import { errorText } from "../common/wait";

export { CreateMode };

/** node-zookeeper-client's errors are not Error instances; this one is, and keeps the code. */
export class ZkError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${op} ${path}: ${detail}`);
    this.name = "ZkError";
  }
}

/** The error kinds a workload counts separately. */
export function errorKind(err: unknown): string {
  if (err instanceof ZkError) return err.code;
  return "OTHER";
}

function wrap(op: string, path: string, err: unknown): ZkError {
  const e = err as { name?: string; code?: number };
  return new ZkError(op, path, e?.name ?? "OTHER", errorText(err));
}

export interface ZkClientOptions {
  readonly sessionTimeoutMs?: number;
  /** Bound on each operation; a stuck call fails as TIMEOUT. */
  readonly opTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export class ZkClient {
  private readonly raw: zookeeper.Client;
  private readonly opTimeoutMs: number;
  /** Counted, not hidden: a drill reports them. */
  readonly counters = { disconnects: 0, expirations: 0, reconnects: 0, readTimeouts: 0 };
  private everConnected = false;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(readonly connectString: string, opts: ZkClientOptions) {
    this.opTimeoutMs = opts.opTimeoutMs ?? 10_000;
    const sessionTimeout = opts.sessionTimeoutMs ?? 10_000;
    this.raw = zookeeper.createClient(connectString, { sessionTimeout, spinDelay: 100, retries: 0 });
    this.watchdog = this.readTimeout(sessionTimeout);
    this.raw.on("state", (s) => {
      if (s === zookeeper.State.DISCONNECTED) this.counters.disconnects++;
      if (s === zookeeper.State.EXPIRED) this.counters.expirations++;
      if (s === zookeeper.State.SYNC_CONNECTED) {
        if (this.everConnected) this.counters.reconnects++;
        this.everConnected = true;
      }
    });
  }

  /** Connects, or fails after the deadline with the connect string in the message. */
  static async connect(connectString: string, opts: ZkClientOptions = {}): Promise<ZkClient> {
    const c = new ZkClient(connectString, opts);
    const timeout = opts.connectTimeoutMs ?? 15_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        c.close();
        reject(new ZkError("connect", connectString, "CONNECTION_LOSS", `no session within ${timeout} ms`));
      }, timeout);
      c.raw.once("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      c.raw.connect();
    });
    return c;
  }

  /** Connects, runs `work`, and closes the session whatever happens. */
  static async with<T>(connectString: string, work: (c: ZkClient) => Promise<T>, opts: ZkClientOptions = {}): Promise<T> {
    const c = await ZkClient.connect(connectString, opts);
    try {
      return await work(c);
    } finally {
      c.close();
    }
  }

  get sessionId(): string {
    return this.raw.getSessionId().toString("hex");
  }

  onExpired(listener: () => void): void {
    this.raw.on("expired", listener);
  }

  close(): void {
    clearInterval(this.watchdog);
    this.raw.close();
  }

  /**
   * The Java client drops a server it has not heard from in 2/3 of the session timeout and moves to
   * the next one; node-zookeeper-client has that read timeout commented out, so a server behind a
   * silent (blackholed) link would hold its sessions forever. This puts it back: the client pings
   * every 1/3, so a live link always shows bytes read within 2/3.
   */
  private readTimeout(sessionTimeoutMs: number): NodeJS.Timeout {
    const limitMs = Math.floor((sessionTimeoutMs * 2) / 3);
    let lastBytes = -1;
    let lastChange = Date.now();
    let lastSocket: unknown;
    const timer = setInterval(
      () => {
        // Internal to node-zookeeper-client 1.x: its connection manager's socket.
        const socket = (this.raw as unknown as { connectionManager?: { socket?: { bytesRead: number; destroy(): void } } }).connectionManager?.socket;
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
    return timer;
  }

  private call<T>(op: string, path: string, start: (cb: (err: unknown, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new ZkError(op, path, "TIMEOUT", `no answer within ${this.opTimeoutMs} ms`));
      }, this.opTimeoutMs);
      start((err, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(wrap(op, path, err));
        else resolve(value as T);
      });
    });
  }

  /** Creates with the open ACL (node-zookeeper-client's default). */
  create(path: string, data: Buffer = Buffer.alloc(0), mode: number = CreateMode.PERSISTENT): Promise<string> {
    return this.call<string>("create", path, (cb) => this.raw.create(path, data, mode, cb as never));
  }

  /** Creates the path and missing parents (persistent). */
  mkdirp(path: string): Promise<string> {
    return this.call<string>("mkdirp", path, (cb) => this.raw.mkdirp(path, cb as never));
  }

  async getData(path: string, watcher?: (e: Event) => void): Promise<{ data: Buffer; stat: Stat }> {
    const r = await this.call<[Buffer, Stat]>("getData", path, (cb) =>
      watcher
        ? this.raw.getData(path, watcher, (err, data, stat) => cb(err, [data, stat]))
        : this.raw.getData(path, (err, data, stat) => cb(err, [data, stat])),
    );
    return { data: r[0] ?? Buffer.alloc(0), stat: r[1] };
  }

  setData(path: string, data: Buffer, version = -1): Promise<Stat> {
    return this.call<Stat>("setData", path, (cb) => this.raw.setData(path, data, version, cb as never));
  }

  async exists(path: string, watcher?: (e: Event) => void): Promise<Stat | undefined> {
    const stat = await this.call<Stat | null>("exists", path, (cb) =>
      watcher ? this.raw.exists(path, watcher, cb as never) : this.raw.exists(path, cb as never),
    );
    return stat ?? undefined;
  }

  getChildren(path: string, watcher?: (e: Event) => void): Promise<string[]> {
    return this.call<string[]>("getChildren", path, (cb) =>
      watcher ? this.raw.getChildren(path, watcher, cb as never) : this.raw.getChildren(path, cb as never),
    );
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call<void>("remove", path, (cb) => this.raw.remove(path, version, cb as never));
  }
}

/** The zxid of a Stat (node-zookeeper-client gives 8-byte buffers). */
export function statZxid(stat: Stat, which: "mzxid" | "czxid" = "mzxid"): bigint {
  const b = stat[which] as unknown as Buffer;
  return b.readBigInt64BE(0);
}
