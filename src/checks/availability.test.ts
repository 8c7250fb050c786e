// RTO per fault as the clients' outage: from the last acknowledged write before it to the first
// acknowledged write invoked after the fault took effect; the engine's injection shown apart.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { judgedRecoveries, longestWriteGap, recoveries, rtoWithin, workloadWrites } from "./availability";

/** Wall clock = 1_000_000 + monotonic, as the builder's returnedAt. */
function writes(spans: Array<[number, number, ("ok" | "info")?]>) {
  const h = new HistoryBuilder();
  // One lane per write: they overlap, as a pipelining broker's do.
  spans.forEach(([call, ret, outcome], i) => {
    h.process(i + 1, `workload broker 0 lane ${i}`);
    h.op({ process: i + 1, f: "write", path: "/p", value: `v${i}`, call, ret: outcome === "info" ? undefined : ret, outcome: outcome ?? "ok", result: { version: i + 1 } });
  });
  return workloadWrites(h.ops(), new Set(spans.map((_, i) => i + 1)));
}

/** Acknowledgements every 10 ms from `from` to `to` (a steady load). */
const steady = (from: number, to: number): Array<[number, number]> => Array.from({ length: Math.floor((to - from) / 10) }, (_, i) => [from + i * 10, from + i * 10 + 5]);

