// Work that concurrent callers share while it runs: a second caller awaits the first one's promise instead
// of starting the same work beside it (two debootstraps racing to tag one base image).

/**
 * `work` once for every caller that asks while it is in flight (their arguments are not used; the first
 * caller's are). Once it settles the next call starts afresh: a failure can be retried, and a result that
 * went away since (an image removed) is looked for again rather than remembered.
 */
export function sharedWhileInFlight<A extends unknown[], T>(work: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return (...args) => {
    inFlight ??= work(...args).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
