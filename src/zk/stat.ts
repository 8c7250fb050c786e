// What a reply says beyond its result: the zxid of a Stat, and where an answer came from.
import type { Stat } from "node-zookeeper-client";
import type { Internals } from "./session";

export function zxidHex(stat: Stat): string {
  return `0x${statZxid(stat).toString(16)}`;
}

/** The zxid of a Stat (node-zookeeper-client gives 8-byte buffers). */
export function statZxid(stat: Stat, which: "mzxid" | "czxid" = "mzxid"): bigint {
  const b = stat[which] as unknown as Buffer;
  return b.readBigInt64BE(0);
}

/**
 * Where the answer came from: the reply header's zxid (node-zookeeper-client stores it just before
 * it calls back, so it is this reply's) and the member behind the socket, when the members are known.
 */
export function replyContextOf(internals: Internals, connectString: string, members: readonly number[] | undefined): { serverZxid?: string; server?: number } {
  const cm = internals.connectionManager;
  const out: { serverZxid?: string; server?: number } = {};
  if (cm?.zxid && cm.zxid.length === 8) out.serverZxid = `0x${cm.zxid.readBigInt64BE(0).toString(16)}`;
  const port = cm?.socket?.remotePort;
  if (port !== undefined && members) {
    const i = connectString.split(",").findIndex((hp) => hp.endsWith(`:${port}`));
    if (i >= 0 && members[i] !== undefined) out.server = members[i];
  }
  return out;
}
