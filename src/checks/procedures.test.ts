// The runbooks' own verdicts (formerly inline in drills), each failing for its reason.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { dynamicConfig, logMentions, notRestarted, roles, znodesAbsent } from "./procedures";

const srvr = (mode: string) => `Zxid: 0x100000005\nMode: ${mode}\nNode count: 5\n`;

describe("procedure checks", () => {
  it("roles: P4's one leader, two followers, one observer; a wrong observer set fails", () => {
    const answers = { 1: srvr("leader"), 2: srvr("follower"), 3: srvr("follower"), 4: srvr("observer") };
    expect(roles({ srvr: answers, leaderAmong: [1, 2, 3], followers: 2, observers: [4] }).status).to.equal("passed");
    expect(roles({ srvr: answers, observers: [4, 5] }).summary).to.include("observers: 4");
    expect(roles({ srvr: answers, leaderAmong: [2, 3] }).status).to.equal("failed");
    expect(roles({ srvr: {} }).status).to.equal("inconclusive");
  });

  it("dynamicConfig: exact servers with roles and a version (above the one before)", () => {
    const config = "server.1=zk1:2888:3888:participant;0.0.0.0:2181\nserver.4=zk4:2888:3888:observer;0.0.0.0:2181\nversion=100000003\n";
    const want = [{ id: 1, role: "participant" as const }, { id: 4, role: "observer" as const }];
    expect(dynamicConfig({ config, expected: want }).status).to.equal("passed");
    expect(dynamicConfig({ config, expected: want, versionAbove: "100000002" }).status).to.equal("passed");
    expect(dynamicConfig({ config, expected: want, versionAbove: "100000003" }).summary).to.include("is not above");
    expect(dynamicConfig({ config, expected: [{ id: 1, role: "participant" }] }).summary).to.include("servers:");
    expect(dynamicConfig({ config: "Node does not exist", expected: want }).status).to.equal("inconclusive");
  });

  it("logMentions: the injected failure's line, or a failure naming the pattern; an empty log is inconclusive", () => {
    const log = "2026-11-23 10:00:00,000 ERROR - Invalid config, exiting abnormally\n";
    expect(logMentions({ member: 4, pattern: "Invalid config", log, what: "x" }).status).to.equal("passed");
    expect(logMentions({ member: 4, pattern: "ConfigException", log, what: "x" }).status).to.equal("failed");
    expect(logMentions({ member: 4, pattern: "x", log: "", what: "x" }).status).to.equal("inconclusive");
  });

  it("notRestarted: a changed start time fails naming the member", () => {
    expect(notRestarted({ before: { 1: "t1" }, after: { 1: "t1" } }).status).to.equal("passed");
    expect(notRestarted({ before: { 1: "t1" }, after: { 1: "t2" } }).summary).to.include("restarted: 1");
    expect(notRestarted({ before: {}, after: {} }).status).to.equal("inconclusive");
  });

  it("znodesAbsent: a znode present fails; nothing named is inconclusive", () => {
    const h = new HistoryBuilder();
    h.process(2, "synced read on member 4", [4]);
    const sync = h.op({ process: 2, f: "write", path: "/zkdrill/sync/m4", value: "s", call: 0, ret: 1, result: { version: 1 } });
    h.op({ process: 2, f: "read", path: "/gone", syncedBy: sync, call: 2, ret: 3, result: { value: null } });
    h.op({ process: 2, f: "read", path: "/here", syncedBy: sync, call: 4, ret: 5, result: { value: "v", version: 0 } });
    const reads = [{ member: 4, process: 2 }];
    expect(znodesAbsent(h.ops(), { paths: ["/gone"], reads, why: "x" }).status).to.equal("passed");
    expect(znodesAbsent(h.ops(), { paths: ["/here"], reads, why: "x" }).summary).to.include("/here present on 4");
    expect(znodesAbsent(h.ops(), { paths: [], reads, why: "x" }).status).to.equal("inconclusive");
  });
});
