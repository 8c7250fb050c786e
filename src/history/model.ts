// The history: every client operation a run issued, recorded as Jepsen records it. An operation is
// an `invoke` followed by exactly one completion: `ok` (it took effect, with its result), `fail` (it
// certainly did not take effect) or `info` (unknown: a timeout or a lost connection; it may take
// effect at any later time, or never). Checks are pure functions of this history.

/** One client session: operations of one process are sequential (ZooKeeper's FIFO client order). */
export type ProcessId = number;

/**
 * What an operation does to one znode (`path`):
 * - `create`: creates the znode with `value` (sequential creates record the name created);
 * - `cas`: setData with an expected version (ZooKeeper's compare-and-set);
 * - `write`: setData with version -1 (blind);
 * - `delete`: delete with an expected version (-1: any);
 * - `read`: getData; `exists`: exists; `children`: getChildren (value: the sorted names).
 */
export type OpKind = "create" | "cas" | "write" | "delete" | "read" | "exists" | "children";

export const WRITE_KINDS: ReadonlySet<OpKind> = new Set(["create", "cas", "write", "delete"]);

export type Completion = "ok" | "fail" | "info";

/** A line of history.jsonl. */
export type HistoryEvent = ProcessEvent | InvokeEvent | CompletionEvent;

/** Declares a process before its first operation: who it is and where it connects. */
export interface ProcessEvent {
  readonly type: "process";
  readonly process: ProcessId;
  /** Who issues its operations, e.g. "workload broker 1", "drill", "final read on member 3". */
  readonly role: string;
  /** The members its connect string names (a final read talks to one member alone). */
  readonly members: readonly number[];
  /** The ZooKeeper session id (hex), once known. */
  readonly session?: string;
  readonly time: number;
  readonly mono: number;
}

export interface InvokeEvent {
  readonly type: "invoke";
  readonly process: ProcessId;
  readonly f: OpKind;
  readonly path: string;
  /** create/cas/write: the value written, unique to this write in the run. */
  readonly value?: string;
  /** cas/delete: the expected version. */
  readonly version?: number;
  /**
   * The value this write replaces as its writer saw it (a cas: the value of the read it builds on;
   * a create: null). Links acknowledged writes into lineages, so a lost one can be named.
   */
  readonly prev?: string | null;
  /** Sequential create: the path is a prefix; the name created comes with `ok`. */
  readonly sequential?: boolean;
  /** Ephemeral create: the znode goes with its session, a delete the history does not see. */
  readonly ephemeral?: boolean;
  /**
   * A read issued right after a write of the same session through the same member (zkdrill's
   * stand-in for sync): ZooKeeper serves it after that write, so it reflects every write completed
   * before the sync write was invoked. The index of that write's invoke.
   */
  readonly syncedBy?: number;
  /** Wall clock, ms since the epoch (for people); `mono` orders events (for checks). */
  readonly time: number;
  readonly mono: number;
}

export interface CompletionEvent {
  readonly type: Completion;
  readonly process: ProcessId;
  /** The line index of the invoke this completes. */
  readonly invoke: number;
  /**
   * ok of a read: the value read (the write id zkdrill put in the data; `null` = no such node;
   * "foreign:<sha256 prefix>" for data zkdrill did not write). ok of children: the sorted names.
   */
  readonly value?: string | null | readonly string[];
  /** ok of a write: the znode's version after it; ok of a read: the version read. */
  readonly version?: number;
  /** ok: the znode's mzxid (0x-hex) after a write or as read; sequential create: see `created`. */
  readonly zxid?: string;
  /** ok of a sequential create: the path created. */
  readonly created?: string;
  /** The reply header's zxid (0x-hex): how far the answering server had got. */
  readonly serverZxid?: string;
  /** The member whose connection carried the answer (when known). */
  readonly server?: number;
  /** fail/info: ZooKeeper's error name (BAD_VERSION, NO_NODE, CONNECTION_LOSS, TIMEOUT...). */
  readonly error?: string;
  readonly time: number;
  readonly mono: number;
}

