// Awaiting a condition with a deadline: the only way a drill waits (no fixed sleeps).

export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly waitedMs: number,
    readonly last: string,
  ) {
    super(`timed out after ${(waitedMs / 1000).toFixed(1)} s waiting for ${what}; last seen: ${last}`);
    this.name = "DeadlineError";
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Time between polls. */
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns `{ done: true }`, at most until the deadline.
 * `probe` reports what it saw, so a timeout says what the world looked like.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<{ done: true; value: T } | { done: false; seen: string }>,
  opts: WaitOptions,
): Promise<T> {
  const start = Date.now();
  const interval = opts.intervalMs ?? 100;
  let last = "nothing yet";
  for (;;) {
    try {
      const r = await probe();
      if (r.done) return r.value;
      last = r.seen;
    } catch (err) {
      last = errorText(err);
    }
    const elapsed = Date.now() - start;
    if (elapsed >= opts.timeoutMs) throw new DeadlineError(what, elapsed, last);
    await delay(Math.min(interval, opts.timeoutMs - elapsed));
  }
}

/** node-zookeeper-client and dockerode throw non-Error values; make them readable. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === "object" && "message" in err) return String((err as { message: unknown }).message);
  return String(err);
}

/**
 * Awaits every promise, then throws the first rejection. Unlike Promise.all, nothing is still in flight
 * when the caller's cleanup runs: a container created after teardown listed the run would be left behind.
 */
export async function allSettledOrThrow<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
