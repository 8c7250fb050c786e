// The search's two data structures (see linearizability.ts): the events in a doubly linked list, and the memo of
// what has been explored.
import type { TimedOp } from "./timed-op";

/** The list's first node; its last, the tail, counts as a return so that every walk stops there. */
const HEAD = 0;

/** A base for op indices as characters, below the surrogates (two digits reach 2.8e9 operations). */
const DIGIT = 0xd000;
const NONE = new Int32Array(0);

/** The operations not yet linearized, as the memo needs them (see EventList.pending). */
export interface Pending {
  /** The known-outcome ops called before the first return left, by index: names them exactly. */
  readonly known: string;
  /** The classes of the unknown-outcome ops called before it, sorted. */
  readonly unknownClasses: Int32Array;
  /** The same as characters, two an op: a memo key's tail. */
  readonly unknownKey: string;
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
    // Views on two buffers: a typed array's own backing store costs more than the rest of a small history's setup.
    const ints = new Int32Array(3 * size + 2 * n);
    this.next = ints.subarray(0, size);
    this.prev = ints.subarray(size, 2 * size);
    this.opOfNode = ints.subarray(2 * size, 3 * size).fill(-1);
    this.callNode = ints.subarray(3 * size, 3 * size + n);
    this.returnNode = ints.subarray(3 * size + n);
    const bytes = new Uint8Array(size + n);
    this.callOfNode = bytes.subarray(0, size);
    this.unknown = bytes.subarray(size);
    const times = new Float64Array(2 * n);
    const calls = times.subarray(0, n);
    const rets = times.subarray(n);
    for (let i = 0; i < n; i++) {
      const op = ops[i];
      if (!Number.isFinite(op.call) || Number.isNaN(op.ret) || op.ret < op.call) {
        throw new Error(`operation ${op.id}: interval ${op.call}..${op.ret} is not a call followed by a return`);
      }
      calls[i] = op.call;
      rets[i] = op.ret;
      this.unknown[i] = op.ret === Infinity ? 1 : 0;
    }
    // Calls by time and returns by time, merged: calls before returns at equal times (touching intervals count as
    // concurrent), ties by index. Two nearly sorted runs and a merge cost far less than sorting every event with a
    // comparator, the setup that dominated small histories.
    const byCall = indicesByTime(calls);
    const byReturn = indicesByTime(rets);
    let c = 0;
    let r = 0;
    for (let node = 1; node <= 2 * n; node++) {
      if (c < n && (r >= n || calls[byCall[c]] <= rets[byReturn[r]])) {
        const op = byCall[c++];
        this.opOfNode[node] = op;
        this.callOfNode[node] = 1;
        this.callNode[op] = node;
      } else {
        const op = byReturn[r++];
        this.opOfNode[node] = op;
        this.returnNode[op] = node;
      }
    }
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
    const wide = this.unknown.length >= DIGIT;
    for (let n = this.next[HEAD]; this.callOfNode[n] === 1; n = this.next[n]) {
      const op = this.opOfNode[n];
      if (this.unknown[op] === 1) classes.push(classOf[op]);
      // Fixed width, one or two characters an op, no separators: cheaper than printing numbers, as unambiguous.
      else known += wide ? String.fromCharCode((op / DIGIT) | 0, op % DIGIT) : String.fromCharCode(op);
    }
    if (classes.length === 0) return { known, unknownClasses: NONE, unknownKey: "" };
    const sorted = new Int32Array(classes).sort();
    let unknownKey = "";
    for (const c of sorted) unknownKey += String.fromCharCode((c / DIGIT) | 0, c % DIGIT);
    return { known, unknownClasses: sorted, unknownKey };
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

/** How many places insertion sort may move elements, per element, before a comparator sort takes over. */
const INSERTION_MOVES_PER_ELEMENT = 8;

/**
 * Indices 0..n-1 ordered by `times`, ties by index. Histories come nearly sorted (ids in call order, returns a few
 * places out), so insertion sort, bounded in moves, usually finishes in one pass; past the bound, a full sort.
 * Infinite times (unknown outcomes) go last without moving anything.
 */
function indicesByTime(times: Float64Array): Int32Array {
  const n = times.length;
  const order = new Int32Array(n);
  let finite = 0;
  for (let i = 0; i < n; i++) if (times[i] !== Infinity) order[finite++] = i;
  for (let i = 0, k = finite; i < n; i++) if (times[i] === Infinity) order[k++] = i;
  let budget = INSERTION_MOVES_PER_ELEMENT * finite;
  for (let i = 1; i < finite && budget >= 0; i++) {
    const op = order[i];
    const t = times[op];
    let j = i - 1;
    // Strictly later times move right: equal times keep index order.
    for (; j >= 0 && times[order[j]] > t && budget >= 0; j--, budget--) order[j + 1] = order[j];
    order[j + 1] = op;
  }
  if (budget < 0) order.subarray(0, finite).sort((a, b) => (times[a] < times[b] ? -1 : times[a] > times[b] ? 1 : a - b));
  return order;
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
    // Lengths first: the ops' characters and a model's key may hold any character, "|" too.
    const key = `${pending.known.length}|${pending.known}${stateKey.length}|${stateKey}`;
    const mine = pending.unknownClasses;
    const fingerprint = key + pending.unknownKey;
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
