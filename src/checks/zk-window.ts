// Refuting a znode in a window around where ZooKeeper's zxid order contradicts itself, so that a violation in a
// long history on a hot znode ends with a verdict instead of a search over all of it.
//
// Soundness: let H be linearizable with linearization points p, and W = [S, T] a time window. Build H_W from the
// operations called by T: one that returned before S is left out (its point is before S, its effect is in the
// state σ reached at S); a write still pending at S or at T becomes of unknown outcome (it may take effect, or
// not, at its point); a read or definite failure still pending at S or T is left out (dropping an observation
// only allows more); the rest stay as they are. Every operation kept whole has its point in W, and each op
// before it in H's linearization has a point in [S, its point] so was called by T and is kept, whole or as an
// unknown write taking effect at the same point: restricting H's linearization, from σ, linearizes H_W. σ is not
// known, so H_W is judged from "any state" (zkRegisterModelFromAnyState, which only pins what an operation
// proves). So H_W not linearizable implies H not linearizable; the converse is not claimed: a window that passes
// proves nothing, and the next, wider one, or the full search decides.
import { checkOperations, type KeyVerdict, type SearchLimits } from "./linearizability";
import { zkRegisterModelFromAnyState, type ZkRegisterOp } from "./zk-model";

/** Operations on each side of the contradiction, per attempt: widening until one refutes, or the full search. */
const WINDOW_SIDES = [16, 256, 4096] as const;

/** Operations in a window at most: past it the full search, bounded as ever, is no worse. */
const MAX_WINDOW = 20_000;

/**
 * Unknown-outcome writes in a window at most: every one called before the window's end may take effect in it,
 * and from "any state" the search has no shortcut for them (see zk-model.ts), so more make it exponential.
 */
const MAX_UNKNOWN = 24;

/** Search steps per window: a window that does not refute quickly hands over to the next. */
const WINDOW_STEPS = 200_000;

export type WindowVerdict = Extract<KeyVerdict, { status: "not-linearizable" }> & { readonly window: number };

/**
 * Searches windows around `involved` (the operations the zxid order found contradicting each other) for a
 * violation; null when none refutes. Not for znodes with ephemeral creates: "any state" forgets an owner.
 */
export function refuteInWindow(keyOps: readonly ZkRegisterOp[], involved: readonly ZkRegisterOp[], limits: SearchLimits): WindowVerdict | null {
  if (involved.length === 0 || keyOps.some((op) => op.ephemeral === true || op.sessionEnd === true)) return null;
  const byCall = [...keyOps].sort((a, b) => a.call - b.call);
  // Around the operation that could not be placed first (often wrong on its own, whatever came before), then
  // around all of those involved (the write it contradicts may lie far back).
  const groups = involved.length > 1 ? [involved.slice(0, 1), involved] : [involved];
  let steps = 0;
  for (const side of WINDOW_SIDES) {
    for (const group of groups) {
      const first = Math.min(...group.map((op) => op.call));
      const last = Math.max(...group.map((op) => (op.ret === Infinity ? op.call : op.ret)));
      const from = Math.max(0, lowerBound(byCall, first) - side);
      const to = Math.min(byCall.length - 1, lowerBound(byCall, last) + side);
      if (to - from > MAX_WINDOW) continue;
      // Up to the last return among them, so that the last ones called are judged whole.
      let end = last;
      for (let i = from; i <= to; i++) if (byCall[i].ret !== Infinity && byCall[i].ret > end) end = byCall[i].ret;
      const window = windowOf(byCall, byCall[from].call, end);
      if (window.filter((op) => op.outcome === "unknown").length > MAX_UNKNOWN) continue;
      const v = checkOperations(window, zkRegisterModelFromAnyState, { maxSteps: WINDOW_STEPS, deadlineMs: limits.deadlineMs });
      steps += v.steps;
      if (v.status === "not-linearizable") return { ...v, steps, window: window.length };
    }
  }
  return null;
}

/** H_W of the comment above, for the window [start, end]. */
function windowOf(byCall: readonly ZkRegisterOp[], start: number, end: number): ZkRegisterOp[] {
  const out: ZkRegisterOp[] = [];
  for (const op of byCall) {
    if (op.call > end) break;
    if (op.ret < start) continue;
    const whole = op.call >= start && op.ret <= end;
    if (whole) out.push(op);
    else if (op.f !== "read" && op.outcome !== "fail") out.push({ ...op, outcome: "unknown", ret: Infinity, version: undefined, zxid: undefined, serverZxid: undefined });
  }
  return out;
}

/** The first index whose call is at least `t`. */
function lowerBound(byCall: readonly ZkRegisterOp[], t: number): number {
  let lo = 0;
  let hi = byCall.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byCall[mid].call < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
