// A member's whole tree, for reconciliation: a session to that member alone, breadth first, a few
// lanes at once, bounded in znodes and time. Not recorded in the history: thousands of reads of
// znodes no checker judges there; the reconciliation check journals what they found.
import { createHash } from "node:crypto";
import type { Stat } from "node-zookeeper-client";
import type { ZnodeEntry } from "../checks";
import { EXCLUDED_ROOT } from "../checks";
import type { StartedEnsemble } from "../runtime";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";

export const TREE_CAP = 50_000;
/** Where each member's sync write goes (its own path: no member's marker is another's). */
export const RECONCILE_SYNC_ROOT = "/zkdrill/reconcile";

export interface TreeRead {
  readonly znodes: Record<string, ZnodeEntry>;
  /** The read stopped at the cap. */
  readonly capped: boolean;
}

export interface TreeReadOptions {
  readonly cap?: number;
  readonly lanes?: number;
  readonly deadlineMs?: number;
}

/** The znode as the check compares it; an ephemeral's owner is its session id in hex ("0": persistent). */
export function entryOf(data: Buffer, stat: Stat): ZnodeEntry {
  const owner = (stat.ephemeralOwner as unknown as Buffer).readBigInt64BE(0);
  return [createHash("sha256").update(data).digest("hex").slice(0, 16), stat.version, stat.cversion, BigInt.asUintN(64, owner).toString(16)];
}

const childPath = (parent: string, name: string) => (parent === "/" ? `/${name}` : `${parent}/${name}`);

/**
 * A session to `member` alone, for its sync and its tree. Opened before the members' zxids are
 * compared: a session's creation is itself a transaction, and would move every zxid mid-read.
 */
export function treeReader(e: StartedEnsemble, member: MemberId): Promise<ZkClient> {
  return ZkClient.connect(e.connectString([member]), { connectTimeoutMs: 15_000, opTimeoutMs: 15_000 });
}

/** Every znode of `member` (read through `c`, its own session) outside /zookeeper, up to the cap; fails, naming the member, past the deadline. */
export async function readTree(c: ZkClient, member: MemberId, o: TreeReadOptions = {}): Promise<TreeRead> {
  const cap = o.cap ?? TREE_CAP;
  const deadline = Date.now() + (o.deadlineMs ?? 120_000);
  const lanes = [c, ...Array.from({ length: (o.lanes ?? 8) - 1 }, (_, i) => c.lane(`tree ${i + 1}`))];
  const znodes: Record<string, ZnodeEntry> = {};
  let count = 0;
  let capped = false;
  let level = ["/"];
  while (level.length > 0 && !capped) {
    const next: string[] = [];
    let i = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        while (i < level.length && !capped) {
          if (Date.now() > deadline) throw new Error(`reading member ${member}'s tree: past the ${((o.deadlineMs ?? 120_000) / 1000).toFixed(0)} s bound after ${count} znodes`);
          if (count >= cap) {
            capped = true;
            return;
          }
          const path = level[i++];
          count++;
          try {
            const { data, stat } = await lane.getData(path);
            znodes[path] = entryOf(data, stat);
            if (stat.numChildren > 0) for (const name of await lane.getChildren(path)) if (childPath(path, name) !== EXCLUDED_ROOT) next.push(childPath(path, name));
          } catch (err) {
            // Gone between its parent's listing and its read: the tree moved (the zxids will say so).
            if (errorKind(err) !== "NO_NODE") throw err;
          }
        }
      }),
    );
    level = next.sort();
  }
  return { znodes, capped };
}

/** A write through `c` (a session to `member` alone): its reads after it see every write completed before it (zkdrill's sync). */
export async function syncThrough(c: ZkClient, member: MemberId): Promise<void> {
  await c.syncWrite(`${RECONCILE_SYNC_ROOT}/m${member}`);
}
