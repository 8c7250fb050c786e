// The read-order check: a session never sees the ensemble go back, and sees its own writes.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { sessionOrder } from "./sessions";

const P = "/brokers/topics/drill/partitions/0/state";

describe("sessionOrder: no session reads an older state than it has seen or written", () => {
  it("passes for reads that only move forward, stale against other sessions or not", () => {
    const h = new HistoryBuilder();
    h.process(1);
    h.process(2);
    h.op({ process: 1, f: "cas", path: P, value: "b", version: 0, call: 0, ret: 5, result: { version: 1, zxid: "0x100000002", serverZxid: "0x100000002" } });
    // Session 2 reads the older value from a follower behind: allowed (a stale read), as long as it never goes back.
    h.op({ process: 2, f: "read", path: P, call: 6, ret: 7, result: { value: "a", version: 0, zxid: "0x100000001", serverZxid: "0x100000001" } });
    h.op({ process: 2, f: "read", path: P, call: 8, ret: 9, result: { value: "b", version: 1, zxid: "0x100000002", serverZxid: "0x100000002" } });
    expect(sessionOrder(h.ops()).status).to.equal("passed");
  });

  it("fails when a session reads an older state than one it already saw (doctored history)", () => {
    const h = new HistoryBuilder();
    h.process(2);
    h.op({ process: 2, f: "read", path: P, call: 6, ret: 7, result: { value: "b", version: 1, zxid: "0x100000002", serverZxid: "0x100000005" } });
    h.op({ process: 2, f: "read", path: P, call: 8, ret: 9, result: { value: "a", version: 0, zxid: "0x100000001", serverZxid: "0x100000001" } });
    const r = sessionOrder(h.ops());
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("went back");
  });

  it("fails when a session does not see its own write", () => {
    const h = new HistoryBuilder();
    h.process(1);
    h.op({ process: 1, f: "cas", path: P, value: "b", version: 0, call: 0, ret: 5, result: { version: 1, zxid: "0x100000002" } });
    h.op({ process: 1, f: "read", path: P, call: 6, ret: 7, result: { value: "a", version: 0, zxid: "0x100000001" } });
    expect(sessionOrder(h.ops()).summary).to.include("its own write b");
  });

  it("fails when a server that had applied a write answers with the older version", () => {
    const h = new HistoryBuilder();
    h.process(1);
    h.process(2);
    h.op({ process: 1, f: "cas", path: P, value: "b", version: 0, call: 0, ret: 5, result: { version: 1, zxid: "0x100000002" } });
    h.op({ process: 2, f: "read", path: P, call: 6, ret: 7, result: { value: "a", version: 0, zxid: "0x100000001", serverZxid: "0x100000003" } });
    expect(sessionOrder(h.ops()).summary).to.include("which had applied the write at 0x100000002");
  });

  it("orders the lanes of one session together", () => {
    const h = new HistoryBuilder();
    h.process(1, "lane a", [1], "0xsame");
    h.process(2, "lane b", [1], "0xsame");
    h.op({ process: 1, f: "read", path: P, call: 0, ret: 1, result: { value: "b", version: 1, zxid: "0x100000002", serverZxid: "0x100000002" } });
    h.op({ process: 2, f: "read", path: P, call: 2, ret: 3, result: { value: "a", version: 0, zxid: "0x100000001", serverZxid: "0x100000001" } });
    expect(sessionOrder(h.ops()).status, "two processes, no session map").to.equal("passed");
    expect(sessionOrder(h.ops(), new Map([[1, "0xsame"], [2, "0xsame"]])).status, "one session").to.equal("failed");
  });

  it("is inconclusive when no read completed", () => {
    const h = new HistoryBuilder();
    h.process(1);
    h.op({ process: 1, f: "cas", path: P, value: "b", version: 0, call: 0, ret: 5, result: { version: 1, zxid: "0x100000002" } });
    expect(sessionOrder(h.ops()).status).to.equal("inconclusive");
  });

  describe("creates, deletes, existence and reads that find nothing are in the order too", () => {
    const z = (n: number): string => `0x1000000${n}`;
    it("fails when a session does not see its own create (a read finds no node after it)", () => {
      const h = new HistoryBuilder();
      h.op({ process: 1, f: "create", path: "/c", value: "a", call: 0, ret: 1, result: { serverZxid: z(2) } });
      h.op({ process: 1, f: "read", path: "/c", call: 2, ret: 3, result: { value: null, serverZxid: z(3) } });
      const r = sessionOrder(h.ops());
      expect(r.status).to.equal("failed");
      expect(r.summary).to.include("its own create a").and.include("no delete in between");
    });

    it("fails when a session finds a znode gone that nobody deleted; passes when a delete explains it", () => {
      const gone = (withDelete: boolean) => {
        const h = new HistoryBuilder();
        h.op({ process: 1, f: "create", path: "/c", value: "a", call: 0, ret: 1, result: { serverZxid: z(2) } });
        h.op({ process: 2, f: "exists", path: "/c", call: 2, ret: 3, result: { value: "present", version: 0, zxid: z(2), serverZxid: z(2) } });
        if (withDelete) h.op({ process: 1, f: "delete", path: "/c", version: -1, call: 4, ret: 5, result: { serverZxid: z(4) } });
        h.op({ process: 2, f: "read", path: "/c", call: 6, ret: 7, result: { value: null, serverZxid: z(5) } });
        return sessionOrder(h.ops()).status;
      };
      expect(gone(false)).to.equal("failed");
      expect(gone(true)).to.equal("passed");
    });

    it("fails when a session reads a value back after its own delete", () => {
      const h = new HistoryBuilder();
      h.op({ process: 1, f: "delete", path: "/c", version: -1, call: 0, ret: 1, result: { serverZxid: z(5) } });
      h.op({ process: 1, f: "read", path: "/c", call: 2, ret: 3, result: { value: "a", version: 0, zxid: z(2), serverZxid: z(6) } });
      const r = sessionOrder(h.ops());
      expect(r.status).to.equal("failed");
      expect(r.summary).to.include("its own delete");
    });

    it("an ephemeral znode may vanish with its session: not a lost write", () => {
      const h = new HistoryBuilder();
      h.op({ process: 1, f: "create", path: "/e", value: "a", ephemeral: true, call: 0, ret: 1, result: { serverZxid: z(2) } });
      h.op({ process: 2, f: "exists", path: "/e", call: 2, ret: 3, result: { value: "present", version: 0, zxid: z(2), serverZxid: z(2) } });
      h.op({ process: 2, f: "read", path: "/e", call: 6, ret: 7, result: { value: null, serverZxid: z(5) } });
      expect(sessionOrder(h.ops()).status).to.equal("passed");
    });
  });
});
