import { expect } from "chai";
import { memberRejoins, quorumAfterHeal, writeCommits } from "./service";

const LEADER = "Zookeeper version: 3.4.14\nMode: leader\nZxid: 0x300000002\n";
const FOLLOWER = "Zookeeper version: 3.4.14\nMode: follower\nZxid: 0x300000002\n";
const TIMEOUT = "zk3: 2026-12-02 10:00:31,002 [myid:3] - WARN  [QuorumPeer] - Unexpected exception java.lang.InterruptedException: Timeout while waiting for epoch from quorum";

describe("quorum-after-heal: the members serve again within the bound of a heal", () => {
  const base = { members: [1, 2, 3], healed: "member 1's quorum-port cut", healedAt: 10_000, boundMs: 12_000, leader: 3, watchedMs: 60_000, srvr: { 1: FOLLOWER, 2: FOLLOWER, 3: LEADER }, lines: [TIMEOUT] };

  it("passes when a leader serves them within the bound", () => {
    const r = quorumAfterHeal({ ...base, servingAt: 13_500 });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.equal("member 3 leads 1, 2, 3 3.5 s after the heal (bound 12.0 s)");
  });

  it("fails when they serve only later (ZOOKEEPER-3109's initLimit x tickTime wait), quoting the leader's log", () => {
    const r = quorumAfterHeal({ ...base, servingAt: 36_100 });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^only member 3 leads 1, 2, 3 26\.1 s after the heal \(bound 12\.0 s\): zk3: .*Timeout while waiting for epoch from quorum/);
  });

  it("fails when no leader served while they were watched", () => {
    expect(quorumAfterHeal({ ...base, servingAt: null, leader: null, lines: [] }).summary).to.equal("no leader served 1, 2, 3 in the 60.0 s watched after the heal");
  });
});

describe("write-commits: a leader that reports leading also commits", () => {
  const srvr = { 1: FOLLOWER, 2: FOLLOWER, 3: FOLLOWER, 4: LEADER };
  it("passes on an acknowledged write", () => {
    expect(writeCommits({ members: [1, 2, 3, 4], srvr, write: { outcome: "ok", ms: 40 }, boundMs: 10_000, lines: [] }).status).to.equal("passed");
  });

  it("fails naming the leader that commits nothing (ZOOKEEPER-3830)", () => {
    const r = writeCommits({ members: [1, 2, 3, 4], srvr, write: { outcome: "failed", error: "OPERATION_TIMEOUT", ms: 10_004 }, boundMs: 10_000, lines: [] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.equal("member 4 reports Mode: leader, yet the write was not acknowledged within 10.0 s (OPERATION_TIMEOUT): the leader commits nothing");
  });

  it("is inconclusive when no member leads: that is a lost quorum, not this", () => {
    expect(writeCommits({ members: [1, 2], srvr: { 1: "not serving", 2: "not serving" }, write: { outcome: "failed", error: "CONNECTION_LOSS", ms: 10_000 }, boundMs: 10_000, lines: [] }).status).to.equal("inconclusive");
  });
});

describe("member-rejoins: a restarted member serves, its log clear of the failure", () => {
  const pattern = "No snapshot found, but there are log entries\\. Something is broken";
  const refused = "2026-12-02 10:00:01,000 [myid:1] - ERROR [main:QuorumPeer] - Unable to load database on disk java.io.IOException: No snapshot found, but there are log entries. Something is broken!";
  const base = { member: 1, what: "restarted without snapshot.trust.empty", pattern, files: { snapshots: [], logs: ["log.100000001"] } };

  it("passes when it follows again", () => {
    expect(memberRejoins({ ...base, state: "running", exitCode: null, srvr: FOLLOWER, lines: [] }).summary).to.equal("member 1 serves as follower");
  });

  it("fails when it exited, quoting why (ZOOKEEPER-3781)", () => {
    const r = memberRejoins({ ...base, state: "stopped", exitCode: 1, srvr: "", lines: [refused] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^member 1 exited \(code 1\) \(it held 0 snapshot\(s\) and 1 transaction log\(s\) before\): .*Something is broken!/);
  });

  it("fails when it runs but does not serve", () => {
    expect(memberRejoins({ ...base, state: "running", exitCode: null, srvr: "This ZooKeeper instance is not currently serving requests", lines: [] }).status).to.equal("failed");
  });
});
