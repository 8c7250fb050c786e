// A promise-based ZooKeeper client over node-zookeeper-client, with a bound on every call.
import zookeeper, { CreateMode, Event, Stat } from "node-zookeeper-client";
import pLimit from "p-limit";
import { DEFINITE_FAILURES, OpKind, ProcessId, WRITE_KINDS, type CompletionFields, type InvokeFields, decodeValue, encodeValue } from "../history";
import { errorText } from "../common";
import { errorKind, wrap, ZkError } from "./errors";
import type { ZkClientOptions } from "./options";
import { Internals, Session } from "./session";
import { replyContextOf, zxidHex } from "./stat";
export { statZxid } from "./stat";
import { checkThenSet, setDataStat } from "./transaction";

export { CreateMode };
export { errorKind, ZkError } from "./errors";
export type { Recording, ZkClientOptions } from "./options";

/** Options of one call: what the history needs beyond the arguments. */
export interface CallOptions {
  /** A write: the value it replaces as the writer saw it (links lineages). */
  readonly prev?: string | null;
  /** A read right after a write of this session through one member: that write's invoke index. */
  readonly syncedBy?: number;
}

const SEQUENTIAL = new Set<number>([CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL]);
const EPHEMERAL = new Set<number>([CreateMode.EPHEMERAL, CreateMode.EPHEMERAL_SEQUENTIAL]);

/**
 * A view of a session for one sequence of calls: one process in the history. A session can carry
 * several lanes (a Kafka broker pipelines requests from several threads on its one session); each
 * lane has at most one call open, as a history's process must.
 */
export class ZkClient {
  /** This lane's process in the history (0: not recorded). */
  readonly process: ProcessId;
  /** The invoke index of this lane's last write (a read after it is ordered after it). */
  private lastWrite?: number;
  /** A process has one call open at a time: a second call on this lane waits for the first to settle (each is bounded). */
  private readonly oneAtATime = pLimit(1);

  private constructor(
    private readonly s: Session,
    role: string | undefined,
    private readonly owner: boolean,
  ) {
    const r = s.opts.record;
    this.process = r ? r.history.process(role ?? r.role, r.members) : 0;
  }

  get connectString(): string {
    return this.s.connectString;
  }

  /** Counted, not hidden: a drill reports them. */
  get counters(): Session["counters"] {
    return this.s.counters;
  }

  private get raw(): zookeeper.Client {
    return this.s.raw;
  }

  private get opts(): ZkClientOptions {
    return this.s.opts;
  }

  /** Connects, or fails after the deadline with the connect string in the message. */
  static async connect(connectString: string, opts: ZkClientOptions = {}): Promise<ZkClient> {
    const c = new ZkClient(new Session(connectString, opts), undefined, true);
    c.s.startReadTimeout(opts.sessionTimeoutMs ?? 10_000);
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
    c.noteSession(opts.record?.role);
    return c;
  }

  /** Another lane on this session, a process of its own in the history. */
  lane(role: string): ZkClient {
    const l = new ZkClient(this.s, role, false);
    l.noteSession(role);
    return l;
  }

