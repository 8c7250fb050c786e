// A follower's dataLogDir disk fills (a runaway log on the same disk, a forgotten dump): ZooKeeper
// cannot append to its transaction log and the member ends ("Severe unrecoverable error ... No space
// left on device"); the other two keep the quorum. The runbook: free the disk, start the member; if it
// cannot start from what it left on disk, wipe its data and let it resync from the leader.
import { drill, oneZoneTopology } from "../src/drill";

export default drill({
  name: "disk-full",
  description:
    "Three voters under load, each with a 32 MB dataLogDir disk of its own. A follower's disk is filled to the last byte: it exits, " +
    "saying so in its log, while the other two keep serving writes. The disk is freed and the member started again (wiped first if " +
    "it cannot start from what it left); it resyncs every acknowledged write from the leader.",
  procedure: "ZooKeeper administrator's guide (ongoing data directory cleanup); ZOOKEEPER-2247",
  origin: "zookeeper",
  headline: { outcome: "a member whose disk fills leaves service saying why; the others lead on; freed, it rejoins with every acknowledged write", checks: ["member-out-of-service", "leader-in", "set-survives"] },
  topology: oneZoneTopology("three-members-own-disks", 3, { datalogMb: 32 }),
  needs: { voters: 3 },
  objectives: { rtoMs: 15_000 },
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const q = await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"]);
    await d.startWorkload();
    await d.measure("baseline", 5_000);

    const full = q.followers[0];
    const others = [1, 2, 3].filter((id) => id !== full);
    await d.fillDisk(full);
    // ZooKeeper cannot log the next proposal. Whether the member then exits or keeps retrying to follow
    // (3.9 retries, never serving) is ZooKeeper's to choose; out of service, saying why, is the evidence.
    await d.expect.memberOutOfService(full, /No space left on device/, "its dataLogDir disk is full");
    const exited = (await d.memberState(full)) === "stopped";
    await d.expect.leaderIn(others);
    await d.writesSucceed(20);
    await d.measure("one member out of service, its disk full", 5_000);

    await d.freeDisk(full);
    if (exited) await d.start(full);
    // The runbook's answer to a member that cannot come back from what it left is a wipe and a resync;
    // either way it must end in sync. The path taken is a finding, not a verdict.
    const rejoined = await d.quorumWithin([1, 2, 3], 30_000);
    if (!rejoined) {
      d.say(`member ${full} did not rejoin from its own data: wiping it and starting it empty`);
      if ((await d.memberState(full)) === "running") await d.stop(full);
      await d.start(full, { wipeData: true });
      await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3 after the wipe" });
    }
    const path = rejoined ? (exited ? "exited; restarted from its own data" : "kept running without serving; rejoined by itself once the disk was freed") : "wiped and resynced";
    d.finding("disk-full recovery path", "info", `member ${full}: ${path}`, { member: full, exited, rejoined });
    await d.measure("disk freed, member back", 5_000);
    await d.expect.writesSurvive([1, 2, 3]);
  },
});
