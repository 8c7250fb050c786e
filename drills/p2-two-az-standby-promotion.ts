// P2 (docs/procedures.md): two AZs, the majority AZ lost, standbys promoted in the surviving AZ.
import { drill } from "../src/drill";

export default drill({
  name: "p2-two-az-standby-promotion",
  description:
    "AZ1 {1,2}, AZ2 {3 + standbys 4,5}, a load running throughout. AZ1 is lost (followers first, leader last, so 3 survives): quorum lost. " +
    "Recovery: rewrite 3's config to {3,4,5}, restart 3 first, then 4 and 5 with empty data; the clients move to {3,4,5}. " +
    "A leader among {3,4,5}; every write acknowledged before the disaster survives (none lost: a count); RTO from the loss to the first write on the new ensemble.",
  procedure: "P2 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "a leader among 3, 4, 5, and every znode written before the disaster readable", checks: ["leader-in", "writes-lost-objective", "znodes-hold"] },
  topology: "p2-two-az-standby",
  needs: { zones: ["az1", "az2"], members: [3, 4, 5], standbys: 2 },
  versions: { seed: "3.4.14" },
  // Zero data loss is the runbook's promise, as a count: every write needed 3's acknowledgement once 1
  // or 2 was gone, so 3 holds all of them. ZooKeeper itself promises nothing across a hand-formed
  // ensemble, so it is measured (an age of 0 would forgive the last write lost).
  objectives: { rtoMs: 60_000, maxWritesLost: 0 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const q = await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent", "/test"]);
    await d.startWorkload();
    await d.startRecipes(["ids", "counter", "lock", "election", "queue"]);
    await d.measure("baseline", 5_000);
    // Followers first, the leader last: stopping the leader first would trigger an election (P2).
    const az1 = d.membersIn("az1");
    await d.stop([...az1.filter((id) => id !== q.leader), ...az1.filter((id) => id === q.leader)]);
    await d.expect.quorumLost([3]);
    await d.newLineage("promote AZ2: 3 rewritten to {3,4,5} and restarted first, then 4 and 5 with empty data", async () => {
      await d.rewriteConfig(3, { servers: [3, 4, 5] });
      await d.restart(3);
      // P2: 3 first. Alone of {3,4,5} it cannot serve yet, but its process must answer before 4 and 5 start.
      await d.expect.answers(3, "4 and 5 start");
      // P2: the standbys must join with empty version-2 folders, or they come up with stale state.
      await d.start([4, 5], { wipeData: true });
      // 3 is the only member with data, so it leads: ZooKeeper elects the highest zxid.
      await d.expect.leaderIn([3]);
      await d.moveClients([3, 4, 5]);
    });
    await d.writesSucceed(20);
    await d.measure("on the promoted ensemble", 3_000);
    // P2's outcome: `ls /` on the new ensemble shows the znodes written before the disaster.
    await d.expect.znodesSurvive([3, 4, 5]);
    await d.expect.writesSurvive([3, 4, 5]);
  },
});
