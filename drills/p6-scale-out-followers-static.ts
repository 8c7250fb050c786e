// PROCEDURES.md P6: follower scale-out 3 -> 5, the static way (rolling restart, leader last).
import { drill } from "../src/drill/runner";

export default drill({
  name: "p6-scale-out-followers-static",
  description:
    "Voters 1-3 under load. New voters 4, 5 start with the full list 1-5 and sync; then 1-3 are rewritten to list 1-5 and " +
    "rolling-restarted, followers first, the leader last. Service continues except one election; the quorum goes from 2 of 3 to 3 of 5.",
  procedure: "PROCEDURES.md P6",
  topology: "p6-followers-static",
  needs: { members: [1, 2, 3, 4, 5] },
  objectives: { rtoMs: 15_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    await d.step("wait for a quorum of 1, 2, 3", () => d.quorum([1, 2, 3]));
    await d.expect.plannedQuorum("before: 3 voters", 3);
    await d.write(["/zk-permanent"], [1, 2, 3]);
    await d.startWorkload();
    await d.measure("baseline", 6_000);

    await d.start([4, 5]);
    await d.step("4 and 5 sync from the leader", () => d.quorum(all, 90_000));
    for (const id of [1, 2, 3]) await d.rewriteConfig(id, { servers: all });
    d.phase("rolling restart");
    await d.rollingRestart([1, 2, 3], all);
    await d.expect.leaderIn(all);
    await d.expect.plannedQuorum("after: 5 voters", 5);
    await d.measure("five voters", 6_000);
    await d.expect.writesSurvive(all);
  },
});
