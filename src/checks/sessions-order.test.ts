// The session-order check searches sorted zxids (ZxidsByPath) where it once scanned every write of a path for
// each read: on random histories, doctored so that violations of every kind appear, it gives exactly what the
// scanning version (kept here as it was) gave: status, summary and evidence.
import { expect } from "chai";
import fc from "fast-check";
import { type Operation, zxidOf } from "../history/model";
import { randomHistory } from "../history/random";
import { CheckResult, inconclusive, some, verdict } from "./result";
import { sessionOrder } from "./sessions";

/** Mutations that make the session order fail: zxids moved, reads turned to "no node", writes turned unknown, ephemerals. */
function doctor(ops: Operation[], seed: number, count: number): Operation[] {
  let s = seed >>> 0;
  const rnd = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
  const out = [...ops];
  for (let k = 0; k < count; k++) {
    const i = rnd(out.length);
    const j = rnd(out.length);
    const op = out[i];
    switch (rnd(5)) {
      case 0: out[i] = { ...op, zxid: out[j].zxid ?? op.zxid }; break;
      case 1: out[i] = { ...op, serverZxid: out[j].serverZxid ?? op.serverZxid }; break;
      case 2: if (op.f === "read" && op.outcome === "ok") out[i] = { ...op, value: null, zxid: undefined }; break;
      case 3: out[i] = { ...op, outcome: "info", ret: Infinity }; break;
      default: out[i] = { ...op, ephemeral: true };
    }
  }
  return out;
}

describe("sessionOrder over sorted zxids", () => {
  it("gives what the scanning version gave, on random doctored histories (lanes sharing sessions or not)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (seed, keys, mutations, shared) => {
        const ops = doctor(randomHistory({ operations: 400, keys, processes: 6, seed }), seed, mutations);
        const sessionOf = new Map<number, string>(shared ? [[1, "0xa"], [2, "0xa"], [3, "0xb"], [4, "0xb"]] : []);
        expect(sessionOrder(ops, sessionOf)).to.deep.equal(scanningSessionOrder(ops, sessionOf));
      }),
      { numRuns: 150 },
    );
  });

  it("the doctored histories do fail it, in both versions (the comparison is not only of passes)", () => {
    let failed = 0;
    for (let seed = 1; seed <= 40; seed++) if (sessionOrder(doctor(randomHistory({ operations: 400, keys: 3, processes: 6, seed }), seed, 30)).status === "failed") failed++;
    expect(failed).to.be.greaterThan(10);
  });
});

// ---- the scanning version, as it was before the search over sorted zxids ----

function scanningSessionOrder(ops: readonly Operation[], sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  const name = "no session reads an older state than it has seen or written";
  const problems: string[] = [];
  const writeZxids = new Map<string, bigint[]>();
  const deleteZxids = new Map<string, bigint[]>();
  // Paths a delete nobody saw may have removed: a delete of unknown outcome, an ephemeral's end.
  const mayVanish = new Set<string>();
  for (const op of ops) {
    if ((op.f === "cas" || op.f === "write") && op.outcome === "ok" && op.zxid) writeZxids.set(op.path, [...(writeZxids.get(op.path) ?? []), zxidOf(op.zxid)]);
    if (op.f === "delete" && op.outcome === "ok" && op.serverZxid) deleteZxids.set(op.path, [...(deleteZxids.get(op.path) ?? []), zxidOf(op.serverZxid)]);
    if ((op.f === "delete" && op.outcome === "info") || (op.f === "delete" && op.outcome === "ok" && !op.serverZxid) || op.ephemeral) mayVanish.add(op.path);
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
          const deleted = (deleteZxids.get(op.path) ?? []).some((d) => d > before.zxid && d <= made.zxid);
          if (!deleted) problems.push(`session ${process}: ${op.f} ${op.path} found no node at zxid 0x${made.zxid.toString(16)} after seeing it at 0x${before.zxid.toString(16)} (${before.how}), and no delete in between`);
        }
        if (op.f === "read" && made.exists && op.serverZxid) {
          const at = zxidOf(op.serverZxid);
          const missed = (writeZxids.get(op.path) ?? []).find((w) => w > made.zxid && w <= at);
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
