// RTO per fault: from the fault to the first write invoked after it took effect and acknowledged.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { longestWriteGap, recoveries, rtoWithin, workloadWrites } from "./availability";

function writes(spans: Array<[number, number, ("ok" | "info")?]>) {
  const h = new HistoryBuilder();
  // One lane per write: they overlap, as a pipelining broker's do.
  spans.forEach(([call, ret, outcome], i) => {
    h.process(i + 1, `workload broker 0 lane ${i}`);
    h.op({ process: i + 1, f: "write", path: "/p", value: `v${i}`, call, ret: outcome === "info" ? undefined : ret, outcome: outcome ?? "ok", result: { version: i + 1 } });
  });
  return workloadWrites(h.ops(), new Set(spans.map((_, i) => i + 1)));
}

describe("availability: recovery per fault", () => {
  const fault = { label: "kill 3", kind: "kill", mono: 100, at: 1_000_100, endMono: 150 };

  it("measures from the fault's start to the first write invoked after it took effect and acknowledged", () => {
    // A write invoked before the kill landed (120) proves nothing; the one invoked at 200 answers at 900.
    const [r] = recoveries(writes([[0, 50], [120, 130], [200, 900], [300, 400]]), [fault]);
    expect(r.rtoMs).to.equal(300);
  });

  it("has no figure when no write succeeded after the fault, and says whether the workload ran", () => {
    expect(recoveries(writes([[0, 50], [200, 0, "info"]]), [fault])[0].unmeasured).to.equal("no write acknowledged after it while the workload ran");
    expect(recoveries(writes([[0, 50]]), [{ ...fault, mono: 5_000, endMono: 5_001 }])[0].unmeasured).to.equal("no workload ran at this fault");
  });

  it("the objective fails on a fault over the bound, and on a fault with no figure; it is inconclusive without faults", () => {
    const ok = recoveries(writes([[200, 900]]), [fault]);
    expect(rtoWithin(ok, { maxMs: 1_000 }).status).to.equal("passed");
    expect(rtoWithin(ok, { maxMs: 500 }).status).to.equal("failed");
    const none = recoveries(writes([[0, 50], [200, 0, "info"]]), [fault]);
    expect(rtoWithin(none, { maxMs: 60_000 }).status).to.equal("failed");
    expect(rtoWithin([], { maxMs: 1_000 }).status).to.equal("inconclusive");
  });

  it("puts ZooKeeper's own elections beside the fault they followed", () => {
    const [r] = recoveries(writes([[200, 900]]), [fault], [{ member: 1, at: 1_000_400, tookMs: 212 }, { member: 2, at: 999_000, tookMs: 5 }]);
    expect(r.elections).to.deep.equal([{ member: 1, at: 1_000_400, tookMs: 212 }]);
  });

  it("finds the longest window without an acknowledged write", () => {
    expect(longestWriteGap(writes([[0, 10], [11, 20], [21, 700]])).gapMs).to.equal(680);
  });
});
