// PROCEDURES.md P2: two AZs, the majority AZ lost, standbys promoted in the surviving AZ.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p2-two-az-standby-promotion",
  description:
    "AZ1 {1,2}, AZ2 {3 + standbys 4,5}. AZ1 is lost (followers first, leader last, so 3 survives): quorum lost. Recovery: rewrite 3's config to {3,4,5}, restart 3 first, then 4 and 5 with empty data. A leader among {3,4,5}; every znode survives.",
  procedure: "PROCEDURES.md P2",
  topology: "p2-two-az-standby",
  async run(d) {
    const q = await d.step("wait for a quorum of 1, 2, 3", () => d.quorum([1, 2, 3]));
    await d.write(["/zk-permanent", "/test"]);
    // Followers first, the leader last: stopping the leader first would trigger an election (P2).
    const az1 = d.membersIn("az1");
    const order = [...az1.filter((id) => id !== q.leader), ...az1.filter((id) => id === q.leader)];
    await d.stop(order);
    await d.expect.quorumLost([3]);
    await d.rewriteConfig(3, { servers: [3, 4, 5] });
    await d.restart(3);
    // P2: the standbys must join with empty version-2 folders, or they come up with stale state.
    await d.start([4, 5], { wipeData: true });
    await d.expect.leaderIn([3, 4, 5], [3, 4, 5]);
    await d.expect.znodesSurvive([3, 4, 5]);
  },
});
