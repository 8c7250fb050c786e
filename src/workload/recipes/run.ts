// What a recipe's client code gets from the workload: its session's lease on life, bounded pauses that
// end early when the workload stops or moves, seeded randomness and a tally.
import type { SeededRandom } from "../../common";
import type { ZkClient } from "../../zk";

export interface RecipeRun {
  readonly rng: SeededRandom;
  /** This session may go on: the workload runs and its clients were not moved since the session opened. */
  live(): boolean;
  /** Waits `ms`, or less when the workload stops or moves (or `until` settles first). */
  pause(ms: number, until?: Promise<unknown>): Promise<void>;
  /** Counts an outcome for the summary ("lock acquisitions"). */
  count(what: string): void;
}

/**
 * A recipe's work on one session: it returns when the session should close (stop, move) and throws on
 * anything that leaves the session's state unknown; the workload then closes it and opens a new one.
 */
export type RecipeWork = (c: ZkClient, run: RecipeRun) => Promise<void>;

/** Loop bound for one session's work, beside `live()`: no loop relies on time alone. */
export const MAX_ROUNDS = 100_000;

/** A number in [lo, hi). */
export const between = (rng: SeededRandom, lo: number, hi: number): number => lo + rng.int(hi - lo);

/** Sequential znode names in the order ZooKeeper issued them. */
export const bySequence = (a: string, b: string): number => (a.slice(-10) < b.slice(-10) ? -1 : a.slice(-10) > b.slice(-10) ? 1 : 0);

/** A promise and the function that settles it: a watch's event. */
export function signal(): { fired: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fired, fire };
}
