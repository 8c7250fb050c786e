// A Kafka server (broker or KRaft controller) restarted with a rewritten properties file, as an operator
// does at each step of the migration guide: stopped gracefully, the file replaced in the stopped
// container, started again, and awaited until it logs its start once more (its earlier starts counted first).
import { containerLog, docker, putFiles } from "../docker";
import { waitFor } from "../common";

/** How many times the server has logged `started` so far. */
export async function startsLogged(containerId: string, started: RegExp): Promise<number> {
  const log = await containerLog(containerId);
  return log.split("\n").filter((l) => started.test(l)).length;
}

/** Waits (bounded) until the server logs `started` more than `before` times; the log's tail is the error's evidence. */
export async function awaitStarted(containerId: string, started: RegExp, before: number, what: string, timeoutMs: number): Promise<void> {
  try {
    await waitFor(`${what} to log its start`, async () => ((await startsLogged(containerId, started)) > before ? { done: true, value: undefined } : { done: false, seen: "not started yet" }), { timeoutMs, intervalMs: 500 });
  } catch (err) {
    const tail = await containerLog(containerId).then((l) => l.trim().split("\n").slice(-15).join("\n"), () => "(its log could not be read)");
    throw new Error(`${(err as Error).message}\nlast lines of ${what}'s log:\n${tail}`);
  }
}

/** Stop (SIGTERM, then SIGKILL after `graceS`), the properties file replaced, start, awaited. */
export async function restartWith(containerId: string, file: { path: string; content: string }, started: RegExp, what: string, o: { graceS?: number; timeoutMs?: number } = {}): Promise<void> {
  const c = docker().getContainer(containerId);
  const before = await startsLogged(containerId, started);
  await c.stop({ t: o.graceS ?? 30 }).catch((err: { statusCode?: number }) => {
    // Already stopped (a killed server the runbook reconfigures): nothing to stop.
    if (err.statusCode !== 304) throw err;
  });
  await putFiles(containerId, [file]);
  await c.start();
  await awaitStarted(containerId, started, before, what, o.timeoutMs ?? 120_000);
}
