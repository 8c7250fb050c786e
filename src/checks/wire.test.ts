// Network faults proven on the wire: the declared round trip measured, a cut probed across.
import { expect } from "chai";
import { cutHolds, roundTripHolds } from "./wire";

const pair = { zones: ["a", "b"] as [string, string], declaredMs: 30, jitterMs: 0, path: "member 1 -> member 4" };

describe("roundTripHolds: the declared latency is on the wire", () => {
  it("passes when the fastest round trip sits at the declared one (a busy host only adds to the others)", () => {
    expect(roundTripHolds({ ...pair, samplesMs: [30.4, 31.2, 45, 30.9] }).status).to.equal("passed");
  });
  it("takes off what the tool and ZooKeeper add without the link (the fastest round trip to the member itself)", () => {
    const twoMs = { ...pair, declaredMs: 2 };
    // 7.5 ms across a 2 ms link is 5.5 ms of ZooKeeper answering ruok: the link adds 2.
    expect(roundTripHolds({ ...twoMs, samplesMs: [7.5, 9, 18], baselineMs: [5.5, 6, 12] }).summary).to.match(/the link adds 2\.0 ms/);
    expect(roundTripHolds({ ...twoMs, samplesMs: [5.6, 6, 18], baselineMs: [5.5, 6, 12] }).status).to.equal("failed");
  });
  it("fails when the link is faster than declared: the latency is not on this path", () => {
    const r = roundTripHolds({ ...pair, samplesMs: [0.4, 0.5, 0.6] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/less than declared, the latency is not on this path/);
  });
  it("fails when even the fastest is far slower than declared (the latency twice over)", () => {
    expect(roundTripHolds({ ...pair, samplesMs: [61, 62, 64] }).summary).to.match(/more than the declared latency allows/);
  });
  it("is inconclusive with no sample", () => {
    expect(roundTripHolds({ ...pair, samplesMs: [] }).status).to.equal("inconclusive");
  });
});

describe("cutHolds: a cut is proven by a connection that does not get through", () => {
  const probe = (outcome: "answered" | "refused" | "timeout") => ({ from: "member 1", to: 4, outcome, ms: outcome === "timeout" ? 2_000 : 3 });
  it("passes when every probe across it was refused or timed out", () => {
    expect(cutHolds({ cut: "a1 / b1 (blackhole)", probes: [probe("timeout"), probe("refused")] }).status).to.equal("passed");
  });
  it("fails when a probe was answered across the cut", () => {
    const r = cutHolds({ cut: "a1 / b1 (reset)", probes: [probe("refused"), probe("answered")] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^answered across the cut: member 1 -> member 4: answered/);
  });
  it("is inconclusive when no probe could be made, saying why", () => {
    expect(cutHolds({ cut: "x", probes: [], unprobed: "no member runs on either side of the cut" }).summary).to.equal("inconclusive: no member runs on either side of the cut");
  });
});
