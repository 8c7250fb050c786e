// Who leads: waiting (bounded, polling) until members agree on one leader, or until they all stop
// serving. A lone former leader can report "leader" for seconds after losing its peers: never sample once.
import { waitFor } from "../common";
import type { MemberId } from "../topology";
import { NOT_SERVING, ServerStatus } from "../zk";

/** What the waits need of an ensemble. */
export interface Members {
  running(): Promise<MemberId[]>;
  status(id: MemberId): Promise<ServerStatus>;
}

export interface QuorumView {
  readonly leader: MemberId;
  readonly followers: readonly MemberId[];
  readonly observers: readonly MemberId[];
  readonly epoch: number;
  readonly statuses: ReadonlyMap<MemberId, ServerStatus>;
}

/**
 * Waits until the given members (default: all running) agree: exactly one leader, the rest
 * following or observing. A lone former leader can report `leader` for seconds after losing
 * its peers, so this polls and never samples once.
 */
export async function waitForQuorum(e: Members, opts: { members?: readonly MemberId[]; timeoutMs?: number } = {}): Promise<QuorumView> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return waitFor<QuorumView>(
    "a quorum: one leader, every other member following or observing",
    async () => {
      const ids = opts.members ?? (await e.running());
      const statuses = new Map<MemberId, ServerStatus>();
      const seen: string[] = [];
      for (const id of ids) {
        try {
          const s = await e.status(id);
          statuses.set(id, s);
          seen.push(`${id}:${s.serving ? s.mode : "not serving"}`);
        } catch (err) {
          seen.push(`${id}:${(err as Error).message}`);
        }
      }
      const serving = [...statuses.entries()].filter(([, s]) => s.serving) as Array<[MemberId, Extract<ServerStatus, { serving: true }>]>;
      const leaders = serving.filter(([, s]) => s.mode === "leader");
      if (serving.length !== ids.length || leaders.length !== 1) return { done: false, seen: seen.join(", ") };
      // Followers report their last zxid, which keeps the old epoch until the first write; the leader's is the new one.
      const [leader, ls] = leaders[0];
      return {
        done: true,
        value: {
          leader,
          followers: serving.filter(([, s]) => s.mode === "follower").map(([id]) => id),
          observers: serving.filter(([, s]) => s.mode === "observer").map(([id]) => id),
          epoch: ls.epoch,
          statuses,
        },
      };
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Waits until every given member answers "not currently serving requests" (quorum lost). */
export async function waitForNotServing(e: Members, members: readonly MemberId[], timeoutMs = 30_000): Promise<Map<MemberId, string>> {
  return waitFor(
    `members ${members.join(", ")} to stop serving`,
    async () => {
      const answers = new Map<MemberId, string>();
      for (const id of members) answers.set(id, (await e.status(id)).raw.trim());
      const still = [...answers.entries()].filter(([, a]) => !a.includes(NOT_SERVING));
      return still.length === 0 ? { done: true, value: answers } : { done: false, seen: still.map(([id, a]) => `${id}: ${a.split("\n").find((l) => l.startsWith("Mode")) ?? a.slice(0, 60)}`).join("; ") };
    },
    { timeoutMs, intervalMs: 200 },
  );
}

