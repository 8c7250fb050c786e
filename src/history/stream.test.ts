// Streaming the history: the operations read a chunk at a time are the ones pairing the whole file gives, with
// the same refusals; and a generated soak history is one a real run could have written (valid, judged, anchored).
import { expect } from "chai";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHistory } from "../checks/zk-register";
import { sessionOrder } from "../checks/sessions";
import { readHistory, verifyHistory } from "./file";
import { operations } from "./model";
import { writeSoakHistory } from "./soak";
import { readOperations } from "./stream";

const scratch = () => join(mkdtempSync(join(tmpdir(), "zkdrill-stream-")), "history.jsonl");

describe("history streamed from its file", () => {
  const path = scratch();
  const soak = writeSoakHistory(path, { operations: 20_000, durationMs: 30_000, expireEveryMs: 4_000, leaderKillsAtMs: [10_000, 20_000], seed: 7 });

  it("gives the operations, in invoke order, that pairing every event gives", () => {
    const events = readHistory(path);
    const r = readOperations(path);
    expect(r.ops).to.deep.equal(operations(events));
    expect(r.processes).to.deep.equal(events.filter((e) => e.type === "process"));
    expect(r.lines).to.equal(events.length);
  });

  it("a generated soak history: anchored as written, every operation judged, linearizable, no session going back", () => {
    expect(verifyHistory(path, [soak.anchor], true)).to.deep.equal([]);
    const { ops, processes } = readOperations(path);
    const sessionOf = new Map(processes.filter((p) => p.session).map((p) => [p.process, p.session!] as const));
    expect(sessionOf.size).to.be.greaterThan(20);
    expect(ops.filter((op) => op.outcome === "info").length, "replies lost in the leader kills").to.be.greaterThan(0);
    expect(ops.filter((op) => op.error === "BAD_VERSION").length, "compare-and-sets that lost a race").to.be.greaterThan(0);
    const v = checkHistory(ops, { sessionOf });
    expect(v.status, v.summary).to.equal("linearizable");
    expect(sessionOrder(ops, sessionOf).status).to.equal("passed");
  });

  it("refuses what pairing refuses: two calls open in one process, a completion of nothing, a line that is not JSON", () => {
    const lines = readFileSync(path, "utf8").split("\n");
    const firstInvoke = lines.findIndex((l) => l.includes('"invoke"') && l.includes('"f"'));
    const twice = scratch();
    writeFileSync(twice, [...lines.slice(0, firstInvoke + 1), lines[firstInvoke], ...lines.slice(firstInvoke + 1)].join("\n"));
    expect(() => readOperations(twice)).to.throw(/still open/);
    const orphan = scratch();
    writeFileSync(orphan, `${JSON.stringify({ type: "ok", process: 1, invoke: 5, time: 0, mono: 0 })}\n`);
    expect(() => readOperations(orphan)).to.throw(/not an open invoke/);
    const broken = scratch();
    writeFileSync(broken, `${lines[0]}\n{"type":\n`);
    expect(() => readOperations(broken)).to.throw(/line 2 is not JSON/);
  });

  it("leaves out a last line without its newline (a process killed mid-write), as reading the whole file does", () => {
    const cut = scratch();
    writeFileSync(cut, readFileSync(path, "utf8"));
    appendFileSync(cut, '{"type":"invoke","process":1,"f":"read","path":"/x","ti');
    expect(readOperations(cut).ops).to.deep.equal(operations(readHistory(cut)));
  });
});
