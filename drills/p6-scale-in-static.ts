// P6: scale-in 5 -> 3, the static way.
import { drill } from "../src/drill";

export default drill({
  name: "p6-scale-in-static",
  description:
    "Five voters under load. Two followers are removed: the remaining three are rewritten to list only themselves and " +
    "rolling-restarted, leader last, then the two leave. Service continues except one election; the quorum goes from 3 of 5 to 2 of 3.",
  procedure: "P6 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "5 -> 3 voters by rolling restart: the quorum the planner computes is the one the leader counts, before and after", checks: ["planned-quorum", "set-survives"] },
  topology: "p8-one-dc",
  needs: { members: [1, 2, 3, 4, 5], voters: 5 },
  objectives: { rtoMs: 15_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of all five" });
    await d.expect.plannedQuorum("before: 5 voters", 5);
    await d.write(["/zk-permanent"], all);
    await d.startWorkload();
    await d.measure("baseline", 6_000);

    // The two followers with the highest ids leave (the leader stays until its restart).
    const removed = [...q.followers].sort((a, b) => b - a).slice(0, 2);
    const kept = all.filter((id) => !removed.includes(id));
    for (const id of kept) await d.rewriteConfig(id, { servers: kept });
    d.phase("rolling restart");
    // The leaving members stop only after the rolling restart: stopped first, they would leave
    // exactly 3 of 5, and every restart of the rolling restart would lose quorum (measured: a
    // 46 s outage on the first one). The kept three must agree after each restart; the leavers,
    // still on the old list, may not follow a leader elected on the new one (3.4.14 refuses them).
    await d.rollingRestart(kept, kept);
    await d.stop(removed);
    // The leader restarted last: the new one is ZooKeeper's choice among the kept three.
    await d.expect.leaderIn(kept);
    await d.expect.plannedQuorum("after: 3 voters", 3);
    await d.measure("three voters", 6_000);
    await d.expect.writesSurvive(kept);
  },
});