describe("availability: the clients' outage per fault", () => {
  const fault = { label: "kill 3", kind: "kill", mono: 100, at: 1_000_100, endMono: 150 };

  it("measures from the last acknowledgement before the outage to the first write invoked after the fault took effect and acknowledged", () => {
    // A write invoked before the kill landed (120) ends the service seen before the outage (acked 130); the
    // first write invoked after it took effect (150) and acknowledged answers at 900: 770 ms without service.
    const [r] = recoveries(writes([[0, 50], [55, 60], [120, 130], [200, 900], [300, 950]]), [fault]);
    expect(r.rtoMs).to.equal(770);
    expect(r.outage).to.deep.equal({ from: 1_000_130, to: 1_000_900 });
    expect(r.parts?.injectionMs).to.equal(50);
  });

  it("the hole is before the burst of queued writes a reconnecting client gets acknowledged, however they were invoked", () => {
    // A write invoked while the kill was on its way (140) is queued by its client and acknowledged at 880,
    // just before the first write invoked after the fault (900): the clients had nothing from 60 to 880.
    const [r] = recoveries(writes([[0, 50], [55, 60], [140, 880], [200, 900]]), [fault]);
    expect(r.rtoMs).to.equal(820);
    expect(r.outage).to.deep.equal({ from: 1_000_060, to: 1_000_880 });
  });

  it("a fault that interrupts nothing shows the ordinary gap, however long the engine took to inject it", () => {
    // The engine took 1.5 s to inject (100 -> 1600); acknowledgements never stopped.
    const slow = { ...fault, endMono: 1_600 };
    const [r] = recoveries(writes(steady(0, 3_000)), [slow]);
    expect(r.rtoMs).to.be.at.most(10);
    expect(r.parts?.injectionMs).to.equal(1_500);
    // The old reading (fault start to first ack after the effect) would have said 1.5 s.
    expect(recoveries(writes(steady(0, 3_000)), [slow], { method: "fault-to-ack" })[0].rtoMs).to.be.at.least(1_500);
  });

  it("has no figure when no write succeeded after the fault, and says whether the workload ran", () => {
    expect(recoveries(writes([[0, 50], [200, 0, "info"]]), [fault])[0].unmeasured).to.equal("no write acknowledged after it while the workload ran");
    expect(recoveries(writes([[0, 50]]), [{ ...fault, mono: 5_000, endMono: 5_001 }])[0].unmeasured).to.equal("no workload ran at this fault");
  });

  it("the objective fails on an outage over the bound, and on a fault with no figure; it is inconclusive without faults", () => {
    const ok = recoveries(writes([[0, 50], [200, 900]]), [fault]);
    expect(rtoWithin(ok, { maxMs: 1_000 }).status).to.equal("passed");
    expect(rtoWithin(ok, { maxMs: 500 }).status).to.equal("failed");
    const none = recoveries(writes([[0, 50], [200, 0, "info"]]), [fault]);
    expect(rtoWithin(none, { maxMs: 60_000 }).status).to.equal("failed");
    expect(rtoWithin([], { maxMs: 1_000 }).status).to.equal("inconclusive");
  });

  it("an outage that began at an earlier fault is that fault's: later steps inside it are not judged twice", () => {
    const stop = { label: "stop 2", kind: "stop", mono: 100, at: 1_000_100, endMono: 120 };
    const restart = { label: "restart 3", kind: "restart", mono: 2_000, at: 1_002_000, endMono: 2_500 };
    const rs = recoveries(writes([[0, 90], [3_000, 3_100]]), [stop, restart]);
    expect(rs[0].rtoMs).to.equal(3_010);
    expect(rs[0].within).to.equal(undefined);
    expect(rs[1].within).to.equal("stop 2");
    expect(judgedRecoveries(rs).map((r) => r.label)).to.deep.equal(["stop 2"]);
  });

  it("a declared outage (a quorum lost on purpose) is never held to the RTO objective, nor what follows it unrecovered", () => {
    const lost = { label: "stop 3", kind: "stop", mono: 100, at: 1_000_100, endMono: 120, expectOutage: "three of five gone" };
    const after = { label: "stop 4", kind: "stop", mono: 500, at: 1_000_500, endMono: 520 };
    const rs = recoveries(writes([[0, 90], [200, 0, "info"], [600, 0, "info"]]), [lost, after]);
    const r = rtoWithin(rs, { maxMs: 1_000 });
    expect(r.status).to.equal("inconclusive");
    expect(r.summary).to.include("stop 3 (three of five gone)");
    // Beside a judged fault, the declared one is named and not judged.
    const kill = { label: "kill 1", kind: "kill", mono: 0, at: 1_000_000, endMono: 1 };
    const withKill = recoveries(writes([[0, 5], [10, 50], [60, 90], [200, 0, "info"]]), [kill, lost]);
    expect(rtoWithin(withKill, { maxMs: 1_000 }).status).to.equal("passed");
  });

  it("splits the outage into the parts ZooKeeper logged: detection, election, sync, reconnection", () => {
    // Last ack at 90 (wall 1_000_090); the new leader 2 starts electing at 300, elected at 500, serving at 600; first ack 900.
    const [r] = recoveries(writes([[0, 90], [200, 900]]), [fault], { elections: [{ member: 2, at: 1_000_500, tookMs: 200 }], serving: [{ member: 2, at: 1_000_600 }] });
    expect(r.rtoMs).to.equal(810);
    expect(r.parts).to.deep.equal({ injectionMs: 50, detectionMs: 210, electionMs: 200, syncMs: 100, reconnectionMs: 300, leader: 2 });
    // No leader served inside the outage: only the engine's part is known.
    const [quiet] = recoveries(writes([[0, 90], [200, 900]]), [fault]);
    expect(quiet.parts).to.deep.equal({ injectionMs: 50, detectionMs: null, electionMs: null, syncMs: null, reconnectionMs: null, leader: null });
  });

  it("puts ZooKeeper's own elections beside the fault they followed", () => {
    const [r] = recoveries(writes([[0, 90], [200, 900]]), [fault], { elections: [{ member: 1, at: 1_000_400, tookMs: 212 }, { member: 2, at: 999_000, tookMs: 5 }] });
    expect(r.elections).to.deep.equal([{ member: 1, at: 1_000_400, tookMs: 212 }]);
  });

  it("finds the longest window without an acknowledged write", () => {
    expect(longestWriteGap(writes([[0, 10], [11, 20], [21, 700]])).gapMs).to.equal(680);
  });
});
