// The zxid order as a judge: blind spots of the old checker as hand-built histories, and agreement with the search
// on random histories wherever both can judge.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { randomHistory } from "../history/random";
import type { Operation } from "../history/model";
import { checkOperations } from "./linearizability";
import { checkHistory, judgedOperations, zkRegisterModelFor } from "./zk-register";
import { refuteInWindow } from "./zk-window";
import { judgeByZxid } from "./zk-witness";

const z = (n: number): string => `0x1000000${n.toString(16).padStart(2, "0")}`;

describe("ZooKeeper's zxid order judges a znode without a search", () => {
  it("a valid history with zxids is judged by the zxid order, with no search step", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    const set = h.op({ process: 1, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(2), serverZxid: z(2) } });
    h.op({ process: 1, f: "read", path: "/k", call: 4, ret: 5, syncedBy: set, result: { value: "b", version: 1, zxid: z(2), serverZxid: z(2) } });
    const v = checkHistory(h.ops());
    expect(v.status).to.equal("linearizable");
    expect(v.judgedBy).to.deep.equal({ "zxid-order": 1, window: 0, search: 0, refused: 0 });
    expect(v.steps).to.equal(0);
  });

  it("a zxid order that real time contradicts is a violation, found in a window around it, and says why", () => {
    // Two acknowledged compare-and-sets on version 0, one acknowledged before the other began: a fork.
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 2, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(3) } });
    h.op({ process: 3, f: "cas", path: "/k", call: 4, ret: 5, value: "c", version: 0, result: { version: 1, zxid: z(2) } });
    const v = checkHistory(h.ops());
    expect(v.status).to.equal("not-linearizable");
    expect(v.perKey["/k"].judgedBy).to.equal("window");
    expect(v.perKey["/k"].zxidNote).to.include("refuted in a window");
  });

  it("a read of a value no write carried is refused at once, without a search", () => {
    const h = new HistoryBuilder();
    const c = h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 1, f: "read", path: "/k", call: 2, ret: 3, syncedBy: c, result: { value: "never-written", version: 0, zxid: z(1) } });
    const v = checkHistory(h.ops());
    expect(v.status).to.equal("not-linearizable");
    expect(v.perKey["/k"]).to.include({ judgedBy: "refused", steps: 0 });
    expect(v.failures[0].message).to.include("never-written");
  });

  it("an observed write of unknown outcome passes: the read's zxid places it", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    const lost = h.op({ process: 2, f: "cas", path: "/k", call: 2, value: "b", version: 0 });
    const mark = h.op({ process: 3, f: "create", path: "/sync", call: 3, ret: 4, value: "s", result: { serverZxid: z(3) } });
    h.op({ process: 3, f: "read", path: "/k", call: 5, ret: 6, syncedBy: mark, result: { value: "b", version: 1, zxid: z(2), serverZxid: z(3) } });
    void lost;
    const v = checkHistory(h.ops());
    expect(v.status).to.equal("linearizable");
    expect(v.perKey["/k"].judgedBy).to.equal("zxid-order");
  });

  it("a legal stale read passes (a follower behind, not ordered after a write of its session)", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 1, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(2) } });
    h.op({ process: 2, f: "read", path: "/k", call: 4, ret: 5, result: { value: "a", version: 0, zxid: z(1), serverZxid: z(1) } });
    expect(checkHistory(h.ops()).status).to.equal("linearizable");
  });

  it("a fork on an ephemeral znode is seen (it used to be dropped), and its session's end explains a later create", () => {
    const fork = new HistoryBuilder();
    fork.op({ process: 1, f: "create", path: "/e", call: 0, ret: 1, value: "a", ephemeral: true, result: { serverZxid: z(1) } });
    fork.op({ process: 1, f: "cas", path: "/e", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(2) } });
    fork.op({ process: 1, f: "cas", path: "/e", call: 4, ret: 5, value: "c", version: 0, result: { version: 1, zxid: z(3) } });
    expect(checkHistory(fork.ops()).status).to.equal("not-linearizable");

    const handover = new HistoryBuilder();
    handover.op({ process: 1, f: "create", path: "/e", call: 0, ret: 1, value: "a", ephemeral: true, result: { serverZxid: z(1) } });
    handover.op({ process: 2, f: "create", path: "/e", call: 10, ret: 11, value: "b", ephemeral: true, result: { serverZxid: z(3) } });
    expect(checkHistory(handover.ops()).status, "process 1's session ended between").to.equal("linearizable");

    // The owner's session succeeds after the other create: its ephemeral cannot have gone before.
    const alive = new HistoryBuilder();
    alive.op({ process: 1, f: "create", path: "/e", call: 0, ret: 1, value: "a", ephemeral: true, result: { serverZxid: z(1) } });
    alive.op({ process: 2, f: "create", path: "/e", call: 2, ret: 3, value: "b", ephemeral: true, result: { serverZxid: z(3) } });
    alive.op({ process: 1, f: "read", path: "/other", call: 4, ret: 5, result: { value: null, serverZxid: z(3) } });
    expect(checkHistory(alive.ops()).status).to.equal("not-linearizable");
  });

  it("a session reading back a value its own acknowledged write overwrote is refuted in a window, naming both", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 1, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(2), serverZxid: z(2) } });
    // Ordered after a write of its session that began once the overwrite was acknowledged.
    const mark = h.op({ process: 1, f: "create", path: "/sync", call: 4, ret: 5, value: "s", result: { serverZxid: z(3) } });
    h.op({ process: 1, f: "read", path: "/k", call: 6, ret: 7, syncedBy: mark, result: { value: "a", version: 0, zxid: z(1), serverZxid: z(3) } });
    const ops = h.ops();
    const [set, read] = [ops.find((o) => o.f === "cas")!.id, ops.find((o) => o.f === "read")!.id];
    const v = checkHistory(ops);
    expect(v.status).to.equal("not-linearizable");
    expect(v.perKey["/k"]).to.include({ judgedBy: "window" });
    expect(v.perKey["/k"].zxidNote).to.include(`#${set}`).and.to.include("refuted in a window");
    expect(v.failures[0].message).to.include(`#${read}`);
  });

  it("a version that goes back in zxid order, one write acknowledged before the other began, is refuted in a window", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 1, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 1, zxid: z(2) } });
    h.op({ process: 2, f: "cas", path: "/k", call: 4, ret: 5, value: "c", version: 1, result: { version: 2, zxid: z(3) } });
    h.op({ process: 3, f: "cas", path: "/k", call: 6, ret: 7, value: "d", version: 1, result: { version: 2, zxid: z(4) } });
    const ops = h.ops();
    const back = ops.find((o) => o.value === "d")!.id;
    const v = checkHistory(ops);
    expect(v.status).to.equal("not-linearizable");
    expect(v.perKey["/k"].judgedBy).to.equal("window");
    expect(v.perKey["/k"].zxidNote).to.include("refuted in a window");
    expect(v.failures[0].message).to.include(`#${back}`);
  });

  it("an acknowledged compare-and-set replying a version its expected one cannot lead to is refused at once", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    h.op({ process: 1, f: "cas", path: "/k", call: 2, ret: 3, value: "b", version: 0, result: { version: 2, zxid: z(2) } });
    const v = checkHistory(h.ops());
    expect(v.perKey["/k"]).to.include({ status: "not-linearizable", judgedBy: "refused", steps: 0 });
    expect(v.failures[0].message).to.include("not 2");
  });

  it("a contradiction in zxid order with many writes of unknown outcome around it is left to the whole search", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a", result: { serverZxid: z(1) } });
    for (let p = 10; p < 40; p++) h.op({ process: p, f: "write", path: "/k", call: 2, value: `lost${p}` });
    h.op({ process: 2, f: "cas", path: "/k", call: 3, ret: 4, value: "b", version: 0, result: { version: 1, zxid: z(3) } });
    h.op({ process: 3, f: "cas", path: "/k", call: 5, ret: 6, value: "c", version: 0, result: { version: 1, zxid: z(2) } });
    const v = checkHistory(h.ops(), { deadlineMs: 10_000 });
    expect(v.perKey["/k"].judgedBy).to.equal("search");
    expect(v.status).to.equal("not-linearizable");
  });

  it("a delete refused NOT_EMPTY with the wrong version is not accepted (ZooKeeper checks the version first)", () => {
    const h = new HistoryBuilder();
    h.op({ process: 1, f: "create", path: "/k", call: 0, ret: 1, value: "a" });
    h.op({ process: 1, f: "delete", path: "/k", call: 2, ret: 3, version: 5, outcome: "fail", result: { error: "NOT_EMPTY" } });
    expect(checkHistory(h.ops()).status).to.equal("not-linearizable");
  });

  describe("agrees with the search wherever both judge (random histories, some corrupted)", () => {
    const corrupt = (ops: Operation[], seed: number): Operation[] => {
      const i = (seed * 7919) % ops.length;
      const op = ops[i];
      const copy = [...ops];
      copy[i] = op.outcome === "ok" && op.version !== undefined ? { ...op, version: op.version + 1 } : op.f === "read" && op.outcome === "ok" ? { ...op, value: null } : { ...op, call: op.call - 50 };
      return copy;
    };
    for (let seed = 1; seed <= 120; seed++) {
      it(`seed ${seed}`, () => {
        let ops = randomHistory({ operations: 48, keys: 2, processes: 4, seed, unknownRate: 0.1 });
        if (seed % 2 === 0) ops = corrupt(ops, seed);
        const byPath = new Map<string, ReturnType<typeof judgedOperations>>();
        for (const op of judgedOperations(ops)) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
        for (const [path, keyOps] of byPath) {
          const search = checkOperations(keyOps, zkRegisterModelFor(), { deadlineMs: 5_000 });
          expect(search.status, path).to.not.equal("unknown");
          const byZxid = judgeByZxid(keyOps);
          if (byZxid.judged) expect(search.status, `${path}: the zxid order proved it`).to.equal("linearizable");
          // A window around the contradiction refutes only what the whole search refutes too.
          else if (refuteInWindow(keyOps, byZxid.involved, {}) !== null) expect(search.status, `${path}: a window refuted it`).to.equal("not-linearizable");
        }
        for (const [path, v] of Object.entries(checkHistory(ops).perKey)) {
          if (v.judgedBy !== "window" && v.judgedBy !== "refused") continue;
          const keyOps = byPath.get(path)!;
          expect(checkOperations(keyOps, zkRegisterModelFor(), { deadlineMs: 5_000 }).status, `${path}: ${v.judgedBy}`).to.equal("not-linearizable");
        }
      });
    }
  });
});
