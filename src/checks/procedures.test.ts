// The runbooks' own verdicts (formerly inline in drills), each failing for its reason.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { clockMoved, dynamicConfig, logMentions, memberAnswers, memberExited, memberOutOfService, notRestarted, readsServed, roles, runVersion, znodesAbsent } from "./procedures";

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

  it("znodesAbsent: a member that holds none of the acknowledged creates proves no absence (an empty restore)", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    h.op({ process: 1, f: "create", path: "/config/changes/b0000/config_change_a_", value: "a", sequential: true, call: 0, ret: 1, result: { created: "/config/changes/b0000/config_change_a_0000000001" } });
    h.process(2, "synced read on member 4", [4]);
    const sync = h.op({ process: 2, f: "write", path: "/zkdrill/sync/m4", value: "s", call: 10, ret: 11, result: { version: 1 } });
    h.op({ process: 2, f: "read", path: "/gone", syncedBy: sync, call: 12, ret: 13, result: { value: null } });
    h.op({ process: 2, f: "children", path: "/config/changes", syncedBy: sync, call: 14, ret: 15, result: { value: [] } });
    const r = znodesAbsent(h.ops(), { paths: ["/gone"], reads: [{ member: 4, process: 2 }], why: "written after the backup" });
    expect(r.status).to.equal("inconclusive");
    expect(r.summary).to.match(/holds none of the 1 acknowledged creates: an empty member proves no absence/);
  });

  it("memberAnswers: imok passes; another answer fails; no answer recorded is inconclusive", () => {
    expect(memberAnswers({ member: 3, ruok: "imok", before: "4 and 5 start" }).status).to.equal("passed");
    expect(memberAnswers({ member: 3, ruok: "error: ECONNREFUSED" }).status).to.equal("failed");
    expect(memberAnswers({ member: 3, ruok: "" }).status).to.equal("inconclusive");
  });

  it("readsServed: the observer served reads; none served fails; no read at all is inconclusive", () => {
    const base = { name: "the observer alone", members: [4], by: [4] };
    expect(readsServed({ ...base, servedBy: { 4: 1200 }, reads: 1200 }).status).to.equal("passed");
    expect(readsServed({ ...base, servedBy: { 1: 1200 }, reads: 1200 }).summary).to.match(/served no read: 4/);
    expect(readsServed({ ...base, servedBy: {}, reads: 0 }).status).to.equal("inconclusive");
  });

  it("memberExited: stopped with the log line that says why; still running, no such line or no log fails or is inconclusive", () => {
    const log = "2026-11-23 12:00:00,001 [myid:2] ERROR [SyncThread:2] - Severe unrecoverable error, exiting\njava.io.IOException: No space left on device\n";
    const input = { member: 2, state: "stopped", exitCode: 14, pattern: "No space left on device", log, what: "its disk filled" };
    const ok = memberExited(input);
    expect([ok.status, ok.summary]).to.deep.equal(["passed", "exit 14: java.io.IOException: No space left on device"]);
    expect(memberExited({ ...input, state: "running", exitCode: null }).summary).to.equal("member 2 is running, not stopped");
    expect(memberExited({ ...input, state: "running", exitCode: null }).status).to.equal("failed");
    expect(memberExited({ ...input, pattern: "CRC check failed" }).status).to.equal("failed");
    expect(memberExited({ ...input, log: "" }).status).to.equal("inconclusive");
  });

  it("memberOutOfService: exited or running-not-serving with the line that says why; serving, unanswered, no line or no log fails or is inconclusive", () => {
    const log = "ERROR [SyncThread:1] - Severe unrecoverable error, from thread : SyncThread:1\njava.io.IOException: No space left on device\n";
    const input = { member: 1, state: "running", serving: false as boolean | null, exitCode: null, pattern: "No space left on device", log, what: "its disk filled" };
    expect(memberOutOfService(input).summary).to.equal("running, not serving: java.io.IOException: No space left on device");
    expect(memberOutOfService({ ...input, state: "stopped", serving: null, exitCode: 1 }).summary).to.match(/^exited \(1\)/);
    expect(memberOutOfService({ ...input, serving: true }).status).to.equal("failed");
    expect(memberOutOfService({ ...input, serving: null }).status).to.equal("failed");
    expect(memberOutOfService({ ...input, pattern: "CRC check failed" }).status).to.equal("failed");
    expect(memberOutOfService({ ...input, log: "" }).status).to.equal("inconclusive");
  });

  it("clockMoved: the mtime shows the offset asked for; a clock that did not move fails; no mtime is inconclusive", () => {
    const input = { member: 3, offsetSeconds: 3600, seenSeconds: 3599.6 as number | null, phase: "an hour ahead" };
    expect(clockMoved(input).status).to.equal("passed");
    const still = clockMoved({ ...input, seenSeconds: 0.2 });
    expect([still.status, still.summary]).to.deep.equal(["failed", "mtime +0.2 s off true time: the clock did not move as asked (3599.8 s away)"]);
    expect(clockMoved({ ...input, offsetSeconds: -3600, seenSeconds: -3601 }).status).to.equal("passed");
    expect(clockMoved({ ...input, seenSeconds: null }).status).to.equal("inconclusive");
  });

  it("runVersion: every member names the version; one behind fails naming it; no answer at all is inconclusive", () => {
    const v = (x: string) => `Zookeeper version: ${x}-a1b2c3, built on 2024-01-01 00:00 UTC\nMode: follower\n`;
    expect(runVersion({ srvr: { 1: v("3.8.6"), 2: v("3.8.6") }, version: "3.8.6" }).summary).to.equal("all on 3.8.6");
    const behind = runVersion({ srvr: { 1: v("3.8.6"), 2: v("3.5.9") }, version: "3.8.6" });
    expect([behind.status, behind.summary]).to.deep.equal(["failed", "not 3.8.6: 2 (3.5.9)"]);
    expect(runVersion({ srvr: { 1: v("3.8.6"), 2: "" }, version: "3.8.6" }).status).to.equal("failed");
    expect(runVersion({ srvr: { 1: "" }, version: "3.8.6" }).status).to.equal("inconclusive");
    expect(runVersion({ srvr: {}, version: "3.8.6" }).status).to.equal("inconclusive");
  });
});
