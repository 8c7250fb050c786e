import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { forksOf, lineageOf, splitByLineage } from "./lineage";

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
