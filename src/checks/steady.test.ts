import { expect } from "chai";
import { p99Below, writesAcknowledged } from "./steady";

describe("steady state checks", () => {
  it("writesAcknowledged: enough writes pass, too few fail, none asked is inconclusive", () => {
    expect(writesAcknowledged({ moment: "before", wanted: 20, acknowledged: 25, withinMs: 30_000 }).status).to.equal("passed");
    expect(writesAcknowledged({ moment: "before", wanted: 20, acknowledged: 3, withinMs: 30_000 }).status).to.equal("failed");
    expect(writesAcknowledged({ moment: "before", wanted: 0, acknowledged: 0, withinMs: 30_000 }).status).to.equal("inconclusive");
  });
  it("p99Below: the worst second in the window decides; no sample is inconclusive", () => {
    const s = [{ at: 0, ok: 10, p99Ms: 5 }, { at: 1000, ok: 10, p99Ms: 80 }, { at: 5000, ok: 10, p99Ms: 500 }];
    expect(p99Below(s, { moment: "after", boundMs: 100, from: 0, to: 2000 }).status).to.equal("passed");
    expect(p99Below(s, { moment: "after", boundMs: 50, from: 0, to: 2000 }).status).to.equal("failed");
    const slow = p99Below(s, { moment: 'in phase "slow disk"', phase: "slow disk", boundMs: 400, from: 4000, to: 6000 });
    expect(slow.status, "a phase's worst second over the bound fails").to.equal("failed");
    expect(slow.name).to.equal(`clients' p99 latency in phase "slow disk" under 400 ms`);
    expect(p99Below(s, { moment: "after", boundMs: 50, from: 9000, to: 10000 }).status).to.equal("inconclusive");
  });
});
