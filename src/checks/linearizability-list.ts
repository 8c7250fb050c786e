// The search's two data structures (see linearizability.ts): the events in a doubly linked list, and the memo of
// what has been explored.
import type { TimedOp } from "./timed-op";

/** The list's first node; its last, the tail, counts as a return so that every walk stops there. */
const HEAD = 0;

/** The operations not yet linearized, as the memo needs them (see EventList.pending). */
export interface Pending {
  /** The known-outcome ops called before the first return left, by index: names them exactly. */
  readonly known: string;
  /** The classes of the unknown-outcome ops called before it, sorted. */
  readonly unknownClasses: Int32Array;
}

/**
 * The call and return events of every operation in one doubly linked list over typed arrays, in time order
 * (calls before returns at equal times, so touching intervals count as concurrent). Lifting an operation unlinks
 * both its events; unlifting, in stack order, relinks them (dancing links).
 */
export class EventList {
  readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Node -> operation index (-1: head and tail). */
  private readonly opOfNode: Int32Array;
  private readonly callOfNode: Uint8Array;
  private readonly callNode: Int32Array;
  private readonly returnNode: Int32Array;
  /** Operation index -> 1 when its outcome is unknown (ret = Infinity). */
  readonly unknown: Uint8Array;

  constructor(ops: readonly TimedOp[]) {
    const n = ops.length;
    const size = 2 * n + 2;
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.opOfNode = new Int32Array(size).fill(-1);
    this.callOfNode = new Uint8Array(size);
    this.callNode = new Int32Array(n);
    this.returnNode = new Int32Array(n);
    this.unknown = new Uint8Array(n);
    ops.forEach((op, i) => {
      if (!Number.isFinite(op.call) || Number.isNaN(op.ret) || op.ret < op.call) {
        throw new Error(`operation ${op.id}: interval ${op.call}..${op.ret} is not a call followed by a return`);
      }
      this.unknown[i] = op.ret === Infinity ? 1 : 0;
    });
    // Event e: operation e >> 1; a return when e & 1.
    const timeOf = (e: number): number => ((e & 1) === 1 ? ops[e >> 1].ret : ops[e >> 1].call);
    const events = Array.from({ length: 2 * n }, (_, e) => e);
    events.sort((a, b) => {
      const ta = timeOf(a);
      const tb = timeOf(b);
      if (ta !== tb) return ta < tb ? -1 : 1;
      return (a & 1) - (b & 1) || a - b;
    });
    events.forEach((e, k) => {
      const node = k + 1;
      const op = e >> 1;
      this.opOfNode[node] = op;
      if ((e & 1) === 1) this.returnNode[op] = node;
      else {
        this.callOfNode[node] = 1;
        this.callNode[op] = node;
      }
    });
    for (let node = 0; node < size; node++) {
      this.next[node] = node + 1;
      this.prev[node] = node - 1;
    }
  }

  first(): number {
    return this.next[HEAD];
  }

  isCall(node: number): boolean {
    return this.callOfNode[node] === 1;
  }

  opAt(node: number): number {
    return this.opOfNode[node];
  }

  nextOfCall(op: number): number {
    return this.next[this.callNode[op]];
  }

  firstReturn(): number {
    let node = this.next[HEAD];
    while (this.callOfNode[node] === 1) node = this.next[node];
    return node;
  }

  lift(op: number): void {
    this.unlink(this.callNode[op]);
    this.unlink(this.returnNode[op]);
  }

  unlift(op: number): void {
    this.relink(this.returnNode[op]);
    this.relink(this.callNode[op]);
  }

  /** Operations called before `node`, a return, in list order. */
  callsBefore(node: number): number[] {
    const ops: number[] = [];
    for (let n = this.next[HEAD]; n !== node; n = this.next[n]) ops.push(this.opOfNode[n]);
    return ops;
  }

  /**
   * The set of operations not yet linearized, in a few characters instead of a bitset over all of them. Every
   * linearized op was called before the first return left (it was lifted while that op was pending), so the
   * rest are exactly the ops called before that return, all still ahead of it in the list, plus every op called
   * after it: the calls ahead of the first return determine the whole set.
   */
  pending(classOf: Int32Array): Pending {
    let known = "";
    const classes: number[] = [];
    for (let n = this.next[HEAD]; this.callOfNode[n] === 1; n = this.next[n]) {
      const op = this.opOfNode[n];
      if (this.unknown[op] === 1) classes.push(classOf[op]);
      else known += op.toString(36) + ",";
    }
    return { known, unknownClasses: Int32Array.from(classes).sort() };
  }

  private unlink(node: number): void {
    this.next[this.prev[node]] = this.next[node];
    this.prev[this.next[node]] = this.prev[node];
  }

  private relink(node: number): void {
    this.next[this.prev[node]] = node;
    this.prev[this.next[node]] = node;
  }
}

/** A (pending ops, state) pair the search entered; `done` once its whole subtree failed. */
export interface Explored {
  readonly unknownClasses: Int32Array;
  done: boolean;
}

/** A set entry's overhead besides its characters (string header, hash slot), roughly. */
const MEMO_ENTRY_BYTES = 48;

/** How many entries per (known ops pending, state) the domination check looks at: a bound, not a scan of all. */
const DOMINATION_WINDOW = 8;

/**
 * The (pending ops, state) pairs explored: a hash set of their fingerprints, so a repeat costs one lookup.
 * Besides exact repeats it prunes dominated pairs: with the same known ops pending and the same state, having
 * fewer unknown-outcome ops pending (or, class by class, fewer of each) can only be harder, since each of them
 * may also never take effect. So a pair is pruned when a finished, failed one had a superset of its unknown ops
 * pending; only the last few such pairs are compared (pruning less is still sound).
 */
export class Memo {
  private readonly seen = new Set<string>();
  private readonly recent = new Map<string, Explored[]>();
  /** Memory held, in bytes roughly (a fingerprint's characters and the set's overhead): the caller bounds it. */
  units = 0;

  /** The new entry, or null when the pair was explored already or is dominated by one that failed. */
  enter(pending: Pending, stateKey: string): Explored | null {
    const key = pending.known + "|" + stateKey;
    const mine = pending.unknownClasses;
    const fingerprint = mine.length === 0 ? key : key + "|" + mine.join(",");
    if (this.seen.has(fingerprint)) return null;
    const window = mine.length === 0 ? undefined : this.recent.get(key);
    if (window) for (const e of window) if (e.done && includes(e.unknownClasses, mine)) return null;
    this.seen.add(fingerprint);
    const entry: Explored = { unknownClasses: mine, done: false };
    if (mine.length > 0) {
      if (!window) this.recent.set(key, [entry]);
      else if (window.push(entry) > DOMINATION_WINDOW) window.shift();
    }
    this.units += fingerprint.length + MEMO_ENTRY_BYTES;
    return entry;
  }
}

/** Whether sorted multiset `outer` contains sorted multiset `inner`. */
function includes(outer: Int32Array, inner: Int32Array): boolean {
  if (inner.length > outer.length) return false;
  let i = 0;
  for (let o = 0; o < outer.length && i < inner.length; o++) {
    if (outer[o] === inner[i]) i++;
    else if (outer[o] > inner[i]) return false;
  }
  return i === inner.length;
}
