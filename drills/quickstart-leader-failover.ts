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
  async run(d) {
    const before = await d.step("wait for a quorum", () => d.quorum());
    await d.write(["/zk-permanent", "/test"]);
    await d.startWorkload();
    await d.measure("baseline", 5_000);
    await d.kill(before.leader);
    d.phase("leader killed");
    const survivors = [1, 2, 3].filter((id) => id !== before.leader);
    await d.expect.leaderIn(survivors, survivors);
    await d.expect.unavailableAtMost(15_000);
    await d.measure("after failover", 5_000);
    await d.stopWorkload();
    const after = await d.quorum(survivors);
    d.expect.epochRose(before.epoch, after.epoch);
    d.expect.noSplitBrain();
    await d.expect.znodesSurvive(survivors);
    await d.expect.writesSurvive(survivors);
    d.expect.throughputHolds("after failover", "baseline", 0.5);
  },
});
