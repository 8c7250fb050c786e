import { expect } from "chai";
import { electionsInLog } from "./elections";

describe("elections ZooKeeper logged", () => {
  it("reads 'LEADER ELECTION TOOK - N MS' (3.4: no unit) with the line's UTC time", () => {
    const log = [
      "2026-11-23 10:00:44,123 [myid:2] INFO  [QuorumPeer[myid=2]:Follower@75] - FOLLOWING - LEADER ELECTION TOOK - 245 MS",
      "2026-11-23 10:00:44,200 [myid:2] INFO  something else",
      "2026-11-23 10:01:02,009 [myid:2] INFO  [QuorumPeer[myid=2]:Leader@581] - LEADING - LEADER ELECTION TOOK - 1021 MS",
      "2026-11-23 10:01:05,500 [myid:2] INFO  [QuorumPeer[myid=2]/0.0.0.0:2181:Leader@380] - LEADING - LEADER ELECTION TOOK - 266",
    ].join("\n");
    expect(electionsInLog(2, log)).to.deep.equal([
      { member: 2, at: Date.UTC(2026, 10, 23, 10, 0, 44, 123), tookMs: 245 },
      { member: 2, at: Date.UTC(2026, 10, 23, 10, 1, 2, 9), tookMs: 1021 },
      { member: 2, at: Date.UTC(2026, 10, 23, 10, 1, 5, 500), tookMs: 266 },
    ]);
    expect(electionsInLog(1, "")).to.deep.equal([]);
  });
});
