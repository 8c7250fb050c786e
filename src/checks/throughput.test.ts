import { expect } from "chai";
import { throughputHolds } from "./throughput";

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
