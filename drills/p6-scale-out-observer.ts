// PROCEDURES.md P6: observer scale-out. Reads scale, writes are barely affected, fault tolerance does not change.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p6-scale-out-observer",
  description:
    "Voters 1-3 under load; observer 4 joins (server.4 :observer, peerType=observer). It syncs, serves reads and forwards writes; " +
    "write throughput holds; the quorum stays 2 of 3: losing two voters still loses it, observer or not.",
  procedure: "PROCEDURES.md P6",
  topology: "p6-observer-scale-out",
  needs: { members: [1, 2, 3, 4], observers: 1 },
  objectives: { rtoMs: 15_000 },
  async run(d) {
    await d.step("wait for a quorum of 1, 2, 3", () => d.quorum([1, 2, 3]));
    await d.expect.plannedQuorum("before", 3);
    await d.write(["/zk-permanent"], [1, 2, 3]);
    await d.startWorkload();
    await d.measure("baseline", 6_000);

    await d.start(4);
    const q = await d.step("observer 4 syncs and observes", () => d.quorum([1, 2, 3, 4]));
    await d.expect.roles([1, 2, 3, 4], { leaderAmong: [1, 2, 3], followers: 2, observers: [4] });
    await d.expect.plannedQuorum("with the observer", 3);
    // Reads served by the observer alone; a write through it is forwarded to the leader.
    await d.write(["/written-through-the-observer"], [4]);
    await d.expect.znodesSurvive([q.leader, 4]);
    await d.measure("with the observer", 6_000);
    d.expect.throughputHolds("with the observer", "baseline", 0.5);

    // Fault tolerance unchanged: one voter may go, not two.
    const [first, second] = q.followers;
    await d.kill(first);
    const two = [1, 2, 3].filter((id) => id !== first);
    await d.expect.leaderIn(two);
    await d.writesSucceed(10);
    await d.expect.writesSurvive([...two, 4]);
    await d.stopWorkload();
    await d.kill(second);
    await d.expect.quorumLost([1, 2, 3, 4].filter((id) => id !== first && id !== second));
  },
});
