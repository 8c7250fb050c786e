// ZooKeeper's multi through node-zookeeper-client 1.x (pinned), which has a quirk: Transaction.check
// and .setData do `version = version || -1`, so version 0 (a znode never set since its create) is
// sent as -1, "any version", and the check checks nothing. The ops' versions are set again here.
import type zookeeper from "node-zookeeper-client";
import type { Stat } from "node-zookeeper-client";

/** The library's op codes (jute.OP_CODES) for the results of a multi. */
const SET_DATA = 5;

/** check(path, version) then setData(path, data, version), as one transaction, version 0 kept. */
export function checkThenSet(t: zookeeper.Transaction, path: string, data: Buffer, version: number): zookeeper.Transaction {
  if (!Number.isInteger(version) || version < 0) throw new Error(`checkThenSet ${path}: expected version must be 0 or more, got ${version}`);
  t.check(path, version).setData(path, data, version);
  // Internal to node-zookeeper-client 1.x: the ops the builder queued, serialized at commit.
  for (const op of (t as unknown as { ops: Array<{ version?: number }> }).ops) op.version = version;
  return t;
}

/** The setData's stat among a committed multi's results. */
export function setDataStat(results: unknown): Stat {
  const found = Array.isArray(results) ? (results as Array<{ type?: number; stat?: Stat }>).find((r) => r.type === SET_DATA && r.stat) : undefined;
  if (!found?.stat) throw new Error(`a committed multi returned no setData result: ${JSON.stringify(results)}`);
  return found.stat;
}
