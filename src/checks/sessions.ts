// ZooKeeper's order guarantee for reads: a read may be stale (a follower answers from what it has
// applied), but one session never sees the ensemble go back (single system image), and it sees its
// own writes. Checked per session from what the replies said.
import { Operation, zxidOf } from "../history/model";
import { CheckResult, inconclusive, some, verdict } from "./result";

/**
 * - replies' zxids (how far the answering server had got) never decrease in a session, across
 *   reconnects too (a server behind the session's last seen zxid must refuse it);
 * - what a session sees of a znode never goes back from what it has seen or made: its own creates,
 *   setData and deletes (ordered by the reply's zxid where the call returns no stat), its reads,
 *   existence checks and reads that find nothing. A state shown older than one seen is a step back;
 *   a znode found gone after the session saw it, with no delete at a zxid between, is a write lost
 *   (unless a delete of unknown outcome or an ephemeral's end may explain it);
 * - a read answered at server zxid Z shows no older version of a key than a write to it
 *   acknowledged at a zxid at or below Z (the answering server had applied that write).
 */
export function sessionOrder(ops: readonly Operation[], sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  const name = "no session reads an older state than it has seen or written";
  const problems: string[] = [];
  const writeZxids = new ZxidsByPath();
  const deleteZxids = new ZxidsByPath();
  // Paths a delete nobody saw may have removed: a delete of unknown outcome, an ephemeral's end.
  const mayVanish = new Set<string>();
  for (const op of ops) {
    if ((op.f === "cas" || op.f === "write") && op.outcome === "ok" && op.zxid) writeZxids.add(op.path, zxidOf(op.zxid));
    if (op.f === "delete" && op.outcome === "ok" && op.serverZxid) deleteZxids.add(op.path, zxidOf(op.serverZxid));
    if ((op.f === "delete" && op.outcome === "info") || (op.f === "delete" && op.outcome === "ok" && !op.serverZxid) || op.ephemeral) mayVanish.add(op.path);
  }
  writeZxids.sort();
  deleteZxids.sort();
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
    const seen = new Map<string, { zxid: bigint; exists: boolean; how: string }>();
    for (const op of mine) {
      if (op.outcome !== "info" && op.serverZxid) {
        const z = zxidOf(op.serverZxid);
        if (lastReply && z < lastReply.zxid) problems.push(`session ${process}: ${op.f} ${op.path} answered at zxid ${op.serverZxid} after an answer at 0x${lastReply.zxid.toString(16)} (went back)`);
        if (!lastReply || z > lastReply.zxid) lastReply = { zxid: z, op };
      }
      if (op.outcome !== "ok" || op.sequential) continue;
      const made = madeOrSeen(op);
      if (made === null) continue;
      const before = seen.get(op.path);
      const isRead = op.f === "read" || op.f === "exists";
      if (isRead) {
        reads++;
        if (before && made.exists && made.zxid < before.zxid) {
          problems.push(`session ${process}: ${op.f} ${op.path} at mzxid 0x${made.zxid.toString(16)} after seeing 0x${before.zxid.toString(16)} (${before.how})`);
        }
        if (before && before.exists && !made.exists && made.zxid >= before.zxid && !mayVanish.has(op.path)) {
          const deleted = deleteZxids.anyIn(op.path, before.zxid, made.zxid);
          if (!deleted) problems.push(`session ${process}: ${op.f} ${op.path} found no node at zxid 0x${made.zxid.toString(16)} after seeing it at 0x${before.zxid.toString(16)} (${before.how}), and no delete in between`);
        }
        if (op.f === "read" && made.exists && op.serverZxid) {
          const at = zxidOf(op.serverZxid);
          // Named as the first in history order (the scan runs only for a violation).
          const missed = writeZxids.anyIn(op.path, made.zxid, at) ? writeZxids.inOrder(op.path).find((w) => w > made.zxid && w <= at) : undefined;
          if (missed !== undefined) problems.push(`session ${process}: read ${op.path} = ${String(op.value)} (mzxid ${op.zxid}) from a server at ${op.serverZxid}, which had applied the write at 0x${missed.toString(16)}`);
        }
      }
      if (!before || made.zxid > before.zxid) seen.set(op.path, made);
    }
  }
  if (reads === 0) return inconclusive(name, "no read completed", { sessions: byProcess.size });
  return verdict(name, problems.length === 0, problems.length === 0 ? `${reads} read(s) in ${byProcess.size} session(s), none went back` : `${problems.length} violation(s): ${some(problems, 3)}`, {
    sessions: byProcess.size,
    reads,
    violations: problems.slice(0, 100),
  });
}

/**
 * The state an acknowledged operation shows or leaves, at its zxid: a write's own (from its stat, or the reply
 * header's when the call returns none), a read's mzxid, or for "no node" the reply's zxid. Null: none recorded.
 */
function madeOrSeen(op: Operation): { zxid: bigint; exists: boolean; how: string } | null {
  const at = (hex: string | undefined, exists: boolean, how: string) => (hex ? { zxid: zxidOf(hex), exists, how } : null);
  switch (op.f) {
    case "create":
      return at(op.serverZxid, true, `its own create ${String(op.value)}`);
    case "cas":
    case "write":
      return at(op.zxid ?? op.serverZxid, true, `its own write ${String(op.value)}`);
    case "delete":
      return at(op.serverZxid, false, "its own delete");
    case "read":
    case "exists":
      return op.value === null ? at(op.serverZxid, false, `${op.f === "read" ? "a read" : "an exists"} finding no node`) : at(op.zxid, true, op.f === "read" ? `a read of ${String(op.value)}` : "an exists finding it");
    default:
      return null;
  }
}

/**
 * Zxids of one kind of acknowledged write per path, sorted once: "is there one in (after, upTo]" is a binary
 * search, not a scan (a soak's hot znode has tens of thousands of writes, and every read asks).
 */
class ZxidsByPath {
  private readonly byPath = new Map<string, bigint[]>();
  private readonly sorted = new Map<string, bigint[]>();

  add(path: string, zxid: bigint): void {
    const list = this.byPath.get(path);
    if (list) list.push(zxid);
    else this.byPath.set(path, [zxid]);
  }

  sort(): void {
    for (const [path, list] of this.byPath) this.sorted.set(path, [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The zxids of `path` in history order. */
  inOrder(path: string): readonly bigint[] {
    return this.byPath.get(path) ?? [];
  }

  /** Whether a zxid of `path` lies in (after, upTo]. */
  anyIn(path: string, after: bigint, upTo: bigint): boolean {
    const list = this.sorted.get(path);
    if (!list) return false;
    // The first zxid above `after`.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo] <= upTo;
  }
}
