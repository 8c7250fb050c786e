// The search's two data structures (see linearizability.ts): the events in a doubly linked list, and the memo of
// what has been explored.
import type { TimedOp } from "./timed-op";
import { slabBytes, type Slab } from "./typed-slab";

/** The list's first node; its last, the tail, counts as a return so that every walk stops there. */
const HEAD = 0;

/**
 * The operations not yet linearized, as the memo reads them: scratch that EventList.pending overwrites at every
 * step, so that naming the set allocates nothing.
 */
export interface Pending {
  /** The known-outcome ops called before the first return left, by index, in list order: names them exactly. */
  readonly known: Int32Array;
  knownCount: number;
  /** The classes of the unknown-outcome ops called before it, sorted. */
  readonly unknown: Int32Array;
  unknownCount: number;
}

/** Up to this many unknown ops pending, insertion sort (no allocation); past it, a typed-array sort. */
const INSERTION_SORT_MAX = 32;

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

  /** What a slab needs for the list of `operations`. */
  static slabBytes(operations: number): number {
    const size = 2 * operations + 2;
    return slabBytes(3 * size + 2 * operations, 4) + slabBytes(size + operations, 1) + slabBytes(2 * operations, 8) + 2 * slabBytes(operations, 4);
  }

  constructor(ops: readonly TimedOp[], slab: Slab) {
    const n = ops.length;
    const size = 2 * n + 2;
    // Views on a few arrays of the slab: a typed array's own backing store costs more than the rest of a small
    // history's setup.
    const ints = slab.int32(3 * size + 2 * n);
    this.next = ints.subarray(0, size);
    this.prev = ints.subarray(size, 2 * size);
    this.opOfNode = ints.subarray(2 * size, 3 * size).fill(-1);
    this.callNode = ints.subarray(3 * size, 3 * size + n);
    this.returnNode = ints.subarray(3 * size + n);
    const bytes = slab.uint8(size + n);
    this.callOfNode = bytes.subarray(0, size);
    this.unknown = bytes.subarray(size);
    const times = slab.float64(2 * n);
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
    const byCall = indicesByTime(calls, slab.int32(n));
    const byReturn = indicesByTime(rets, slab.int32(n));
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
   * The set of operations not yet linearized, in a few numbers instead of a bitset over all of them, written into
   * `into`. Every linearized op was called before the first return left (it was lifted while that op was
   * pending), so the rest are exactly the ops called before that return, all still ahead of it in the list, plus
   * every op called after it: the calls ahead of the first return determine the whole set.
   */
  pending(classOf: Int32Array, into: Pending): void {
    const { known, unknown } = into;
    let k = 0;
    let u = 0;
    for (let n = this.next[HEAD]; this.callOfNode[n] === 1; n = this.next[n]) {
      const op = this.opOfNode[n];
      if (this.unknown[op] === 1) unknown[u++] = classOf[op];
      else known[k++] = op;
    }
    if (u > INSERTION_SORT_MAX) unknown.subarray(0, u).sort();
    else {
      for (let i = 1; i < u; i++) {
        const c = unknown[i];
        let j = i - 1;
        for (; j >= 0 && unknown[j] > c; j--) unknown[j + 1] = unknown[j];
        unknown[j + 1] = c;
      }
    }
    into.knownCount = k;
    into.unknownCount = u;
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
 * Infinite times (unknown outcomes) go last without moving anything. `order`: n integers to fill.
 */
function indicesByTime(times: Float64Array, order: Int32Array): Int32Array {
  const n = times.length;
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
