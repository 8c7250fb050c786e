// Checks over what the members said: each fails for its reason, none passes on nothing.
import { expect } from "chai";
import { converged, epochRose, leaderIn, noTwoLeadersPerEpoch, plannedQuorum, quorumLost, ruokWithoutQuorum } from "./ensemble";

const NOT = "This ZooKeeper instance is not currently serving requests\n";
const srvr = (mode: string, zxid = "0x100000005") => `Zookeeper version: 3.9.5\nLatency min/avg/max: 0/0.0/1\nZxid: ${zxid}\nMode: ${mode}\nNode count: 5\n`;

describe("checks over srvr, ruok and conf answers", () => {
  it("leaderIn: one leader inside the allowed set passes; a leader elsewhere, two, none, or an observer leading fail", () => {
    expect(leaderIn({ srvr: { 1: srvr("leader"), 2: srvr("follower") }, allowed: [1, 2] }).status).to.equal("passed");
    const elsewhere = leaderIn({ srvr: { 1: srvr("follower"), 2: srvr("follower"), 3: srvr("leader") }, allowed: [1, 2] });
    expect(elsewhere.status).to.equal("failed");
    expect(elsewhere.summary).to.include("member 3 leads, outside among 1, 2");
    expect(leaderIn({ srvr: { 1: srvr("leader"), 2: srvr("leader") } }).summary).to.include("leaders seen: 1, 2");
    expect(leaderIn({ srvr: { 1: NOT, 2: NOT } }).status).to.equal("failed");
    expect(leaderIn({ srvr: { 4: srvr("leader") }, observers: [4] }).status).to.equal("failed");
    expect(leaderIn({ srvr: {} }).status).to.equal("inconclusive");
  });

  it("noTwoLeadersPerEpoch: two members leading one epoch fail; no sample is inconclusive", () => {
    expect(noTwoLeadersPerEpoch([{ at: 1, member: 1, epoch: 1 }, { at: 2, member: 2, epoch: 2 }]).status).to.equal("passed");
    const split = noTwoLeadersPerEpoch([{ at: 1, member: 1, epoch: 3 }, { at: 2, member: 2, epoch: 3 }]);
    expect(split.status).to.equal("failed");
    expect(split.summary).to.include('"leaders":[1,2]');
    expect(noTwoLeadersPerEpoch([]).status).to.equal("inconclusive");
  });

  it("epochRose: only a higher epoch passes", () => {
    expect(epochRose({ before: 1, after: 2 }).status).to.equal("passed");
    expect(epochRose({ before: 2, after: 2 }).status).to.equal("failed");
  });

  it("quorumLost: needs every member not serving and a write that did not succeed; no write tried is inconclusive", () => {
    expect(quorumLost({ srvr: { 1: NOT, 2: NOT }, write: { outcome: "failed", error: "CONNECTION_LOSS" } }).status).to.equal("passed");
    expect(quorumLost({ srvr: { 1: NOT, 2: srvr("follower") }, write: { outcome: "failed" } }).summary).to.include("still serving: 2");
    expect(quorumLost({ srvr: { 1: NOT }, write: { outcome: "ok" } }).summary).to.include("a write succeeded");
    expect(quorumLost({ srvr: { 1: NOT } }).status, "no write evidence").to.equal("inconclusive");
    expect(quorumLost({ srvr: {}, write: { outcome: "failed" } }).status).to.equal("inconclusive");
  });

  it("ruokWithoutQuorum: imok and not serving pass; a serving member or another answer fail; nobody asked is inconclusive", () => {
    expect(ruokWithoutQuorum({ ruok: { 1: "imok" }, srvr: { 1: NOT } }).status).to.equal("passed");
    expect(ruokWithoutQuorum({ ruok: { 1: "imok" }, srvr: { 1: srvr("follower") } }).summary).to.include("1: srvr follower");
    expect(ruokWithoutQuorum({ ruok: { 1: "" }, srvr: { 1: NOT } }).status).to.equal("failed");
    expect(ruokWithoutQuorum({ ruok: {}, srvr: {} }).status).to.equal("inconclusive");
  });

  it("converged: one zxid on serving members passes; different zxids or a member not serving fail", () => {
    expect(converged({ 1: srvr("leader"), 2: srvr("follower") }).status).to.equal("passed");
    expect(converged({ 1: srvr("leader"), 2: srvr("follower", "0x100000004") }).summary).to.include("zxids differ");
    expect(converged({ 1: NOT, 2: NOT }).summary, "all 'not serving' is not one zxid").to.include("not serving: 1, 2");
    expect(converged({}).status).to.equal("inconclusive");
  });

  it("plannedQuorum: the planner and the leader's conf must both count the voters", () => {
    const conf = "server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\nserver.4=zk4:2888:3888:observer\n";
    const planner = { voters: [1, 2, 3], quorum: 2, toleratedFailures: 1 };
    expect(plannedQuorum({ stage: "s", voters: 3, planner, leader: 1, leaderConf: conf }).status).to.equal("passed");
    expect(plannedQuorum({ stage: "s", voters: 5, planner, leader: 1, leaderConf: conf }).status).to.equal("failed");
    expect(plannedQuorum({ stage: "s", voters: 3, planner, leader: 1, leaderConf: "" }).status).to.equal("inconclusive");
    // 3.4: the leader's zoo.cfg as it started, named as the source.
    const fromFile = plannedQuorum({ stage: "s", voters: 3, planner, leader: 1, leaderConf: `tickTime=2000\n${conf}`, source: "zoo.cfg" });
    expect([fromFile.status, fromFile.summary]).to.deep.equal(["passed", "planner: 3 voters (1, 2, 3), quorum 2, tolerates 1; leader 1's zoo.cfg lists 3 voters"]);
  });
});
