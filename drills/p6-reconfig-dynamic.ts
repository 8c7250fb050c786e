// P6 online: reconfig -add and -remove (ZooKeeper 3.5+), no restart.
import { drill } from "../src/drill";
import { SUPERUSER_JVM_FLAG } from "../src/drill";

const participants = (ids: number[]) => ids.map((id) => ({ id, role: "participant" as const }));

export default drill({
  name: "p6-reconfig-dynamic",
  description:
    "Voters 1-3 with a dynamic config under load. 4 and 5 start and are added online with reconfig -add as the digest superuser; " +
    "/zookeeper/config lists five voters and its version rises; then reconfig -remove 4,5 takes them out again. No member restarts; " +
    "the load sees at most an election's pause.",
  procedure: "ZooKeeper's dynamic reconfiguration (3.5+), the online way to P6's scale-out and scale-in (docs/procedures.md)",
  origin: "zookeeper",
  headline: { outcome: "members added and removed online: /zookeeper/config follows with a higher version, and no member restarts", checks: ["dynamic-config", "not-restarted"] },
  topology: "p6-reconfig-dynamic",
  needs: { members: [1, 2, 3, 4, 5] },
  versions: { min: "3.5", why: "dynamic reconfig came with 3.5", seed: "3.5.9" },
  jvmFlags: SUPERUSER_JVM_FLAG,
  objectives: { rtoMs: 15_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const base = [1, 2, 3];
    await d.waitForQuorum(base, { name: "wait for a quorum of 1, 2, 3" });
    const before = await d.startTimes(base);
    const v0 = await d.expect.dynamicConfig(1, participants(base));
    await d.write(["/zk-permanent"], base);
    await d.startWorkload({ inFlight: 4 });
    await d.measure("baseline", 5_000);

    await d.start(4);
    await d.zkCliAsSuperuser(1, ["reconfig -add server.4=zk4:2888:3888:participant;2181"]);
    await d.start(5);
    await d.zkCliAsSuperuser(1, ["reconfig -add server.5=zk5:2888:3888:participant;2181"]);
    const all = [1, 2, 3, 4, 5];
    await d.waitForQuorum(all, { name: "all five agree on a leader", timeoutMs: 90_000 });
    const v1 = await d.expect.dynamicConfig(2, participants(all), v0 ?? undefined);
    await d.measure("five voters", 5_000);

    await d.zkCliAsSuperuser(1, ["reconfig -remove 4,5"]);
    await d.expect.dynamicConfig(3, participants(base), v1 ?? undefined);
    // Removing the leader would force an election; 1-3 stay voters, so one of them leads.
    await d.expect.leaderIn(base);
    d.expect.notRestarted(before, await d.startTimes(base));
    await d.expect.writesSurvive(base);
  },
});
