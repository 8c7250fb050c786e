// The search's memo of what has been explored (see linearizability.ts): entries in one integer arena,
// looked up through hash tables of its own, so that a step allocates nothing.
import type { Pending } from "./linearizability-list";
import { slabBytes, type Slab } from "./typed-slab";

/** How many entries per (known ops pending, state) the domination check looks at: a bound, not a scan of all. */
const DOMINATION_WINDOW = 8;

// An entry's fields, ENTRY_INTS apart in Memo.entries.
const START = 0; // where its ops sit in the arena: the known ones, then the unknown classes
const KNOWN_COUNT = 1;
const UNKNOWN_COUNT = 2;
const STATE = 3;
const HASH = 4; // of the whole entry
const KEY_HASH = 5; // of its known ops and state
const OLDER = 6; // the entry before it with the same known ops and state, and unknown ops (-1: none)
const DONE = 7; // 1 once its whole subtree failed
const ENTRY_INTS = 8;

/** An entry's memory besides its ops: its fields and a slot in each of the two tables (at most half full). */
const ENTRY_BYTES = 4 * (ENTRY_INTS + 4);

const EMPTY = -1;

/** Entries room is made for at first: about a step an operation, as an easy history takes. Tables are a power of two. */
const initialCapacity = (operations: number): number => 2 ** Math.min(12, Math.max(6, Math.ceil(Math.log2(operations + 1))));

/** Arena integers made room for at first, per entry: the ops pending at a point of a small history. */
const ARENA_PER_ENTRY = 16;

/**
 * The (pending ops, state) pairs explored: their ops in one growing arena of integers, found through an
 * open-addressing hash table, so that a step costs a hash of a few integers and, on a repeat, one comparison; no
 * string and no object a step (building a string key a step cost half of a small history's check).
 * Besides exact repeats it prunes dominated pairs: with the same known ops pending and the same state, having
 * fewer unknown-outcome ops pending (or, class by class, fewer of each) can only be harder, since each of them
 * may also never take effect. So a pair is pruned when a finished, failed one had a superset of its unknown ops
 * pending; only the last few such pairs are compared (pruning less is still sound).
 */
export class Memo {
  /** Filled by EventList.pending before each `enter`. */
  readonly pending: Pending;
  /** Memory held, in bytes roughly: the caller bounds it. */
  units = 0;
  private readonly stateIds = new Map<string, number>();
  private arena: Int32Array;
  private arenaUsed = 0;
  private entries: Int32Array;
  private count = 0;
  /** Hash of an entry -> entry. */
  private exact: Int32Array;
  /** Hash of known ops and state -> the newest entry with those and unknown ops pending; older ones chain. */
  private byKey: Int32Array;

  /** What a slab needs for the memo of a history of `operations`. */
  static slabBytes(operations: number): number {
    const capacity = initialCapacity(operations);
    return slabBytes(2 * operations, 4) + slabBytes(ARENA_PER_ENTRY * capacity, 4) + slabBytes(ENTRY_INTS * capacity, 4) + 2 * slabBytes(2 * capacity, 4);
  }

  /** `operations`: how many the history has, the most that can be pending. */
  constructor(operations: number, slab: Slab) {
    const scratch = slab.int32(2 * operations);
    this.pending = { known: scratch.subarray(0, operations), knownCount: 0, unknown: scratch.subarray(operations), unknownCount: 0 };
    const capacity = initialCapacity(operations);
    this.arena = slab.int32(ARENA_PER_ENTRY * capacity);
    this.entries = slab.int32(ENTRY_INTS * capacity);
    this.exact = slab.int32(2 * capacity).fill(EMPTY);
    this.byKey = slab.int32(2 * capacity).fill(EMPTY);
  }

  /** The new entry for `pending` in state `stateKey`, or -1 when it was explored already or one that failed dominates it. */
  enter(stateKey: string): number {
    const { known, knownCount, unknown, unknownCount } = this.pending;
    let state = this.stateIds.get(stateKey);
    if (state === undefined) this.stateIds.set(stateKey, (state = this.stateIds.size));
    let keyHash = mix(mix(0x2545f491, state), knownCount);
    for (let i = 0; i < knownCount; i++) keyHash = mix(keyHash, known[i]);
    let hash = mix(keyHash, unknownCount);
    for (let i = 0; i < unknownCount; i++) hash = mix(hash, unknown[i]);
    keyHash = finish(keyHash);
    hash = finish(hash);
    const mask = this.exact.length - 1;
    let slot = hash & mask;
    for (let e = this.exact[slot]; e !== EMPTY; e = this.exact[(slot = (slot + 1) & mask)]) {
      if (this.entries[e * ENTRY_INTS + HASH] === hash && this.sameKey(e, state) && this.sameUnknown(e)) return -1;
    }
    let newest = EMPTY;
    let keySlot = -1;
    if (unknownCount > 0) {
      const keyMask = this.byKey.length - 1;
      keySlot = keyHash & keyMask;
      for (let e = this.byKey[keySlot]; e !== EMPTY; e = this.byKey[(keySlot = (keySlot + 1) & keyMask)]) {
        if (this.entries[e * ENTRY_INTS + KEY_HASH] === keyHash && this.sameKey(e, state)) {
          newest = e;
          break;
        }
      }
      for (let e = newest, seen = 0; e !== EMPTY && seen < DOMINATION_WINDOW; e = this.entries[e * ENTRY_INTS + OLDER], seen++) {
        if (this.entries[e * ENTRY_INTS + DONE] === 1 && this.includesUnknown(e)) return -1;
      }
    }
    const entry = this.add(state, hash, keyHash, newest);
    this.exact[slot] = entry;
    if (keySlot >= 0) this.byKey[keySlot] = entry;
    this.units += 4 * (knownCount + unknownCount) + ENTRY_BYTES;
    if (2 * this.count > this.exact.length) this.growTables();
    return entry;
  }

