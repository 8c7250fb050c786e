// What each member holds, read so the checks can trust it: a session to that member alone, a write
// through it first (node-zookeeper-client has no sync; ZooKeeper answers a session's read after its
// earlier write, so the reads reflect every write completed before that one began), then the reads.
// Everything lands in the history; the checks take it from there.
import type { MemberReads } from "../checks";
import { type HistoryRecorder, SET_ROOT } from "../history";
import type { StartedEnsemble } from "../runtime";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";

export const SYNC_ROOT = "/zkdrill/sync";

export interface ReadPlan {
  /** Registers to read (named znodes, the workload's partition states). */
  readonly paths: readonly string[];
  /** Also list the set of unique znodes (the workload's config changes). */
  readonly set: boolean;
}

/** Reads every member in turn; a member that cannot be read fails the step, naming it. */
export async function syncedReads(e: StartedEnsemble, history: HistoryRecorder, members: readonly MemberId[], plan: ReadPlan): Promise<MemberReads[]> {
  const out: MemberReads[] = [];
  for (const member of members) {
    const process = await ZkClient.with(
      e.connectString([member]),
      async (c) => {
        const sync = await c.syncWrite(`${SYNC_ROOT}/m${member}`);
        for (const path of plan.paths) await c.getData(path, undefined, { syncedBy: sync }).catch(absentIsFine);
        if (plan.set) {
          const buckets = await c.getChildren(SET_ROOT, undefined, { syncedBy: sync }).catch((err) => (absentIsFine(err), [] as string[]));
          for (const b of buckets) await c.getChildren(`${SET_ROOT}/${b}`, undefined, { syncedBy: sync });
        }
        return c.process;
      },
      { connectTimeoutMs: 15_000, record: { history, role: `synced read on member ${member}`, members: [member] } },
    );
    out.push({ member, process });
  }
  return out;
}

/** A missing znode is an answer (recorded as read: absent); anything else is not. */
function absentIsFine(err: unknown): void {
  if (errorKind(err) !== "NO_NODE") throw err;
}
