// Each check passes on the evidence it should and fails, naming why, on the evidence it must.
import { expect } from "chai";
import type { ServerStatus } from "../zk/fourLetter";
import type { Sample } from "../workload/kafka";
import * as c from "./checks";

const serving = (mode: "leader" | "follower" | "observer", epoch = 1): ServerStatus => ({ serving: true, mode, zxid: BigInt(epoch) << 32n, epoch, nodeCount: 5, raw: `Mode: ${mode}` });
const down: ServerStatus = { serving: false, raw: "This ZooKeeper instance is not currently serving requests" };
const sample = (at: number, ok: number): Sample => ({ at, ok, writesOk: ok, errors: {}, p50Ms: 1, p95Ms: 1, p99Ms: 1, maxMs: 1, meanMs: 1, backlog: 0 });

describe("checks", () => {
  it("oneLeader: one leader within the allowed set passes; two leaders, a leader outside it, or an observer leading fail", () => {
    expect(c.oneLeader(new Map([[1, serving("leader")], [2, serving("follower")]]), { allowed: [1, 2] }).status).to.equal("passed");
    expect(c.oneLeader(new Map([[1, serving("leader")], [2, serving("leader")]])).summary).to.match(/1.*2|2.*1/);
    expect(c.oneLeader(new Map([[1, serving("leader")], [2, serving("follower")]]), { allowed: [2, 3] }).status).to.equal("failed");
    expect(c.oneLeader(new Map([[4, serving("leader")]]), { observers: [4] }).status).to.equal("failed");
    expect(c.oneLeader(new Map([[1, down]])).status).to.equal("failed");
  });

  it("noTwoLeadersPerEpoch: fails when two members led in one epoch, naming them", () => {
    expect(c.noTwoLeadersPerEpoch([{ at: 1, member: 1, epoch: 1 }, { at: 2, member: 2, epoch: 2 }]).status).to.equal("passed");
    const split = c.noTwoLeadersPerEpoch([{ at: 1, member: 1, epoch: 3 }, { at: 2, member: 2, epoch: 3 }]);
    expect(split.status).to.equal("failed");
    expect(split.evidence).to.deep.equal({ epochs: { 3: [1, 2] } });
  });

  it("epochRose: only a higher epoch passes", () => {
    expect(c.epochRose(1, 2).status).to.equal("passed");
    expect(c.epochRose(2, 2).status).to.equal("failed");
  });

  it("quorumLost: every member not serving and a failed write pass; one serving member or a write that succeeded fail", () => {
    const lost = new Map([[1, down.raw], [2, down.raw]]);
    expect(c.quorumLost(lost, "CONNECTION_LOSS").status).to.equal("passed");
    expect(c.quorumLost(new Map([[1, down.raw], [2, "Mode: follower"]]), "x").status).to.equal("failed");
    expect(c.quorumLost(lost, "").status).to.equal("failed");
    expect(c.quorumLost(new Map(), "x").status).to.equal("failed");
  });

  it("writesSurvive: reports missing, stale and diverged znodes separately, each by path and member", () => {
    const manifest = new Map([
      ["/a", { path: "/a", version: 3, digest: "d3", mzxid: "0x1", ackedAt: 0 }],
      ["/b", { path: "/b", version: 1, digest: "d1", mzxid: "0x2", ackedAt: 0 }],
      ["/c", { path: "/c", version: 2, digest: "d2", mzxid: "0x3", ackedAt: 0 }],
    ]);
    const good = { member: 1, reads: new Map([["/a", { version: 4, digest: "x" }], ["/b", { version: 1, digest: "d1" }], ["/c", { version: 2, digest: "d2" }]]) };
    expect(c.writesSurvive(manifest, [good]).status).to.equal("passed");
    const bad = { member: 2, reads: new Map([["/a", undefined], ["/b", { version: 0, digest: "d0" }], ["/c", { version: 2, digest: "other" }]]) };
    const r = c.writesSurvive(manifest, [good, bad]);
    expect(r.status).to.equal("failed");
    expect(r.evidence).to.deep.include({ missing: ["/a@2"], stale: ["/b@2 (v0 < acked v1)"], diverged: ["/c@2"] });
    expect(c.writesSurvive(manifest, []).status, "no member read: nothing proven").to.equal("failed");
    expect(c.writesSurvive(manifest, [good], Date.UTC(2026, 0, 2)).name).to.equal("every write acknowledged before 2026-01-02T00:00:00.000Z survives on every live member");
  });

  it("znodesPresent: names the missing znode and the member", () => {
    const want = new Map([["/zk-permanent", "v"]]);
    expect(c.znodesPresent(want, [{ member: 3, data: new Map([["/zk-permanent", "v"]]) }]).status).to.equal("passed");
    const r = c.znodesPresent(want, [{ member: 3, data: new Map([["/zk-permanent", undefined]]) }]);
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("/zk-permanent missing on 3");
  });

  it("converged: one zxid passes, two fail", () => {
    expect(c.converged(new Map([[1, "0x5"], [2, "0x5"]])).status).to.equal("passed");
    expect(c.converged(new Map([[1, "0x5"], [2, "0x4"]])).status).to.equal("failed");
  });

  it("throughputHolds: a phase's ops/s against the baseline's, with the threshold", () => {
    const samples = [sample(0, 100), sample(1000, 100), sample(2000, 40), sample(3000, 60)];
    const base = { name: "baseline", start: 0, end: 2000 };
    const after = { name: "after", start: 2000, end: 4000 };
    expect(c.throughputHolds(samples, base, after, 0.5).status).to.equal("passed");
    expect(c.throughputHolds(samples, base, after, 0.6).status).to.equal("failed");
  });

  it("unavailabilityWithin: the longest window without an acknowledged write, bounded", () => {
    const acks = [1000, 1100, 4100, 4200];
    expect(c.longestWriteGap(acks, 1000, 5000)).to.deep.equal({ gapMs: 3000, start: 1100, end: 4100 });
    expect(c.unavailabilityWithin(acks, 1000, 5000, 3500).status).to.equal("passed");
    expect(c.unavailabilityWithin(acks, 1000, 5000, 2000).status).to.equal("failed");
    expect(c.unavailabilityWithin([], 1000, 5000, 2000).status, "no write at all after the fault").to.equal("failed");
    expect(c.firstWriteAfter(acks, 1150)).to.equal(2950);
  });
});
