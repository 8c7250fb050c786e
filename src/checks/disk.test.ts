import { expect } from "chai";
import { fsyncSlow } from "./disk";

const WARNING = (ms: number) =>
  `2026-12-06 03:49:10,998 [myid:2] WARN  [SyncThread:2:FileTxnLog@381] - fsync-ing the write ahead log in SyncThread:2 took ${ms}ms which will adversely effect operation latency.File size is 67108880 bytes. See the ZooKeeper troubleshooting guide`;
const INFO = "2026-12-06 03:49:09,000 [myid:2] INFO  [QuorumPeer[myid=2]:Follower@75] - FOLLOWING - LEADER ELECTION TOOK - 212 MS";

describe("slow disk checks", () => {
  it("passes on ZooKeeper's own warning of an fsync as slow as the fault", () => {
    const r = fsyncSlow({ member: 2, minMs: 1200, log: [INFO, WARNING(1202), WARNING(1209)].join("\n") });
    expect(r.status).to.equal("passed");
    expect(r.evidence).to.include({ slowWarnings: 2, slowestMs: 1209 });
    expect(r.evidence.line).to.match(/SyncThread:2 took 1202ms/);
  });

  it("fails when the log has no fsync warning: the fault did not bite", () => {
    const r = fsyncSlow({ member: 2, minMs: 1200, log: INFO });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/no fsync warning in its log/);
  });

  it("fails when the only warnings are faster than the fault's delay (another slow disk, not ours)", () => {
    const r = fsyncSlow({ member: 2, minMs: 1200, log: [INFO, WARNING(1010)].join("\n") });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/1 warning\(s\), the slowest 1010 ms/);
  });

  it("is inconclusive on an empty log", () => {
    expect(fsyncSlow({ member: 2, minMs: 1200, log: "  \n" }).status).to.equal("inconclusive");
  });
});
