// P6 (docs/procedures.md): observer scale-out. Reads scale, writes are barely affected, fault tolerance does not change.
import { drill } from "../src/drill";

export default drill({
  name: "p6-scale-out-observer",
  description:
    "Voters 1-3 under load; observer 4 joins (server.4 :observer, peerType=observer). It syncs, serves reads and forwards writes; " +
    "reads/s are measured with the voters alone and with the observer beside them; write throughput holds; the quorum stays 2 of 3: " +
    "losing two voters still loses it, observer or not.",
  procedure: "P6 (docs/procedures.md)",
  origin: "field procedure",
  headline: {
    outcome: "the observer serves reads, writes hold, and fault tolerance does not change",
    checks: ["reads-served", "throughput", "planned-quorum", "quorum-lost"],
  },
  topology: "p6-observer-scale-out",
  needs: { members: [1, 2, 3, 4], observers: 1 },
  // Writes with the observer: at least half the baseline's (an observer is told of every commit,
  // but does not vote: the seed says writes are "barely affected").
  objectives: { rtoMs: 15_000, minThroughputRatio: 0.5 },
  async run(d) {
    await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3" });
    await d.expect.plannedQuorum("before", 3);
    await d.write(["/zk-permanent"], [1, 2, 3]);
    await d.startWorkload();
    await d.measure("baseline", 6_000);
    const voters = await d.measureReads("the voters alone", [1, 2, 3], 4_000);

    // The phase holds the observer's join and sync: writes are judged while it joins and after.
    d.phase("with the observer");
    await d.start(4);
    const q = await d.waitForQuorum([1, 2, 3, 4], { name: "observer 4 syncs and observes" });
    await d.expect.roles([1, 2, 3, 4], { leaderAmong: [1, 2, 3], followers: 2, observers: [4] });
    await d.expect.plannedQuorum("with the observer", 3);
    // Reads served by the observer alone; a write through it is forwarded to the leader.
    await d.write(["/written-through-the-observer"], [4]);
    await d.expect.znodesSurvive([q.leader, 4]);
    await d.measure("with the observer", 6_000);
    d.expect.throughputHolds("with the observer", "baseline");
    // P6: "reads scale". On one machine the members share its cores, so the figure is set beside the
    // voters' alone as a finding; that the observer serves reads at all is the check.
    const withObserver = await d.measureReads("the voters and the observer", [1, 2, 3, 4], 4_000);
    const observerAlone = await d.measureReads("the observer alone", [4], 4_000);
    d.expect.readsServed("the observer alone", observerAlone, [4]);
    d.finding(
      "reads/s with and without the observer",
      "info",
      `voters 1-3 alone: ${voters.perSec} reads/s; with observer 4 beside them: ${withObserver.perSec} reads/s (${withObserver.servedBy["4"] ?? 0} of ${withObserver.reads} served by 4); observer 4 alone: ${observerAlone.perSec} reads/s`,
      { votersAlone: voters, withObserver, observerAlone },
    );

    // Fault tolerance unchanged: one voter may go, not two.
    const [first, second] = q.followers;
    await d.kill(first);
    const two = [1, 2, 3].filter((id) => id !== first);
    await d.expect.leaderIn(two);
    await d.writesSucceed(10);
    await d.expect.writesSurvive([...two, 4]);
    await d.stopWorkload();
    await d.kill(second, { outageExpected: "two of three voters gone: the observer does not vote" });
    await d.expect.quorumLost([1, 2, 3, 4].filter((id) => id !== first && id !== second));
  },
});
