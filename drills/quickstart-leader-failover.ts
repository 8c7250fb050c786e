// The README's first drill: three members, a Kafka-style workload, the leader killed.
import { drill } from "../src/drill/runner";

export default drill({
  name: "quickstart-leader-failover",
  description: "Three members elect a leader; the leader is killed under load; a survivor takes over and every acknowledged write survives.",
  procedure: "README quick start (PROCEDURES.md P7's 'stop the current leader')",
  topology: {
    name: "three-members",
    zones: [{ name: "dc1", region: "r1" }],
    members: [
      { id: 1, zone: "dc1" },
      { id: 2, zone: "dc1" },
      { id: 3, zone: "dc1" },
    ],
  },
  needs: { voters: 3 },
  // One election on one machine: measured 0.5-0.8 s; the objective leaves room for a slow CI runner.
  objectives: { rtoMs: 15_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const before = await d.step("wait for a quorum", () => d.quorum());
    await d.write(["/zk-permanent", "/test"]);
    await d.startWorkload();
    await d.measure("baseline", 5_000);
    await d.kill(before.leader);
    const survivors = (await d.voters()).filter((id) => id !== before.leader);
    // Which survivor leads is ZooKeeper's choice (the one with the highest zxid, then id).
    await d.expect.leaderIn(survivors);
    await d.writesSucceed(20);
    await d.measure("after failover", 5_000);
    const after = await d.quorum(survivors);
    d.expect.epochRose(before.epoch, after.epoch);
    await d.expect.writesSurvive(survivors);
    d.expect.throughputHolds("after failover", "baseline", 0.5);
  },
});