  /** Its whole subtree failed: from now on it dominates pairs with fewer unknown ops pending. */
  failed(entry: number): void {
    this.entries[entry * ENTRY_INTS + DONE] = 1;
  }

  private add(state: number, hash: number, keyHash: number, older: number): number {
    const { known, knownCount, unknown, unknownCount } = this.pending;
    const size = knownCount + unknownCount;
    if (this.arenaUsed + size > this.arena.length) this.arena = grown(this.arena, this.arenaUsed + size);
    // Loops, not set() with subarrays: a view costs more than copying a few integers.
    const arena = this.arena;
    let at = this.arenaUsed;
    for (let i = 0; i < knownCount; i++) arena[at++] = known[i];
    for (let i = 0; i < unknownCount; i++) arena[at++] = unknown[i];
    const entry = this.count++;
    if (this.count * ENTRY_INTS > this.entries.length) this.entries = grown(this.entries, this.count * ENTRY_INTS);
    const fields = this.entries;
    at = entry * ENTRY_INTS;
    fields[at + START] = this.arenaUsed;
    fields[at + KNOWN_COUNT] = knownCount;
    fields[at + UNKNOWN_COUNT] = unknownCount;
    fields[at + STATE] = state;
    fields[at + HASH] = hash;
    fields[at + KEY_HASH] = keyHash;
    fields[at + OLDER] = older;
    fields[at + DONE] = 0;
    this.arenaUsed += size;
    return entry;
  }

  /** Whether entry `e` has the pending known ops and the state. */
  private sameKey(e: number, state: number): boolean {
    const { known, knownCount } = this.pending;
    const at = e * ENTRY_INTS;
    if (this.entries[at + STATE] !== state || this.entries[at + KNOWN_COUNT] !== knownCount) return false;
    const start = this.entries[at + START];
    for (let i = 0; i < knownCount; i++) if (this.arena[start + i] !== known[i]) return false;
    return true;
  }

  /** Whether entry `e`, of the same key, has the pending unknown classes. */
  private sameUnknown(e: number): boolean {
    const { unknown, unknownCount } = this.pending;
    const at = e * ENTRY_INTS;
    if (this.entries[at + UNKNOWN_COUNT] !== unknownCount) return false;
    const start = this.entries[at + START] + this.entries[at + KNOWN_COUNT];
    for (let i = 0; i < unknownCount; i++) if (this.arena[start + i] !== unknown[i]) return false;
    return true;
  }

  /** Whether entry `e`'s sorted multiset of unknown classes contains the pending one. */
  private includesUnknown(e: number): boolean {
    const { unknown, unknownCount } = this.pending;
    const at = e * ENTRY_INTS;
    const outerCount = this.entries[at + UNKNOWN_COUNT];
    if (unknownCount > outerCount) return false;
    const start = this.entries[at + START] + this.entries[at + KNOWN_COUNT];
    let i = 0;
    for (let o = 0; o < outerCount && i < unknownCount; o++) {
      const c = this.arena[start + o];
      if (c === unknown[i]) i++;
      else if (c > unknown[i]) return false;
    }
    return i === unknownCount;
  }

  /** Twice the slots, every entry placed again by its stored hashes; `byKey` keeps the newest entry of each key. */
  private growTables(): void {
    const size = 2 * this.exact.length;
    const mask = size - 1;
    this.exact = new Int32Array(size).fill(EMPTY);
    this.byKey = new Int32Array(size).fill(EMPTY);
    for (let e = 0; e < this.count; e++) {
      const at = e * ENTRY_INTS;
      let slot = this.entries[at + HASH] & mask;
      while (this.exact[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.exact[slot] = e;
      if (this.entries[at + UNKNOWN_COUNT] === 0) continue;
      // Entries go in creation order, so a later entry of the same key takes the slot of an earlier one.
      slot = this.entries[at + KEY_HASH] & mask;
      for (let other = this.byKey[slot]; other !== EMPTY; other = this.byKey[(slot = (slot + 1) & mask)]) {
        if (this.entries[other * ENTRY_INTS + KEY_HASH] === this.entries[at + KEY_HASH] && this.sameEntryKey(other, e)) break;
      }
      this.byKey[slot] = e;
    }
  }

  /** Whether entries `a` and `b` have the same known ops pending and state. */
  private sameEntryKey(a: number, b: number): boolean {
    const [x, y] = [a * ENTRY_INTS, b * ENTRY_INTS];
    const count = this.entries[x + KNOWN_COUNT];
    if (this.entries[x + STATE] !== this.entries[y + STATE] || this.entries[y + KNOWN_COUNT] !== count) return false;
    const [sa, sb] = [this.entries[x + START], this.entries[y + START]];
    for (let i = 0; i < count; i++) if (this.arena[sa + i] !== this.arena[sb + i]) return false;
    return true;
  }
}

/** One integer into a running 32-bit hash (Murmur3's mixing step). */
function mix(hash: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** Murmur3's finalizer: every input bit reaches the low bits that pick a slot. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A copy at least `needed` long, doubling. */
function grown(array: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(Math.max(needed, 2 * array.length));
  copy.set(array);
  return copy;
}
