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

/**
 * The most znodes read from one member: a soak's tree (~210k: a quarter of an hour of config-change
 * notifications) fits, with room. Past it the reconciliation says "inconclusive", naming this bound.
 */
export const TREE_CAP = 500_000;
/** Reads in flight on a member's session: pipelined on its one connection, so a 250k tree reads in seconds. */
export const TREE_LANES = 32;
/** A member's tree read is given this long; past it the read fails, naming the bound and the count read. */
export const TREE_DEADLINE_MS = 300_000;
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

/** What reading a tree needs of a session: lanes (one call open each) and two reads. ZkClient is one. */
export interface TreeSource {
  lane(role: string): TreeSource;
  getData(path: string): Promise<{ data: Buffer; stat: Stat }>;
  getChildren(path: string): Promise<string[]>;
}

/**
 * Every znode of `member` (read through `c`, its own session) outside /zookeeper, up to the cap; fails, naming
 * the member, past the deadline. A queue of paths, breadth first, drained by `lanes` reads in flight at once:
 * a znode's children join the queue as soon as they are listed, so no lane waits for a level to finish.
 */
export async function readTree(c: TreeSource, member: MemberId, o: TreeReadOptions = {}): Promise<TreeRead> {
  const cap = o.cap ?? TREE_CAP;
  const deadlineMs = o.deadlineMs ?? TREE_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  const lanes = [c, ...Array.from({ length: (o.lanes ?? TREE_LANES) - 1 }, (_, i) => c.lane(`tree ${i + 1}`))];
  const znodes: Record<string, ZnodeEntry> = {};
  const queue = ["/"];
  let next = 0;
  let busy = 0;
  let capped = false;
  let failed = false;
  // Lanes with nothing to read wait here until another lane lists children or the last read ends.
  let idle: Array<() => void> = [];
  const wake = () => {
    const waiting = idle;
    idle = [];
    for (const w of waiting) w();
  };
  const work = async (lane: TreeSource): Promise<void> => {
    while (!capped && !failed) {
      if (next >= queue.length) {
        if (busy === 0) return wake();
        await new Promise<void>((r) => idle.push(r));
        continue;
      }
      if (Date.now() > deadline) throw new Error(`reading member ${member}'s tree: past the ${(deadlineMs / 1000).toFixed(0)} s bound after ${next} znodes`);
      if (next >= cap) {
        capped = true;
        return wake();
      }
      const path = queue[next++];
      busy++;
      try {
        const { data, stat } = await lane.getData(path);
        znodes[path] = entryOf(data, stat);
        if (stat.numChildren > 0) for (const name of await lane.getChildren(path)) if (childPath(path, name) !== EXCLUDED_ROOT) queue.push(childPath(path, name));
      } catch (err) {
        // Gone between its parent's listing and its read: the tree moved (the zxids will say so).
        if (errorKind(err) !== "NO_NODE") throw err;
      } finally {
        busy--;
        wake();
      }
    }
  };
  await Promise.all(lanes.map((lane) => work(lane).catch((err) => {
    failed = true;
    wake();
    throw err;
  })));
  return { znodes, capped };
}

/** A write through `c` (a session to `member` alone): its reads after it see every write completed before it (zkdrill's sync). */
export async function syncThrough(c: ZkClient, member: MemberId): Promise<void> {
  await c.syncWrite(`${RECONCILE_SYNC_ROOT}/m${member}`);
}
