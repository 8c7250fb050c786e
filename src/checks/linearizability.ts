// Linearizability: can every operation be given one instant within its call..return interval so that, in the
// order of those instants, a sequential model accepts each result? The search is Wing & Gong's with Lowe's
// just-in-time linearization and a memo of (set of operations linearized, model state) already explored, as in
// porcupine's checkSingle (github.com/anishathalye/porcupine, MIT): call and return events sit in one doubly linked
// list in time order; an operation may be linearized only while its call comes before the first return still in
// the list; linearizing it lifts both its events out, backtracking puts them back.
// Operations of unknown outcome (ret = Infinity) may take effect at any time after their call, or never.
// Beyond porcupine, each pruning sound and each checked against an exhaustive search in the tests: an accepted
// read-only op is placed at once without alternatives; unknown ops are tried last, never as no-ops, one per
// class of interchangeable ones, and not where an op they cover leads to the same state; and the memo also
// prunes a pair that a failed one dominates (same state, a superset of the unknown ops still pending).
import { performance } from "node:perf_hooks";
import { EventList } from "./linearizability-list";
import { Memo } from "./linearizability-memo";
import type { TimedOp } from "./timed-op";
import { Slab, slabBytes } from "./typed-slab";

export type { TimedOp } from "./timed-op";

export interface StepResult<S> {
  /** Whether the operation, applied to the state, could have returned what it returned. */
  readonly ok: boolean;
  readonly next: S;
}

/** A deterministic sequential specification. */
export interface Model<S, O> {
  init(): S;
  step(state: S, op: O): StepResult<S>;
  /** Equal keys for states that no operation can tell apart: the memo's half. */
  key(state: S): string;
  describe?(op: O): string;
  describeState?(state: S): string;
  /**
   * True for an op that never changes the state, whatever the state (a read, a failed write). The search places
   * such an op as soon as the model accepts it and tries nothing else at that point: any linearization that
   * places it later stays one when it is moved there.
   */
  readOnly?(op: O): boolean;
  /**
   * For an op of unknown outcome: equal for ops that step alike from every state (up to `key`). The search tries
   * one op of each such class at a point, and its memo counts them by class: the rest is the same up to renaming.
   */
  interchangeable?(op: O): string;
  /**
   * For `stronger` of unknown outcome: true when, from every state that accepts `weaker`, `stronger` can lead to
   * the same next state (up to `key`). Where both can come next and lead to the same state, the search places only
   * `weaker` (of known outcome, or unknown and not covering `stronger` back): any linearization placing
   * `stronger` there stays one with the two swapped, since `stronger` may go anywhere later.
   */
  covers?(stronger: O, weaker: O): boolean;
}

export interface SearchLimits {
  /** Model steps plus backtracks; past it the verdict is "unknown". */
  readonly maxSteps?: number;
  /** Wall-clock budget in milliseconds (default DEFAULT_DEADLINE_MS); past it the verdict is "unknown". */
  readonly deadlineMs?: number;
}

/** Bounds the work (a step costs 1-5 µs with the hashed memo) and the memo (at most one entry a step). */
export const DEFAULT_MAX_STEPS = 20_000_000;

/** Every call has a deadline, so no history can hold a run's analysis for longer. */
export const DEFAULT_DEADLINE_MS = 60_000;

export interface WitnessOp {
  readonly id: number;
  readonly description: string;
  /** Whether the model rejects it in the witness's state. */
  readonly rejected: boolean;
}

/** Where the deepest attempt got stuck: what a person needs to see the violation. */
export interface Witness {
  /** The longest linearizable prefix found: operation ids in linearization order. */
  readonly prefix: readonly number[];
  /** The operation of the prefix that set the final state (null: the initial state). */
  readonly lastChange: Omit<WitnessOp, "rejected"> | null;
  /** The model state after the prefix. */
  readonly state: string;
  /** The operation that had to come next (its return is the earliest left) and could not be placed. */
  readonly blocked: WitnessOp;
  /** Every operation that could have come next (called before `blocked` returned); accepted ones led nowhere. */
  readonly candidates: readonly WitnessOp[];
}

export type KeyVerdict =
  | { readonly status: "linearizable"; readonly steps: number }
  | { readonly status: "not-linearizable"; readonly steps: number; readonly witness: Witness }
  | { readonly status: "unknown"; readonly steps: number; readonly reason: string };

