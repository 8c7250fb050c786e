// The history file: recorded as it happens, anchored in the journal, and proven against the anchors.
import { expect } from "chai";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readHistory, verifyHistory } from "./file";
import { lastAckedWrite, operations } from "./model";
import { HistoryRecorder } from "./recorder";
import { decodeValue, encodeValue, valueInName } from "./values";

function recorded() {
  const h = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), "zkdrill-history-")), "history.jsonl"), "n0nce");
  const p = h.process("workload broker 0", [1, 2, 3]);
  const a = h.invoke(p, "cas", "/p", { value: h.uniqueValue(p), version: 0, prev: "x" });
  h.complete(p, a, "ok", { version: 1, zxid: "0x100000002" });
  const first = h.anchor();
  const b = h.invoke(p, "read", "/p");
  h.complete(p, b, "info", { error: "TIMEOUT" });
  return { h, first, last: h.close() };
}

describe("history: recorded, anchored, verified", () => {
  it("pairs invokes with completions; an unanswered call is info", () => {
    const { h } = recorded();
    const ops = operations(readHistory(h.path));
    expect(ops.map((o) => [o.f, o.outcome])).to.deep.equal([["cas", "ok"], ["read", "info"]]);
    expect(ops[0].value).to.equal("n0nce.1.1");
    expect(ops[1].ret).to.equal(Infinity);
  });

  it("lastAckedWrite: the last acknowledged write up to a moment, not a read, not a timed-out write, not a later one", () => {
    const h = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), "zkdrill-history-")), "history.jsonl"), "n0nce");
    const p = h.process("workload broker 0", [1, 2, 3]);
    const cas = h.invoke(p, "cas", "/p", { value: h.uniqueValue(p), version: 0, prev: "x" });
    h.complete(p, cas, "ok", { version: 1 });
    const acked = h.events[h.events.length - 1];
    const read = h.invoke(p, "read", "/p");
    h.complete(p, read, "ok", { value: "n0nce.1.1", version: 1 });
    const write = h.invoke(p, "write", "/q", { value: h.uniqueValue(p) });
    h.complete(p, write, "info", { error: "TIMEOUT" });
    h.close();
    expect(lastAckedWrite(h.events, Infinity)).to.deep.equal({ mono: acked.mono, time: acked.time });
    expect(lastAckedWrite(h.events, acked.mono - 0.001)).to.equal(null);
  });

  it("verifies against every anchor, and fails when the file was cut, edited or extended", () => {
    const { h, first, last } = recorded();
    expect(verifyHistory(h.path, [first, last], true)).to.deep.equal([]);
    const text = readFileSync(h.path, "utf8");
    writeFileSync(h.path, text.split("\n").slice(0, 3).join("\n") + "\n");
    expect(verifyHistory(h.path, [first, last], true).join()).to.match(/it was cut/);
    writeFileSync(h.path, text.replace('"version":1', '"version":2'));
    expect(verifyHistory(h.path, [first, last], true).join()).to.match(/edited/);
    writeFileSync(h.path, text);
    appendFileSync(h.path, '{"type":"process"}\n');
    expect(verifyHistory(h.path, [first, last], true).join()).to.match(/added after the run/);
  });

  it("refuses to pair a history where one process has two calls open", () => {
    const { h } = recorded();
    const events = readHistory(h.path);
    const twice = [...events.slice(0, 2), events[1], ...events.slice(2)];
    expect(() => operations(twice)).to.throw(/still open/);
  });

  it("values: a write's data names it; data zkdrill did not write reads as foreign; set names carry values", () => {
    expect(decodeValue(encodeValue("ab.3.17", { prev: "ab.2.9", pad: "kkk" }))).to.equal("ab.3.17");
    expect(decodeValue(Buffer.from("hello"))).to.match(/^foreign:[0-9a-f]{16}$/);
    expect(valueInName("config_change_ab.3.17_0000000042", "config_change_")).to.equal("ab.3.17");
    expect(valueInName("other_0001", "config_change_")).to.equal(undefined);
  });
});
