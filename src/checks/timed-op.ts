// The one type the search (linearizability.ts) and its data structures (linearizability-list.ts) share: kept
// apart so neither imports the other back.

/** An operation as the search sees it: its interval, in any monotonic unit. */
export interface TimedOp {
  /** Unique in the history: witnesses name operations by it. */
  readonly id: number;
  readonly call: number;
  /** Infinity: outcome unknown (it may take effect at any time after its call, or never). */
  readonly ret: number;
}
