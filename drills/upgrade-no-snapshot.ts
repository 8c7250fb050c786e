// The 3.4 -> 3.5 upgrade pitfall (ZOOKEEPER-3056): a 3.4 follower synced from the leader by DIFF holds
// transaction logs and no snapshot; 3.5 refuses to start from that ("No snapshot found, but there are
// log entries. Something is broken!"). The documented fix (3.5.6 on): snapshot.trust.empty=true for
// that start, then the rolling upgrade goes on. Under load, nothing acknowledged may be lost.
import { drill, oneZoneTopology } from "../src/drill";

export default drill({
  name: "upgrade-no-snapshot",
  description:
    "Three voters under load on ZooKeeper 3.4.14 (--from-version) are upgraded one at a time to 3.5.9 (--to-version), followers first. " +
    "A member holding logs but no snapshot (a 3.4 follower synced by DIFF) refuses to start on 3.5.9, its log saying why; it is started again " +
    "with snapshot.trust.empty=true and rejoins before the next is upgraded, the leader last. Every member on 3.5.9 at the end, every " +
    "acknowledged write on all three.",
  procedure: "ZOOKEEPER-3056 (3.5.6's snapshot.trust.empty); the seeds' 3.4.14 and 3.5.9",
  origin: "zookeeper",
  headline: { outcome: "3.5 refuses a 3.4 member with logs and no snapshot; with snapshot.trust.empty it rejoins", checks: ["member-exited", "run-version", "set-survives"] },
  topology: oneZoneTopology("three-members", 3),
  needs: { voters: 3 },
  upgrade: { from: "3.4.14", to: "3.5.9" },
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [1, 2, 3];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of 1, 2, 3" });
    await d.expect.runVersion(all, d.versionOf(1));
    await d.write(["/zk-permanent"]);
    await d.startWorkload();
    await d.measure("baseline on 3.4", 5_000);

    // Which follower lacks a snapshot is read from its disk, not assumed.
    const files = Object.fromEntries(await Promise.all(q.followers.map(async (id) => [id, await d.dataFiles(id)] as const)));
    const bare = q.followers.find((id) => files[id].snapshots.length === 0 && files[id].logs.length > 0);
    if (bare === undefined) throw new Error(`no follower holds logs without a snapshot (${q.followers.map((id) => `${id}: ${files[id].snapshots.length} snapshot(s), ${files[id].logs.length} log(s)`).join("; ")}): the pitfall cannot be shown on this run`);

    // The runbook's order: followers, the leader last. Each member's disk decides whether 3.5 refuses it;
    // one that does gets the documented fix for that start and rejoins before the next is touched.
    const leaderLast = [bare, ...q.followers.filter((id) => id !== bare), q.leader];
    for (const id of leaderLast) {
      const held = id === bare ? files[bare] : await d.dataFiles(id);
      await d.upgrade(id);
      if (held.snapshots.length === 0 && held.logs.length > 0) {
        await d.expect.memberExits(id, /No snapshot found, but there are log entries/, "3.5 finds transaction logs and no snapshot");
        await d.expect.leaderIn(all.filter((x) => x !== id));
        await d.writesSucceed(20);
        await d.rewriteConfig(id, { extra: { "snapshot.trust.empty": "true" } });
        await d.start(id);
      }
      await d.waitForQuorum(all, { name: `member ${id} serves on the new release` });
    }
    await d.expect.runVersion(all, d.versionOf(bare));
    await d.measure("all on 3.5", 5_000);
    await d.expect.writesSurvive(all);
  },
});
