// A rolling upgrade from the seeds' 3.5.9 to 3.8.6 under load, in the order the upgrade notes give:
// one member at a time, followers first, the leader last, each restarted on the new release with its
// data. ZooKeeper keeps its guarantees across it (every write linearizable, none acknowledged lost);
// how long each restart kept writes waiting is the RTO, held to the objective.
import { drill, oneZoneTopology } from "../src/drill";

export default drill({
  name: "rolling-upgrade",
  description:
    "Five voters under load on ZooKeeper 3.5.9 (--from-version) are upgraded to 3.8.6 (--to-version) one at a time, followers first and the " +
    "leader last, each keeping its data: a quorum of all five after every member, writes acknowledged within the RTO objective after each, " +
    "every member reporting the new version at the end, and every acknowledged write on all five.",
  procedure: "ZooKeeper's release notes (rolling upgrade); the seeds' 3.5.9",
  origin: "zookeeper",
  headline: { outcome: "every member on the new version, a quorum after each step, nothing acknowledged lost", checks: ["run-version", "set-survives"] },
  topology: oneZoneTopology("five-members", 5),
  needs: { voters: 5 },
  upgrade: { from: "3.5.9", to: "3.8.6" },
  objectives: { rtoMs: 15_000 },
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    await d.waitForQuorum(all, { name: "wait for a quorum of all five" });
    const from = d.versionOf(1);
    await d.expect.runVersion(all, from);
    await d.write(["/zk-permanent", "/test"]);
    await d.startWorkload();
    await d.measure(`baseline on ${from}`, 5_000);

    await d.rollingUpgrade(all, all);
    const to = d.versionOf(1);
    await d.expect.runVersion(all, to);
    await d.measure(`all on ${to}`, 5_000);
    await d.expect.writesSurvive(all);
  },
});
