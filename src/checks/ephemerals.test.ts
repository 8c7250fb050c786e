import { expect } from "chai";
import { ephemeralEnds } from "./ephemerals";

describe("ephemeral-ends: a session's ephemeral is gone on every serving member once the client is told it expired", () => {
  const base = { path: "/zkdrill/probes/owner", sessionId: "0200052591e30000", expiredAt: 100_000, boundMs: 10_000 };

  it("passes when every member that answers holds it no longer", () => {
    const r = ephemeralEnds({ ...base, reads: [1, 2, 3].map((member) => ({ member, owner: null, at: 100_400 })) });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.equal("/zkdrill/probes/owner (owner 0x0200052591e30000) is gone on members 1, 2, 3 after the session was declared expired to its client");
  });

  it("fails naming each member that still holds it past the bound (ZOOKEEPER-2926)", () => {
    const r = ephemeralEnds({
      ...base,
      reads: [
        { member: 1, owner: null, at: 100_300 },
        { member: 2, owner: "0200052591e30000", at: 134_300 },
        { member: 3, owner: "0200052591e30000", at: 134_300 },
      ],
    });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.equal(
      "/zkdrill/probes/owner (owner 0x0200052591e30000) outlives its session: member 2 still holds it 34.3 s after; member 3 still holds it 34.3 s after the session was declared expired to its client; gone on member 1",
    );
    expect(r.evidence.holders).to.deep.equal([2, 3]);
  });

  it("counts a znode another session owns at that path as this one ended", () => {
    expect(ephemeralEnds({ ...base, reads: [{ member: 1, owner: "0300000000000001", at: 120_000 }] }).status).to.equal("passed");
  });

  it("is inconclusive when a holder was not watched up to the bound", () => {
    expect(ephemeralEnds({ ...base, reads: [{ member: 2, owner: "0200052591e30000", at: 101_000 }] }).status).to.equal("inconclusive");
  });

  it("is inconclusive with no reading, with no expiry told, and with no member answering", () => {
    expect(ephemeralEnds({ ...base, reads: [] }).status).to.equal("inconclusive");
    expect(ephemeralEnds({ ...base, expiredAt: null, reads: [{ member: 1, owner: null, at: 1 }] }).summary).to.match(/^inconclusive: the client was never told its session expired/);
    expect(ephemeralEnds({ ...base, reads: [{ member: 1, error: "CONNECTION_LOSS" }] }).summary).to.equal("inconclusive: no member answered (member 1: CONNECTION_LOSS)");
  });
});