  private noteSession(role: string | undefined): void {
    const r = this.opts.record;
    if (r) r.history.session(this.process, role ?? r.role, r.members, `0x${this.sessionId}`);
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

  /** The session is gone for good (expired): a new client is needed. */
  get isExpired(): boolean {
    return this.s.expired;
  }

  /** The session's connection as it changes: dropped, back (to whichever server), or expired for good. */
  onState(listener: (state: "disconnected" | "connected" | "expired") => void): void {
    this.raw.on("state", (s) => {
      if (s === zookeeper.State.DISCONNECTED) listener("disconnected");
      else if (s === zookeeper.State.SYNC_CONNECTED) listener("connected");
      else if (s === zookeeper.State.EXPIRED) listener("expired");
    });
  }

  /** The timeout the server granted (ZooKeeper bounds the requested one to 2..20 ticks). */
  get negotiatedTimeoutMs(): number {
    return this.s.negotiatedTimeoutMs;
  }

  /** A read-only server serves this session (asked for with canBeReadOnly). */
  get readOnly(): boolean {
    return this.s.readOnly;
  }

  /** The zxid of the last reply this session read (a read-only server's reads carry its last applied one). */
  get lastReplyZxid(): string | undefined {
    return this.replyContext().serverZxid;
  }

  /** The client's process gone without closing its session: the ensemble expires it after its timeout. */
  crash(): void {
    if (this.owner) this.s.crash();
  }

  /** Closes the session (a lane closes nothing: its session's owner does). */
  close(): void {
    if (!this.owner) return;
    clearInterval(this.s.watchdog);
    this.raw.close();
  }

  private get internals(): Internals {
    return this.raw as unknown as Internals;
  }

  /** The member this session is connected to now (by the socket's port), when recorded with its members. */
  get currentMember(): number | undefined {
    return this.replyContext().server;
  }

  /** Where the answer came from (see replyContextOf). */
  private replyContext(): { serverZxid?: string; server?: number } {
    return replyContextOf(this.internals, this.connectString, this.opts.record?.members);
  }

  /**
   * One bounded call, recorded: invoke first; then ok with what `okFields` takes from the result,
   * fail when the error proves nothing happened, info otherwise (a timeout, a lost connection).
   */
  private call<T>(
    op: string,
    path: string,
    invoke: { f: OpKind } & InvokeFields,
    start: (cb: (err: unknown, value?: T) => void) => void,
    okFields: (value: T) => CompletionFields = () => ({}),
    onError: (code: string) => CompletionFields | undefined = () => undefined,
  ): Promise<T> {
    // Queued behind the lane's open call: the invoke is recorded, and its timer starts, when it is sent.
    return this.oneAtATime(() => {
      const r = this.opts.record;
      const { f, ...fields } = invoke;
      const index = r ? r.history.invoke(this.process, f, path, fields) : -1;
      if (r && WRITE_KINDS.has(f)) this.lastWrite = index;
      const done = (type: "ok" | "fail" | "info", fields: CompletionFields) => {
        if (r) r.history.complete(this.process, index, type, { ...fields, ...this.replyContext() });
      };
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          done("info", { error: "TIMEOUT" });
          reject(new ZkError(op, path, "TIMEOUT", `no answer within ${this.s.opTimeoutMs} ms`));
        }, this.s.opTimeoutMs);
        // Every way out records the completion: an invoke left open would make the lane's next call break the history.
        const answer = (err: unknown, value?: T): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) {
            const e = err instanceof ZkError ? err : wrap(op, path, err);
            // A read that finds no node is an observation (absent), not a failure.
            const observed = onError(e.code);
            if (observed) done("ok", observed);
            else done(DEFINITE_FAILURES.has(e.code) ? "fail" : "info", { error: e.code });
            return reject(e);
          }
          let fields: CompletionFields;
          try {
            fields = okFields(value as T);
          } catch (e) {
            done("info", { error: "OTHER" });
            return reject(e);
          }
          done("ok", fields);
          resolve(value as T);
        };
        try {
          start(answer);
        } catch (e) {
          // The library refuses bad arguments before anything is sent: certainly not done.
          answer(new ZkError(op, path, "BAD_ARGUMENTS", errorText(e)));
        }
      });
    });
  }

  /** Creates with the open ACL (node-zookeeper-client's default). */
  create(path: string, data: Buffer = Buffer.alloc(0), mode: number = CreateMode.PERSISTENT, o: CallOptions = {}): Promise<string> {
    const sequential = SEQUENTIAL.has(mode);
    const ephemeral = EPHEMERAL.has(mode);
    return this.call<string>(
      "create",
      path,
      { f: "create", value: decodeValue(data), prev: o.prev === undefined ? null : o.prev, ...(sequential ? { sequential } : {}), ...(ephemeral ? { ephemeral } : {}) },
      (cb) => this.raw.create(path, data, mode, cb as never),
      (created) => (sequential ? { created } : {}),
    );
  }

  /**
   * Creates the path and its missing parents (persistent). Each parent gets a value of its own, so
   * even a parent is a write no other write looks like.
   */
  async mkdirp(path: string): Promise<void> {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = "/" + parts.slice(0, i).join("/");
      if (await this.exists(p)) continue;
      await this.create(p, this.uniqueData()).catch((err) => {
        if (errorKind(err) !== "NODE_EXISTS") throw err;
      });
    }
  }

  /** Data with a value unique in the run (recorded clients) or in this process (others). */
  uniqueData(fields: Record<string, unknown> = {}): Buffer {
    return encodeValue(this.uniqueValue(), fields);
  }

  /** A value unique in the run (recorded clients) or in this process (others). */
  uniqueValue(): string {
    const r = this.opts.record;
    return r ? r.history.uniqueValue(this.process) : `unrecorded.${process.pid}.${++unrecorded}`;
  }

  async getData(path: string, watcher?: (e: Event) => void, o: CallOptions = {}): Promise<{ data: Buffer; stat: Stat }> {
    const r = await this.call<[Buffer, Stat]>(
      "getData",
      path,
      { f: "read", ...(o.syncedBy !== undefined ? { syncedBy: o.syncedBy } : {}) },
      (cb) =>
        watcher
          ? this.raw.getData(path, watcher, (err, data, stat) => cb(err, [data, stat]))
          : this.raw.getData(path, (err, data, stat) => cb(err, [data, stat])),
      ([data, stat]) => ({ value: decodeValue(data ?? Buffer.alloc(0)), version: stat.version, zxid: zxidHex(stat) }),
      (code) => (code === "NO_NODE" ? { value: null } : undefined),
    );
    return { data: r[0] ?? Buffer.alloc(0), stat: r[1] };
  }

  setData(path: string, data: Buffer, version = -1, o: CallOptions = {}): Promise<Stat> {
    return this.call<Stat>(
      "setData",
      path,
      { f: version >= 0 ? "cas" : "write", value: decodeValue(data), ...(version >= 0 ? { version } : {}), ...(o.prev !== undefined ? { prev: o.prev } : {}) },
      (cb) => this.raw.setData(path, data, version, cb as never),
      (stat) => ({ version: stat.version, zxid: zxidHex(stat) }),
    );
  }

  /**
   * check(version) + setData(version) in one multi() transaction. Both apply or neither, at the version
   * read: a compare-and-set, so the history records it as kind `cas` (expected version, value written)
   * and the linearizability check judges it as one.
   */
  checkAndSet(path: string, data: Buffer, version: number, o: CallOptions = {}): Promise<Stat> {
    return this.call<unknown>(
      "multi",
      path,
      { f: "cas", value: decodeValue(data), version, ...(o.prev !== undefined ? { prev: o.prev } : {}) },
      (cb) => checkThenSet(this.raw.transaction(), path, data, version).commit((err, results) => cb(err, results)),
      (results) => {
        const stat = setDataStat(results);
        return { version: stat.version, zxid: zxidHex(stat) };
      },
    ).then(setDataStat);
  }

  async exists(path: string, watcher?: (e: Event) => void): Promise<Stat | undefined> {
    const stat = await this.call<Stat | null>(
      "exists",
      path,
      { f: "exists" },
      (cb) => (watcher ? this.raw.exists(path, watcher, cb as never) : this.raw.exists(path, cb as never)),
      (s) => (s ? { value: "present", version: s.version, zxid: zxidHex(s) } : { value: null }),
    );
    return stat ?? undefined;
  }

  getChildren(path: string, watcher?: (e: Event) => void, o: CallOptions = {}): Promise<string[]> {
    return this.call<string[]>(
      "getChildren",
      path,
      { f: "children", ...(o.syncedBy !== undefined ? { syncedBy: o.syncedBy } : {}) },
      (cb) => (watcher ? this.raw.getChildren(path, watcher, cb as never) : this.raw.getChildren(path, cb as never)),
      (names) => ({ value: [...names].sort() }),
      (code) => (code === "NO_NODE" ? { value: null } : undefined),
    );
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call<void>("remove", path, { f: "delete", version }, (cb) => this.raw.remove(path, version, cb as never));
  }

  /**
   * zkdrill's sync (node-zookeeper-client has none): a write through this session's member. Reads
   * after it on this session see every write completed before it began (FIFO client order).
   * Returns the write's invoke index, for the reads' `syncedBy`.
   */
  async syncWrite(markerPath: string): Promise<number> {
    await this.mkdirp(markerPath);
    await this.setData(markerPath, this.uniqueData({ sync: true }));
    return this.lastWrite ?? -1;
  }
}

let unrecorded = 0;
