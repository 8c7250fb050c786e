// The read-only check on recorded replies: each way a member can fail to serve read-only.
import { expect } from "chai";
import { ReadOnlyServed, readOnlyServes } from "./read-only";

const served: ReadOnlyServed = {
  member: 3,
  attempts: 4,
  waitedMs: 2600,
  readOnly: true,
  sessionId: "0x0",
  replies: [
    { op: "read", path: "/zk-permanent", outcome: "ok", zxid: "0x100000005" },
    { op: "write", path: "/zkdrill/read-only-write", outcome: "NOT_READONLY", zxid: "0x100000005" },
    { op: "read", path: "/zk-permanent", outcome: "ok", zxid: "0x100000005" },
  ],
};

describe("readOnlyServes: a member cut from its quorum serves reads and refuses writes", () => {
  it("passes when reads are served read-only, the write refused with NOT_READONLY, the zxids never going back", () => {
    const r = readOnlyServes(served);
    expect([r.status, r.summary]).to.deep.equal(["passed", "2 read(s) served read-only at zxid 0x100000005, never going back; the write refused with NOT_READONLY"]);
  });

  it("fails when no session was served at all, saying why", () => {
    const r = readOnlyServes({ ...served, readOnly: null, refused: "connect 127.0.0.1:1: no session within 5000 ms", replies: [] });
    expect([r.status, r.summary]).to.deep.equal(["failed", "no session served within 2.6 s (4 tried): connect 127.0.0.1:1: no session within 5000 ms"]);
  });

  it("fails when the member served read-write: it was not cut from its quorum", () => {
    expect(readOnlyServes({ ...served, readOnly: false }).summary).to.match(/served the session read-write: it still had a quorum/);
  });

  it("fails when no read was served", () => {
    const replies = served.replies.map((x) => (x.op === "read" ? { ...x, outcome: "CONNECTION_LOSS" } : x));
    expect(readOnlyServes({ ...served, replies }).summary).to.equal("no read served: /zk-permanent CONNECTION_LOSS; /zk-permanent CONNECTION_LOSS");
  });

  it("fails when a reply goes back", () => {
    const replies = [...served.replies.slice(0, 2), { op: "read" as const, path: "/zk-permanent", outcome: "ok", zxid: "0x100000004" }];
    const r = readOnlyServes({ ...served, replies });
    expect([r.status, r.summary]).to.deep.equal(["failed", "the session's replies went back: /zk-permanent answered at 0x100000004 after /zk-permanent at 0x100000005"]);
  });

  it("fails when the write is accepted, or answered as a writable tree would; unanswered is inconclusive", () => {
    const withWrite = (outcome: string) => readOnlyServes({ ...served, replies: served.replies.map((x) => (x.op === "write" ? { ...x, outcome } : x)) });
    expect(withWrite("ok").summary).to.equal("the write to /zkdrill/read-only-write was accepted by a read-only server");
    expect(withWrite("NODE_EXISTS").status).to.equal("failed");
    expect(withWrite("CONNECTION_LOSS").status).to.equal("inconclusive");
    expect(readOnlyServes({ ...served, replies: served.replies.filter((x) => x.op === "read") }).status, "no write tried").to.equal("inconclusive");
  });
});
