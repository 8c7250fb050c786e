// Trouble on the host, said as such: the Docker engine gone mid-run, a full disk, a port taken. Each
// becomes one message with what to do, and the environment's exit code (2), never a stack.

/** The engine stopped answering (its socket is gone or refuses), or never answered. */
export function isEngineGone(err: unknown): boolean {
  const m = messageOf(err);
  return /connect (ENOENT|ECONNREFUSED) .*docker\.sock|Cannot connect to the Docker daemon|docker\.sock.*(ENOENT|ECONNREFUSED)/i.test(m);
}

export function isDiskFull(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === "ENOSPC" || /no space left on device|ENOSPC/i.test(messageOf(err));
}

export function isPortTaken(err: unknown): boolean {
  return /port is already allocated|address already in use|EADDRINUSE/i.test(messageOf(err));
}

/**
 * A kept-alive socket to the engine that the engine closed while this process was busy (an end-of-run
 * analysis holds the event loop for minutes): the next request on it fails, a fresh one would not.
 */
export function isStaleSocket(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === "EPIPE" || code === "ECONNRESET" || /write EPIPE|read ECONNRESET|socket hang up/i.test(messageOf(err));
}

/** `work`, tried again (at most `tries` times in all) while it fails only for a stale socket. */
export async function onFreshSocket<T>(work: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= tries || !isStaleSocket(err)) throw err;
    }
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The host's trouble in words, with what to do; undefined when the error is not one of these. */
export function hostTrouble(err: unknown): string | undefined {
  if (isEngineGone(err)) return `the Docker engine stopped answering (${firstLine(err)}); start it again (scripts/ensure-docker.sh), then remove what the run left: zkdrill down --stale`;
  if (isDiskFull(err)) return `no space left on device (${lineWith(err, /no space left|ENOSPC/i)}); free space there, or point ZKDRILL_CACHE (image builds) or --report-dir (reports) at a disk with room`;
  if (isPortTaken(err)) return `a port the run needs is taken (${firstLine(err)}); free it, or let zkdrill pick ports (leave --client-ports out)`;
  return undefined;
}

const firstLine = (err: unknown) => messageOf(err).split("\n").find((l) => l.trim()) ?? "";
const lineWith = (err: unknown, re: RegExp) => (messageOf(err).split("\n").find((l) => re.test(l)) ?? firstLine(err)).trim();
