// P7's layout under a network split rather than a power loss: region B is cut off (bytes silently
// dropped, as a failed inter-region link does) while its members keep running; then the link heals.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p7-region-partition",
  description:
    "2-2-1 over regions A and B (30 ms). Region B's link blackholes while its two members keep running: they stop serving, " +
    "region A (3 of 5) keeps or elects a leader and takes writes from production's clients. The link heals: B rejoins and catches up, " +
    "no acknowledged write lost, never two leaders in one epoch.",
  procedure: "PROCEDURES.md P7 (network split)",
  topology: "p7-two-regions-three-centres",
  needs: { zones: ["a1", "a2", "b1"], voters: 5 },
  // A blackhole is noticed only through syncLimit x tickTime (10 s): measured 11-18 s when the leader was in region B.
  objectives: { rtoMs: 30_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = await d.voters();
    const regionB = d.membersIn("b1");
    const regionA = all.filter((id) => !regionB.includes(id));
    await d.step("wait for a quorum of all five", () => d.quorum(all));
    await d.write(["/zk-permanent"], all);
    await d.startWorkload({ fromZone: "a1" });
    await d.measure("baseline", 6_000);

    await d.isolateZone("b1", "blackhole");
    // Held bytes are noticed through timeouts (syncLimit x tickTime), not at once.
    await d.expect.quorumLost(regionB, 45_000);
    // Region A holds 3 of 5: it keeps or elects the leader (which of its members is ZooKeeper's choice).
    await d.expect.leaderIn(regionA);
    await d.writesSucceed(20, 45_000);
    await d.measure("region B cut off", 6_000);

    await d.heal();
    await d.step("region B rejoins", () => d.quorum(all, 90_000));
    await d.measure("healed", 4_000);
    await d.expect.writesSurvive(all);
    d.expect.throughputHolds("region B cut off", "baseline", 0.3);
  },
});
