// Who owns a run's containers and networks: the host, the process id and that process's start time
// (so a recycled pid is not taken for the owner). A run whose owner is gone from this host (SIGKILL,
// a crashed CI runner) is stale and may be removed; a live run of another process never is.
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";

/** The process's start time in clock ticks since boot (Linux), or "" where /proc is not there. */
function startTicks(pid: number): string | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return process.platform === "linux" ? undefined : "";
  // Field 22 (starttime), counted after the command name, which may hold spaces: split after ")".
  const after = readFileSync(stat, "utf8").split(") ")[1];
  return after?.split(" ")[19];
}

let me: string | undefined;

/** This process as an owner: "host:pid:starttime". */
export function ownerId(): string {
  me ??= `${hostname()}:${process.pid}:${startTicks(process.pid) ?? ""}`;
  return me;
}

export type OwnerState = "alive" | "gone" | "elsewhere" | "unknown";

/** Whether the owner still runs: only judged for owners on this host. */
export function ownerState(owner: string | undefined): OwnerState {
  if (!owner) return "unknown";
  const [host, pidText, ticks] = owner.split(":");
  if (host !== hostname()) return "elsewhere";
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return "unknown";
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists under another user, so it is alive; ESRCH: no such process.
    return (err as NodeJS.ErrnoException).code === "EPERM" ? "alive" : "gone";
  }
  const now = startTicks(pid);
  return now === undefined || ticks === "" || now === ticks ? "alive" : "gone";
}
