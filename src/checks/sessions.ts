// ZooKeeper's order guarantee for reads: a read may be stale (a follower answers from what it has
// applied), but one session never sees the ensemble go back (single system image), and it sees its
// own writes. Checked per session from what the replies said.
import { Operation, zxidOf } from "../history/model";
import { CheckResult, inconclusive, some, verdict } from "./result";

/**
 * - replies' zxids (how far the answering server had got) never decrease in a session, across
 *   reconnects too (a server behind the session's last seen zxid must refuse it);
 * - a key's mzxid never decreases between the session's reads, nor below its own last write of it;
 * - a read answered at server zxid Z shows no older version of a key than a write to it
 *   acknowledged at a zxid at or below Z (the answering server had applied that write).
 */
export function sessionOrder(ops: readonly Operation[], sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  const name = "no session reads an older state than it has seen or written";
  const problems: string[] = [];
  const writeZxids = new Map<string, bigint[]>();
  for (const op of ops) {
    if ((op.f === "cas" || op.f === "write") && op.outcome === "ok" && op.zxid) writeZxids.set(op.path, [...(writeZxids.get(op.path) ?? []), zxidOf(op.zxid)]);
  }
  // A session's lanes share its order: requests go out and replies come back in call order.
  const byProcess = new Map<string, Operation[]>();
  for (const op of ops) {
    const session = sessionOf.get(op.process) ?? `process ${op.process}`;
    const list = byProcess.get(session);
    if (list) list.push(op);
    else byProcess.set(session, [op]);
  }
  let reads = 0;
  for (const [process, mine] of byProcess) {
    mine.sort((a, b) => a.call - b.call);
    let lastReply: { zxid: bigint; op: Operation } | undefined;
    const seen = new Map<string, { zxid: bigint; how: string }>();
    for (const op of mine) {
      if (op.outcome !== "info" && op.serverZxid) {
        const z = zxidOf(op.serverZxid);
        if (lastReply && z < lastReply.zxid) problems.push(`session ${process}: ${op.f} ${op.path} answered at zxid ${op.serverZxid} after an answer at 0x${lastReply.zxid.toString(16)} (went back)`);
        if (!lastReply || z > lastReply.zxid) lastReply = { zxid: z, op };
      }
      if (op.outcome !== "ok" || !op.zxid) continue;
      const z = zxidOf(op.zxid);
      if (op.f === "cas" || op.f === "write") {
        seen.set(op.path, { zxid: z, how: `its own write ${String(op.value)}` });
        continue;
      }
      if (op.f !== "read" || op.value === null) continue;
      reads++;
      const before = seen.get(op.path);
      if (before && z < before.zxid) problems.push(`session ${process}: read ${op.path} at mzxid ${op.zxid} after seeing 0x${before.zxid.toString(16)} (${before.how})`);
      if (!before || z > before.zxid) seen.set(op.path, { zxid: z, how: `a read of ${String(op.value)}` });
      if (op.serverZxid) {
        const at = zxidOf(op.serverZxid);
        const missed = (writeZxids.get(op.path) ?? []).find((w) => w > z && w <= at);
        if (missed !== undefined) problems.push(`session ${process}: read ${op.path} = ${String(op.value)} (mzxid ${op.zxid}) from a server at ${op.serverZxid}, which had applied the write at 0x${missed.toString(16)}`);
      }
    }
  }
  if (reads === 0) return inconclusive(name, "no read completed", { sessions: byProcess.size });
  return verdict(name, problems.length === 0, problems.length === 0 ? `${reads} read(s) in ${byProcess.size} session(s), none went back` : `${problems.length} violation(s): ${some(problems, 3)}`, {
    sessions: byProcess.size,
    reads,
    violations: problems.slice(0, 100),
  });
}