/** Bounds the memo, in its rough bytes (see Memo.units). */
const MEMO_UNITS = 300_000_000;

/**
 * What the walk over the candidates at one point tries, in order: an accepted read-only op settles the point
 * alone; then the other ops of known outcome; then ops of unknown outcome, only after the rest, since most never
 * took effect and success does not need them.
 */
const READ_ONLY = 0;
const KNOWN = 1;
const UNKNOWN = 2;
type Phase = typeof READ_ONLY | typeof KNOWN | typeof UNKNOWN;

/** One linearized operation; frames chain to their parent so a witness is kept without copying the stack. */
interface Frame<S> {
  readonly op: number;
  /** Placed by the read-only rule: if what follows fails, so does the point it was placed at. */
  readonly settles: boolean;
  readonly before: S;
  readonly beforeKey: string;
  /** Its memo entry. */
  readonly explored: number;
  readonly parent: Frame<S> | null;
  readonly depth: number;
}

interface DeadEnd<S> {
  readonly top: Frame<S> | null;
  readonly state: S;
  readonly stateKey: string;
  readonly blocked: number;
  readonly candidates: readonly number[];
}

/**
 * Decides whether `ops` are linearizable with respect to `model`. Iterative: the depth of the search costs heap,
 * not stack. Never answers "linearizable" without having found a linearization.
 */
export function checkOperations<S, O extends TimedOp>(ops: readonly O[], model: Model<S, O>, opts: SearchLimits = {}): KeyVerdict {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  // Every typed array of the search from one buffer (typed-slab.ts): a dozen backing stores of their own cost a
  // small history as much as its search.
  const slab = new Slab(EventList.slabBytes(ops.length) + Memo.slabBytes(ops.length) + slabBytes(ops.length, 1) + slabBytes(ops.length, 4));
  try {
    return search(ops, model, maxSteps, deadlineMs, slab);
  } finally {
    slab.release();
  }
}

