// The multi's ops as node-zookeeper-client will serialize them (no server: a client never connected).
import { expect } from "chai";
import zookeeper from "node-zookeeper-client";
import { checkThenSet, setDataStat } from "./transaction";

const ops = (t: zookeeper.Transaction) => (t as unknown as { ops: Array<{ type: number; path: string; version: number }> }).ops;

describe("checkThenSet: a compare-and-set as ZooKeeper's multi", () => {
  const client = zookeeper.createClient("127.0.0.1:1");

  it("keeps expected version 0 (the library alone would send -1, any version)", () => {
    const alone = client.transaction().check("/c", 0).setData("/c", Buffer.from("x"), 0);
    expect(ops(alone).map((o) => o.version), "the library's quirk this works around").to.deep.equal([-1, -1]);
    const t = checkThenSet(client.transaction(), "/c", Buffer.from("x"), 0);
    expect(ops(t).map((o) => [o.type, o.path, o.version])).to.deep.equal([
      [13, "/c", 0],
      [5, "/c", 0],
    ]);
  });

  it("refuses a negative expected version: that is a blind write, not a compare-and-set", () => {
    expect(() => checkThenSet(client.transaction(), "/c", Buffer.from("x"), -1)).to.throw("must be 0 or more");
  });

  it("finds the setData's stat among the results", () => {
    const stat = { version: 4 } as unknown as zookeeper.Stat;
    expect(setDataStat([{ type: 13 }, { type: 5, stat }])).to.equal(stat);
    expect(() => setDataStat([{ type: 13 }])).to.throw("no setData result");
  });
});
