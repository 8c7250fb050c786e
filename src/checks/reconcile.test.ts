// Reconciliation on doctored trees: each kind of divergence fails naming member and path; identical
// trees pass; no comparison is never a pass.
import { expect } from "chai";
import { judge } from "./registry";
import { MemberTree, reconciled, ZnodeEntry } from "./reconcile";

const BASE: Record<string, ZnodeEntry> = {
  "/": ["e3b0c44298fc1c14", 0, 4, "0"],
  "/zk-permanent": ["1a2b3c4d5e6f7081", 1, 0, "0"],
  "/locks": ["e3b0c44298fc1c14", 0, 2, "0"],
  "/locks/lock-0000000001": ["e3b0c44298fc1c14", 0, 0, "72057594037927937"],
  "/zookeeper": ["e3b0c44298fc1c14", 0, 0, "0"],
  "/zookeeper/config": ["aaaaaaaaaaaaaaaa", 3, 0, "0"],
};

function tree(member: number, doctor: (z: Record<string, ZnodeEntry>) => void = () => {}, mode = member === 1 ? "leader" : "follower", zxid = "0x100000042"): MemberTree {
  const znodes = { ...BASE };
  doctor(znodes);
  return { member, mode, zxid, znodes };
}

const input = (trees: MemberTree[], more: Partial<Parameters<typeof reconciled>[0]> = {}) => ({ trees, cap: 50_000, ...more });

describe("reconciled: the members' trees compared at one zxid", () => {
  it("identical trees pass, counting the znodes outside /zookeeper", () => {
    const r = reconciled(input([tree(1), tree(2), tree(3)]));
    expect(r.status).to.equal("passed");
    expect(r.summary).to.match(/^members reconciled: 4 znodes, 0 divergences \(members 1, 2, 3 at 0x100000042\)/);
  });

  it("a member missing a path fails naming the member and the path", () => {
    const r = reconciled(input([tree(1), tree(2), tree(3, (z) => delete z["/zk-permanent"])]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^members reconciled: 4 znodes, 1 divergence: member 3: \/zk-permanent: missing \(absent\) where 1, 2 hold data 1a2b3c4d5e6f7081/);
  });

  it("a path only one member holds names that member", () => {
    const r = reconciled(input([tree(1), tree(2, (z) => (z["/extra"] = ["ffffffffffffffff", 0, 0, "0"])), tree(3)]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/member 2: \/extra: present only here \(data ffffffffffffffff.*\) where 1, 3 hold absent/);
  });

  it("another data digest fails naming the member, the path and both digests", () => {
    const r = reconciled(input([tree(1), tree(2, (z) => (z["/zk-permanent"] = ["0000000000000000", 1, 0, "0"])), tree(3)]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/member 2: \/zk-permanent: data digest 0000000000000000 vs 1a2b3c4d5e6f7081/);
  });

  it("another version fails", () => {
    const r = reconciled(input([tree(1), tree(2), tree(3, (z) => (z["/zk-permanent"] = ["1a2b3c4d5e6f7081", 2, 0, "0"]))]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/member 3: \/zk-permanent: version 2 vs 1/);
  });

  it("another cversion (a sequence number handed out twice) fails", () => {
    const r = reconciled(input([tree(1), tree(2, (z) => (z["/locks"] = ["e3b0c44298fc1c14", 0, 1, "0"])), tree(3)]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/member 2: \/locks: cversion 1 vs 2/);
  });

  it("an ephemeral owned by another session fails naming the member and both owners", () => {
    const r = reconciled(input([tree(1, (z) => (z["/locks/lock-0000000001"] = ["e3b0c44298fc1c14", 0, 0, "72057594037927938"])), tree(2), tree(3)]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/member 1: \/locks\/lock-0000000001: ephemeral owner 72057594037927938 vs 72057594037927937/);
    expect(r.evidence.divergedMembers).to.deep.equal([1]);
  });

  it("a two-member tie is settled for the leader's value: the follower is the diverged one", () => {
    const r = reconciled(input([tree(1), tree(2, (z) => delete z["/zk-permanent"])]));
    expect(r.evidence.divergedMembers).to.deep.equal([2]);
  });

  it("/zookeeper (quotas, the dynamic config) is not compared", () => {
    const r = reconciled(input([tree(1), tree(2, (z) => (z["/zookeeper/config"] = ["bbbbbbbbbbbbbbbb", 4, 0, "0"])), tree(3)]));
    expect(r.status).to.equal("passed");
  });

  it("no tree at all is inconclusive, never passed", () => {
    expect(reconciled(input([])).status).to.equal("inconclusive");
  });

  it("one member's tree is inconclusive: nothing to compare it with", () => {
    const r = reconciled(input([tree(1)]));
    expect(r.status).to.equal("inconclusive");
    expect(r.summary).to.match(/one member only \(1\): nothing to compare it with/);
  });

  it("participants that never reached one zxid make it inconclusive, saying their zxids", () => {
    const r = reconciled(input([tree(1), tree(2)], { disagreed: { 3: "0x100000040" } }));
    expect(r.status).to.equal("inconclusive");
    expect(r.summary).to.match(/member\(s\) 3 at 0x100000040 never reached their zxid 0x100000042/);
  });

  it("a lagging observer is said, not counted as diverged", () => {
    const r = reconciled(input([tree(1), tree(2), tree(3)], { notCompared: { 4: "observer lagging at 0x100000040" } }));
    expect(r.status).to.equal("passed");
    expect(r.summary).to.match(/not compared: 4 \(observer lagging at 0x100000040\)/);
  });

  it("a capped read is inconclusive", () => {
    const r = reconciled(input([tree(1), { ...tree(2), capped: true }], { cap: 4 }));
    expect(r.status).to.equal("inconclusive");
    expect(r.summary).to.match(/stopped at 4 znodes on member\(s\) 2/);
  });

  it("a drill that ends diverged on purpose passes on the divergence, naming it, and fails when the trees agree", () => {
    const why = "3.4: member 3 keeps znodes the leader never had";
    const diverged = reconciled(input([tree(5, undefined, "leader"), tree(4), tree(3, (z) => (z["/extra"] = ["ffffffffffffffff", 0, 0, "0"]))], { expectDivergence: why }));
    expect(diverged.status).to.equal("passed");
    expect(diverged.summary).to.match(/as the drill expects \(3\.4: .*\): members 3 diverged: member 3: \/extra/);
    const same = reconciled(input([tree(1), tree(2), tree(3)], { expectDivergence: why }));
    expect(same.status).to.equal("failed");
    expect(same.summary).to.match(/but the drill expects a divergence/);
  });

  it("ZooKeeper's own digest figure is reported beside ours, or why there is none", () => {
    const r = reconciled(input([tree(1), tree(2)], { zkDigest: { 1: { mismatches: 0 }, 2: { none: "3.4.14 has no digest (3.6+)" } } }));
    expect(r.summary).to.match(/ZooKeeper's digest: 1: 0 mismatch\(es\); none on 2 \(3.4.14 has no digest \(3.6\+\)\)/);
  });

  it("is recomputed from its journaled kind and input", () => {
    const i = input([tree(1), tree(2, (z) => delete z["/locks"])]);
    expect(judge("reconciled", i, { ops: [], samples: [] })?.summary).to.equal(reconciled(i).summary);
  });
});
