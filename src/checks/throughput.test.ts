import { expect } from "chai";
import { throughputFloor, throughputHolds } from "./throughput";

const at = (t: number, ok: number) => ({ at: t, ok });

describe("throughputHolds: a phase's ops/s against the baseline's", () => {
  const baseline = { name: "baseline", start: 0, end: 2000 };
  const phase = { name: "after", start: 2000, end: 4000 };
  it("passes at or above the ratio, fails below", () => {
    const s = [at(0, 100), at(1000, 100), at(2000, 40), at(3000, 60)];
    expect(throughputHolds(s, { baseline, phase, minRatio: 0.5 }).status).to.equal("passed");
    expect(throughputHolds(s, { baseline, phase, minRatio: 0.6 }).status).to.equal("failed");
  });
  it("is inconclusive without samples in a phase, or with a baseline that acknowledged nothing", () => {
    expect(throughputHolds([at(0, 100)], { baseline, phase, minRatio: 0.5 }).status).to.equal("inconclusive");
    expect(throughputHolds([at(0, 0), at(2000, 10)], { baseline, phase, minRatio: 0.5 }).status).to.equal("inconclusive");
  });
});

describe("throughputFloor: the drill's ops/s objective, the weakest phase decides", () => {
  const samples = [
    { at: 1_000, ok: 100 },
    { at: 2_000, ok: 120 },
    { at: 3_000, ok: 30 },
    { at: 4_000, ok: 50 },
  ];
  const phases = [
    { name: "baseline", start: 0, end: 2_500 },
    { name: "leader killed", start: 2_500, end: 5_000 },
  ];

  it("passes when every phase reaches the floor, naming the lowest", () => {
    const r = throughputFloor(samples, phases, 40);
    expect([r.status, r.summary]).to.deep.equal(["passed", 'lowest "leader killed": 40 ops/s over 2 phase(s)']);
  });

  it("fails naming the phase below the floor", () => {
    const r = throughputFloor(samples, phases, 50);
    expect([r.status, r.summary]).to.deep.equal(["failed", 'below the floor: "leader killed" 40 ops/s']);
  });

  it("with no phase marked, judges the whole run; with no sample, or none in any phase, is inconclusive", () => {
    expect(throughputFloor(samples, [], 75).status).to.equal("passed");
    expect(throughputFloor(samples, [], 76).status).to.equal("failed");
    expect(throughputFloor([], phases, 1).status).to.equal("inconclusive");
    expect(throughputFloor(samples, [{ name: "later", start: 10_000, end: 20_000 }], 1).status).to.equal("inconclusive");
  });
});