/** An invoke paired with its completion (info when the history ends before one). */
export interface Operation {
  /** The invoke's line index: unique in the history. */
  readonly id: number;
  readonly process: ProcessId;
  readonly f: OpKind;
  readonly path: string;
  readonly outcome: Completion;
  /** Written (create/cas/write) or read (read/children; null = absent). */
  readonly value?: string | null | readonly string[];
  /** cas/delete: the expected version. */
  readonly expectedVersion?: number;
  /** ok: the version after a write, or the version read. */
  readonly version?: number;
  readonly zxid?: string;
  readonly serverZxid?: string;
  readonly created?: string;
  readonly sequential?: boolean;
  readonly ephemeral?: boolean;
  readonly syncedBy?: number;
  readonly prev?: string | null;
  readonly server?: number;
  readonly error?: string;
  /** Monotonic ms: when it was invoked, and when it completed (Infinity for info: it may apply any time later). */
  readonly call: number;
  readonly ret: number;
  /** Wall clock of the invoke and of the completion (null: never completed). */
  readonly calledAt: number;
  readonly returnedAt: number | null;
}

/** Errors after which a write certainly did not take effect; any other error leaves it unknown. */
export const DEFINITE_FAILURES: ReadonlySet<string> = new Set([
  "BAD_VERSION",
  "NO_NODE",
  "NODE_EXISTS",
  "NOT_EMPTY",
  "NO_CHILDREN_FOR_EPHEMERALS",
  "BAD_ARGUMENTS",
  "INVALID_ACL",
  "NO_AUTH",
  // A read-only server refuses every write before it reaches a leader (ReadOnlyRequestProcessor).
  "NOT_READONLY",
]);

/** Pairs invokes with their completions, in invoke order. Throws on a malformed history. */
export function operations(events: readonly HistoryEvent[]): Operation[] {
  const open = new Map<number, { e: InvokeEvent; index: number }>();
  const byProcess = new Map<ProcessId, number>();
  const done: Array<Operation | undefined> = [];
  const slot = new Map<number, number>();
  events.forEach((e, index) => {
    if (e.type === "process") return;
    if (e.type === "invoke") {
      const busy = byProcess.get(e.process);
      if (busy !== undefined) throw new Error(`history line ${index}: process ${e.process} invokes while its operation at line ${busy} is still open`);
      byProcess.set(e.process, index);
      open.set(index, { e, index });
      slot.set(index, done.length);
      done.push(undefined);
      return;
    }
    const inv = open.get(e.invoke);
    if (!inv) throw new Error(`history line ${index}: ${e.type} completes line ${e.invoke}, which is not an open invoke`);
    if (inv.e.process !== e.process) throw new Error(`history line ${index}: completes line ${e.invoke} of process ${inv.e.process} from process ${e.process}`);
    open.delete(e.invoke);
    byProcess.delete(e.process);
    done[slot.get(e.invoke)!] = pair(inv.e, inv.index, e);
  });
  for (const { e, index } of open.values()) done[slot.get(index)!] = pair(e, index, undefined);
  return done as Operation[];
}

function pair(inv: InvokeEvent, id: number, c: CompletionEvent | undefined): Operation {
  const outcome: Completion = c?.type ?? "info";
  return {
    id,
    process: inv.process,
    f: inv.f,
    path: inv.path,
    outcome,
    value: inv.f === "read" || inv.f === "children" || inv.f === "exists" ? c?.value : inv.value,
    expectedVersion: inv.version,
    version: c?.version,
    zxid: c?.zxid,
    serverZxid: c?.serverZxid,
    created: c?.created,
    sequential: inv.sequential,
    ephemeral: inv.ephemeral,
    syncedBy: inv.syncedBy,
    prev: inv.prev,
    server: c?.server,
    error: c?.error,
    call: inv.mono,
    ret: outcome === "info" ? Infinity : c!.mono,
    calledAt: inv.time,
    returnedAt: c?.time ?? null,
  };
}

/**
 * The last write acknowledged at or before `upTo` (monotonic ms): evidence that the ensemble still
 * committed then. Its completion's monotonic and wall time; null when there is none.
 */
export function lastAckedWrite(events: readonly HistoryEvent[], upTo: number): { mono: number; time: number } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type !== "ok" || e.mono > upTo) continue;
    const inv = events[e.invoke];
    if (inv?.type === "invoke" && WRITE_KINDS.has(inv.f)) return { mono: e.mono, time: e.time };
  }
  return null;
}

/** The zxid as a number-comparable bigint ("0x..." hex). */
export const zxidOf = (hex: string): bigint => BigInt(hex);
