import { expect } from "chai";
import { connectionsCapped, earliestExpiryMs, grantedTimeoutMs, leaderHeld, oversizedWriteRefused, SessionFate, sessionAlive, sessionExpired, sessionKept } from "./clients";

const fate: SessionFate = {
  name: "the multi-host client",
  members: [1, 2, 3],
  sessionId: "0xabc",
  sessionTimeoutMs: 4000,
  faultAt: 1000,
  disconnectedAt: 1010,
  reconnectedAt: 1300,
  expired: false,
  ephemeral: { path: "/probes/multi", owner: "0xabc", readAt: 2000 },
};

describe("client checks", () => {
  it("sessionKept: reconnected with its ephemeral still its own; expired, gone or never reconnected fails; never dropped is inconclusive", () => {
    expect(sessionKept(fate).status).to.equal("passed");
    expect(sessionKept(fate).summary).to.equal("reconnected 290 ms after the drop (session timeout 4000 ms); /probes/multi still its own");
    expect(sessionKept({ ...fate, expired: true }).status).to.equal("failed");
    expect(sessionKept({ ...fate, ephemeral: { ...fate.ephemeral, owner: null } }).status).to.equal("failed");
    expect(sessionKept({ ...fate, reconnectedAt: null }).status).to.equal("failed");
    expect(sessionKept({ ...fate, disconnectedAt: null }).status).to.equal("inconclusive");
  });

  it("sessionExpired: seen present at ZooKeeper's earliest expiry (2/3 timeout - tick/2), then gone, passes; gone before it or never gone fails; not seen either side is inconclusive", () => {
    const single = { ...fate, name: "the single-host client", members: [2], reconnectedAt: null, expired: true, tickTime: 2000 };
    const ok = sessionExpired({ ...single, lastPresentAt: 1000 + 4300, goneAt: 1000 + 4600 });
    expect([ok.status, ok.summary]).to.deep.equal(["passed", "/probes/multi still there 4300 ms after the fault, gone by 4600 ms (session timeout 4000 ms, earliest expiry 1667 ms)"]);
    // A follower passes its clients' pings on only when the leader pings it: 1.7 s is within ZooKeeper's bound.
    expect(sessionExpired({ ...single, lastPresentAt: 1000 + 1700, goneAt: 1000 + 1800 }).status).to.equal("passed");
    expect(sessionExpired({ ...single, lastPresentAt: 1200, goneAt: null }).summary).to.match(/still there 1000 ms after the fault/);
    const early = sessionExpired({ ...single, lastPresentAt: 1000 + 700, goneAt: 1000 + 900 });
    expect([early.status, early.summary]).to.deep.equal(["failed", "/probes/multi gone by 900 ms after the fault, before 1667 ms (2/3 of the 4000 ms timeout less half a 2000 ms tick)"]);
    expect(sessionExpired({ ...single, lastPresentAt: null, goneAt: 1000 + 900 }).status).to.equal("failed");
    expect(sessionExpired({ ...single, lastPresentAt: 1000 + 1500, goneAt: 1000 + 1900 }).status).to.equal("inconclusive");
    expect(sessionExpired({ ...single, lastPresentAt: null, goneAt: 1000 + 1900 }).status).to.equal("inconclusive");
    // A journal from before tickTime was recorded keeps the stricter bound it was judged by.
    expect(sessionExpired({ ...single, tickTime: undefined, lastPresentAt: 1000 + 2000, goneAt: 1000 + 2300 }).status).to.equal("failed");
  });

  it("sessionKept across a cut of the client's own link: judged after the heal; expired, gone or read before the heal is not kept", () => {
    const cut = { ...fate, name: "the cut client", members: [2], fault: "a 2000 ms cut from its servers", disconnectedAt: null, reconnectedAt: null, cut: { at: 1000, healedAt: 3000 }, ephemeral: { ...fate.ephemeral, readAt: 3100 } };
    const held = sessionKept(cut);
    expect([held.status, held.summary]).to.deep.equal(["passed", "cut 2000 ms (session timeout 4000 ms): its connection held; /probes/multi still its own"]);
    expect(held.name).to.include("survives a 2000 ms cut from its servers");
    expect(sessionKept({ ...cut, disconnectedAt: 3700, reconnectedAt: 3200 }).summary).to.include("it reconnected 200 ms after the heal");
    expect(sessionKept({ ...cut, disconnectedAt: 3700, reconnectedAt: null }).status, "dropped and never back").to.equal("failed");
    const expired = sessionKept({ ...cut, expired: true, ephemeral: { ...cut.ephemeral, owner: null } });
    expect([expired.status, expired.summary]).to.deep.equal(["failed", "cut 2000 ms (session timeout 4000 ms): its connection held; /probes/multi gone; the client was told its session expired"]);
    expect(sessionKept({ ...cut, cut: { at: 1000, healedAt: null } }).status).to.equal("inconclusive");
    expect(sessionKept({ ...cut, ephemeral: { ...cut.ephemeral, readAt: 2900 } }).summary).to.equal("inconclusive: /probes/multi was read before the cut healed");
  });

  it("sessionExpired after a client's own fault: judged by the granted timeout, named by the fault", () => {
    const crashed = { ...fate, name: "the crashed client", members: [1], reconnectedAt: null, expired: false, tickTime: 2000, fault: "its process's crash (no closeSession)" };
    // Requested 1000 ms, granted 4000 (2 ticks): the bound is 2/3 x 4000 - 1000 = 1667 ms, not 2/3 x 1000 - 1000.
    const early = sessionExpired({ ...crashed, sessionTimeoutMs: 1000, negotiatedTimeoutMs: 4000, lastPresentAt: null, goneAt: 1000 + 900 });
    expect([early.status, early.summary]).to.deep.equal(["failed", "/probes/multi gone by 900 ms after the fault, before 1667 ms (2/3 of the 4000 ms timeout less half a 2000 ms tick)"]);
    expect(early.name).to.equal("the crashed client's session expires after its process's crash (no closeSession), not before its timeout");
    expect(sessionExpired({ ...crashed, negotiatedTimeoutMs: 4000, lastPresentAt: 1000 + 2500, goneAt: 1000 + 4200 }).status).to.equal("passed");
    expect(sessionExpired({ ...crashed, negotiatedTimeoutMs: 4000, lastPresentAt: 1000 + 2500, goneAt: null }).status, "never gone").to.equal("failed");
  });

  it("the bound's arithmetic: the server grants 2..20 ticks; the earliest expiry is 2/3 of it less half a tick", () => {
    expect(grantedTimeoutMs(1000, 2000)).to.equal(4000);
    expect(grantedTimeoutMs(6000, 2000)).to.equal(6000);
    expect(grantedTimeoutMs(60_000, 2000)).to.equal(40_000);
    expect(earliestExpiryMs(6000, 2000)).to.equal(3000);
  });

  it("sessionAlive: its ephemeral still its own and never told it expired; expired or gone fails", () => {
    const quiet = { ...fate, disconnectedAt: null, reconnectedAt: null, across: "a clock jump", ephemeral: { ...fate.ephemeral, readAt: fate.faultAt + 6000 } };
    expect(sessionAlive(quiet).summary).to.equal("/probes/multi still its own, never disconnected");
    expect(sessionAlive({ ...quiet, expired: true }).status).to.equal("failed");
    // Read before a session timeout had passed since the fault: nothing proven yet.
    expect(sessionAlive({ ...quiet, ephemeral: { ...fate.ephemeral, readAt: fate.faultAt + fate.sessionTimeoutMs - 1 } }).status).to.equal("inconclusive");
    expect(sessionAlive({ ...quiet, ephemeral: { ...quiet.ephemeral, owner: null } }).status).to.equal("failed");
  });

  it("connectionsCapped: never more than the cap, some refused, and the log says so", () => {
    const c = { member: 1, max: 5, attempted: 8, established: 5, logLine: "Too many connections from /172.17.0.1 - max is 5" };
    expect(connectionsCapped(c).status).to.equal("passed");
    expect(connectionsCapped({ ...c, established: 6 }).status).to.equal("failed");
    expect(connectionsCapped({ ...c, established: 8 }).status).to.equal("failed");
    expect(connectionsCapped({ ...c, logLine: null }).status).to.equal("failed");
    expect(connectionsCapped({ ...c, attempted: 5 }).status).to.equal("inconclusive");
  });

  it("oversizedWriteRefused: refused and absent; acknowledged or present fails", () => {
    const w = { path: "/big", bytes: 2 * 1024 * 1024, outcome: "CONNECTION_LOSS", existsAfter: false, limitBytes: 1048575 };
    expect(oversizedWriteRefused(w).status).to.equal("passed");
    expect(oversizedWriteRefused({ ...w, outcome: "ok" }).status).to.equal("failed");
    expect(oversizedWriteRefused({ ...w, existsAfter: true }).status).to.equal("failed");
    expect(oversizedWriteRefused({ ...w, bytes: 10 }).status).to.equal("inconclusive");
  });

  it("leaderHeld: the same leader in the same epoch; a new epoch or leader fails", () => {
    const h = { what: "a clock jump", before: { leader: 2, epoch: 3 }, after: { leader: 2, epoch: 3 } };
    expect(leaderHeld(h).status).to.equal("passed");
    expect(leaderHeld({ ...h, after: { leader: 2, epoch: 4 } }).status).to.equal("failed");
    expect(leaderHeld({ ...h, after: { leader: 1, epoch: 4 } }).status).to.equal("failed");
  });
});