function search<S, O extends TimedOp>(ops: readonly O[], model: Model<S, O>, maxSteps: number, deadlineMs: number, slab: Slab): KeyVerdict {
  const deadline = performance.now() + deadlineMs;
  const list = new EventList(ops, slab);
  // Plain loops, not TypedArray.from with a callback: that costs as much as a small history's whole search.
  const phaseOf = slab.uint8(ops.length);
  for (let i = 0; i < ops.length; i++) phaseOf[i] = list.unknown[i] === 1 ? UNKNOWN : model.readOnly?.(ops[i]) ? READ_ONLY : KNOWN;
  const classOf = classesOf(ops, list.unknown, model, slab.int32(ops.length));
  const memo = new Memo(ops.length, slab);
  // Per depth, the classes of unknown ops already tried at the point being explored there.
  const triedAtDepth: Array<Set<number>> = [];
  let state = model.init();
  let stateKey = model.key(state);
  let top = null as Frame<S> | null; // "as": declared, so that TypeScript does not narrow it to null for the loop
  let deepest: DeadEnd<S> | null = null;
  let steps = 0;
  let phase: Phase = READ_ONLY;
  let node = list.first();
  const outOfBudget = (): string | null => {
    if (steps > maxSteps) return `step limit reached (${maxSteps} steps)`;
    if (memo.units > MEMO_UNITS) return `memo full (about ${MEMO_UNITS / 1e6} MB) after ${steps} steps`;
    if ((steps & 1023) === 1 && performance.now() > deadline) return `deadline reached (${deadlineMs} ms) after ${steps} steps`;
    return null;
  };

  // A walk of the list, not of callsBefore's array: this runs for every unknown op tried.
  const aWeakerOneLeadsThere = (strong: number, there: string): boolean => {
    for (let node = list.first(); list.isCall(node); node = list.next[node]) {
      const weak = list.opAt(node);
      if (weak === strong || !model.covers!(ops[strong], ops[weak])) continue;
      if (list.unknown[weak] === 1 && model.covers!(ops[weak], ops[strong])) continue;
      const result = model.step(state, ops[weak]);
      if (result.ok && model.key(result.next) === there) return true;
    }
    return false;
  };

  for (;;) {
    if (!list.isCall(node)) {
      // The walk reached the first return left.
      if (phase === READ_ONLY) {
        const first = list.opAt(node);
        // Only returns of unknown-outcome ops are left: each of those may never take effect.
        if (first < 0 || list.unknown[first] === 1) return { status: "linearizable", steps };
        phase = KNOWN;
        node = list.first();
        continue;
      }
      if (phase === KNOWN) {
        phase = UNKNOWN;
        (triedAtDepth[top?.depth ?? 0] ??= new Set()).clear();
        node = list.first();
        continue;
      }
    } else {
      const candidate = list.opAt(node);
      node = list.next[node];
      if (phaseOf[candidate] !== phase) continue;
      if (phase === UNKNOWN) {
        const tried = triedAtDepth[top?.depth ?? 0];
        if (tried.has(classOf[candidate])) continue;
        tried.add(classOf[candidate]);
      }
      steps++;
      const stop = outOfBudget();
      if (stop !== null) return { status: "unknown", steps, reason: stop };
      const result = model.step(state, ops[candidate]);
      if (!result.ok) continue;
      const nextKey = model.key(result.next);
      // An unknown op that changes nothing here is no better than one that never happens, which success allows.
      if (phase === UNKNOWN && nextKey === stateKey) continue;
      if (phase === UNKNOWN && model.covers && aWeakerOneLeadsThere(candidate, nextKey)) continue;
      list.lift(candidate);
      list.pending(classOf, memo.pending);
      const explored = memo.enter(nextKey);
      if (explored >= 0) {
        const settles = phase === READ_ONLY;
        top = { op: candidate, settles, before: state, beforeKey: stateKey, explored, parent: top, depth: (top?.depth ?? 0) + 1 };
        state = result.next;
        stateKey = nextKey;
        phase = READ_ONLY;
        node = list.first();
        continue;
      }
      list.unlift(candidate);
      // Explored already, and failed: for a read-only op that means this whole point fails.
      if (phase !== READ_ONLY) continue;
    }
    // A dead end: nothing can come next here.
    const depth = top?.depth ?? 0;
    if (deepest === null || depth > (deepest.top?.depth ?? 0)) {
      const blocked = list.firstReturn();
      deepest = { top, state, stateKey, blocked: list.opAt(blocked), candidates: list.callsBefore(blocked) };
    }
    // Back to the last point with alternatives left: past any op placed by the read-only rule.
    let undone: Frame<S>;
    do {
      if (top === null) return { status: "not-linearizable", steps, witness: witnessOf(deepest, ops, model) };
      steps++;
      const stop = outOfBudget();
      if (stop !== null) return { status: "unknown", steps, reason: stop };
      undone = top;
      memo.failed(undone.explored);
      state = undone.before;
      stateKey = undone.beforeKey;
      top = undone.parent;
      list.unlift(undone.op);
    } while (undone.settles);
    phase = phaseOf[undone.op] as Phase;
    node = list.nextOfCall(undone.op);
  }
}

/** Class ids of unknown ops: one per op unless the model says which are interchangeable. */
function classesOf<S, O extends TimedOp>(ops: readonly O[], unknown: Uint8Array, model: Model<S, O>, classOf: Int32Array): Int32Array {
  const ids = new Map<string, number>();
  for (let i = 0; i < ops.length; i++) {
    if (unknown[i] === 0 || !model.interchangeable) {
      classOf[i] = i;
      continue;
    }
    const name = model.interchangeable(ops[i]);
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = ids.size + ops.length));
    classOf[i] = id;
  }
  return classOf;
}

function witnessOf<S, O extends TimedOp>(end: DeadEnd<S>, ops: readonly O[], model: Model<S, O>): Witness {
  const describe = (i: number): string => model.describe?.(ops[i]) ?? `operation ${ops[i].id}`;
  const judged = (i: number): WitnessOp => ({ id: ops[i].id, description: describe(i), rejected: !model.step(end.state, ops[i]).ok });
  const prefix: number[] = [];
  let lastChange: Frame<S> | null = null;
  for (let f = end.top; f !== null; f = f.parent) {
    prefix.push(ops[f.op].id);
    if (lastChange === null && f.beforeKey !== end.stateKey) lastChange = f;
  }
  prefix.reverse();
  return {
    prefix,
    lastChange: lastChange === null ? null : { id: ops[lastChange.op].id, description: describe(lastChange.op) },
    state: model.describeState?.(end.state) ?? end.stateKey,
    blocked: judged(end.blocked),
    candidates: end.candidates.map(judged),
  };
}

