// A follower's transaction log damaged on disk, two ways a disk or a crash does it. A torn tail (the
// last record half written: a crash mid-append) is what ZooKeeper's log reader is built to stop at,
// so the member starts and catches up from the leader. A flipped byte inside a record fails that
// record's checksum: the member must not serve from it. The runbook: wipe its data, let it resync.
import { drill, oneZoneTopology } from "../src/drill";

export default drill({
  name: "corrupt-log",
  description:
    "Three voters under load. A follower is killed and the last record of its newest transaction log cut in half: it starts from what it has " +
    "and rejoins. Killed again and a byte flipped inside a record of that log: it leaves service, its log naming the damage, while the other two " +
    "serve writes; wiped and started empty, it resyncs from the leader. Every acknowledged write on all three at the end.",
  procedure: "ZooKeeper administrator's guide (data file management); a crash mid-append and a bad sector",
  origin: "zookeeper",
  headline: { outcome: "a member whose transaction log fails its checksum leaves service saying why; the others lead on; wiped, it resyncs", checks: ["member-out-of-service", "leader-in", "set-survives"] },
  topology: oneZoneTopology("three-members", 3),
  needs: { voters: 3 },
  objectives: { rtoMs: 15_000 },
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const q = await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"]);
    await d.startWorkload();
    await d.measure("baseline", 5_000);
    const victim = q.followers[0];
    const others = [1, 2, 3].filter((id) => id !== victim);

    // A crash mid-append: the log ends in half a record.
    await d.kill(victim);
    await d.corruptLog(victim, "torn-tail");
    await d.start(victim);
    await d.waitForQuorum([1, 2, 3], { name: `member ${victim} starts from its torn log and rejoins` });
    await d.measure("torn tail recovered", 5_000);

    // A bad sector: a byte flipped inside a record; its checksum no longer matches.
    await d.kill(victim);
    await d.corruptLog(victim, "bit-flip");
    await d.start(victim);
    await d.expect.memberOutOfService(victim, /CRC check failed|checksum|corrupt|Unreasonable length/i, "a record of its transaction log fails its checksum");
    await d.expect.leaderIn(others);
    await d.writesSucceed(20);
    await d.measure("one member refusing its log", 5_000);

    // The runbook's fix: an empty data directory; the leader sends a snapshot.
    if ((await d.memberState(victim)) === "running") await d.stop(victim);
    await d.start(victim, { wipeData: true });
    await d.waitForQuorum([1, 2, 3], { name: `member ${victim}, wiped, resyncs` });
    await d.measure("wiped and resynced", 5_000);
    await d.expect.writesSurvive([1, 2, 3]);
  },
});
