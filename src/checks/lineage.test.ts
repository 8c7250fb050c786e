import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { forksOf, lineageOf, splitByLineage, twoEnsemblesAtOnce } from "./lineage";

describe("lineages and forks", () => {
  const b = { name: "promotion", start: 100, end: 200, disasterAt: 90, disasterAtWall: 0 };
  it("puts an operation before, inside or after a declared break", () => {
    expect(lineageOf({ call: 50 }, [b])).to.equal(0);
    expect(lineageOf({ call: 150 }, [b])).to.equal("window");
    expect(lineageOf({ call: 250 }, [b])).to.equal(1);
    const { lineages, window } = splitByLineage([{ call: 1 }, { call: 150 }, { call: 300 }], [b]);
    expect([lineages.map((l) => l.length), window.length]).to.deep.equal([[1, 1], 1]);
  });
  it("finds two acknowledged compare-and-sets built on one state (split brain), not one that failed", () => {
    const h = new HistoryBuilder();
    h.process(1);
    h.process(2);
    h.op({ process: 1, f: "cas", path: "/p", value: "x", prev: "a", version: 0, call: 0, ret: 5, result: { version: 1 } });
    h.op({ process: 2, f: "cas", path: "/p", value: "y", prev: "a", version: 0, call: 1, ret: 6, outcome: "fail", result: { error: "BAD_VERSION" } });
    expect(forksOf(h.ops())).to.deep.equal([]);
    h.op({ process: 2, f: "cas", path: "/p", value: "z", prev: "a", version: 0, call: 7, ret: 8, result: { version: 1 } });
    expect(forksOf(h.ops()).map((f) => f.writes.map((w) => w.value))).to.deep.equal([["x", "z"]]);
  });
});

describe("twoEnsemblesAtOnce: both ensembles acknowledging during a cut-over, told apart by epoch", () => {
  const b = { name: "cut over", start: 100, end: 300, disasterAt: 100, disasterAtWall: 0 };
  const write = (h: HistoryBuilder, value: string, call: number, epoch: number) =>
    h.op({ process: 1, f: "write", path: "/p", value, call, ret: call + 5, result: { version: 1, serverZxid: `0x${epoch.toString(16)}00000001` } });

  it("measures how long the old epoch acknowledged after the new one's first write, and which writes", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    write(h, "old1", 0, 1);
    write(h, "new1", 150, 2);
    write(h, "old2", 180, 1);
    write(h, "old3", 200, 1);
    write(h, "new2", 400, 2);
    const [t] = twoEnsemblesAtOnce(h.ops(), [b]);
    expect(t).to.include({ oldEpoch: 1, newEpoch: 2, overlapMs: 50 });
    expect(t.oldAcksAfter).to.deep.equal(["old2", "old3"]);
  });

  it("says none when the old ensemble stopped acknowledging first, and is silent without two epochs", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    write(h, "old1", 0, 1);
    write(h, "new1", 150, 2);
    write(h, "new2", 400, 2);
    expect(twoEnsemblesAtOnce(h.ops(), [b])[0]).to.include({ overlapMs: 0 });
    const same = new HistoryBuilder();
    same.process(1, "workload");
    write(same, "a", 0, 1);
    write(same, "b", 400, 1);
    expect(twoEnsemblesAtOnce(same.ops(), [b])).to.deep.equal([]);
  });
});
