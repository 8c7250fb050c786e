// P7 (docs/procedures.md, seed 003's first drill): five voters over two regions and three centres, 2 ms and 30 ms apart
// on the wire (Toxiproxy gateways), a Kafka-style load throughout.
import { drill } from "../src/drill";
import type { MemberId } from "../src/drill";

export default drill({
  name: "p7-two-regions-three-centres",
  description:
    "2-2-1 over regions A (a1 production {1,2}, a2 same-city DR {3}) and B (b1 remote DR {4,5}), 2 ms / 30 ms apart. " +
    "The production centre stops: still serving. Restored; then the leader stops: a follower leads quickly; its zone-mate stops: still serving; " +
    "the zone-2 member stops as well: three of five gone, quorum lost (the outage the drill expects). Throughput while the leader stops, " +
    "RTO per fault and the zones' round trips on the wire in the result.",
  procedure: "P7 (docs/procedures.md)",
  origin: "field procedure",
  headline: {
    outcome: "the ensemble serves on with production lost and with its leader lost, over 2 ms and 30 ms links, until three of five are gone",
    checks: ["round-trip", "leader-in", "throughput", "quorum-lost"],
  },
  topology: "p7-two-regions-three-centres",
  needs: { zones: ["a1", "a2", "b1"], voters: 5 },
  versions: { seed: "3.5.9" },
  // Writes while the leader stops: at least 30 % of the baseline's (the phase holds the election).
  objectives: { rtoMs: 15_000, minThroughputRatio: 0.3 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    await d.waitForQuorum(undefined, { name: "wait for a quorum of all five across 30 ms" });
    // seed 003 test 1: a znode written through one member reads back on all.
    await d.write(["/example"], [4]);
    await d.expect.znodesSurvive(all);
    await d.startWorkload();
    await d.measure("baseline", 8_000);

    // Act 1: the production centre (a1) is lost; 3 of 5 remain, the ensemble keeps serving.
    const production = d.membersIn("a1");
    d.phase("production centre stopped");
    await d.stop(production);
    const rest = all.filter((id) => !production.includes(id));
    await d.expect.leaderIn(rest);
    await d.writesSucceed(20);
    await d.measure("production centre stopped", 6_000);
    await d.start(production);
    await d.waitForQuorum(all, { name: "wait for all five again" });
    d.phase("restored");

    // Act 2 (seed 003 4.2 3): the leader stops under load; then the member of its zone; then the zone-2 member.
    const q = await d.quorum(all);
    // The phase holds the stop, the election and what follows: seed 003's "while".
    d.phase("leader stopped");
    await d.stop(q.leader);
    const four = all.filter((id) => id !== q.leader);
    const second = await d.expect.leaderIn(four);
    await d.writesSucceed(20);
    d.expect.epochRose(q.epoch, (await d.quorum(four)).epoch);
    await d.measure("leader stopped", 6_000);

    // The leader's zone-mate when it has one; when the leader was a2's lone member, a remote member instead.
    const mate: MemberId = d.zoneMateOf(q.leader) ?? d.membersIn("b1").find((id) => id !== second)!;
    d.phase("the leader's zone-mate stopped");
    await d.stop(mate);
    const three = four.filter((id) => id !== mate);
    await d.expect.leaderIn(three);
    await d.writesSucceed(20);
    await d.expect.writesSurvive(three);

    // Three of five gone: no majority is left anywhere.
    const zone2 = d.membersIn("a2").find((id) => three.includes(id)) ?? three.find((id) => id !== second)!;
    d.phase("three of five stopped");
    await d.stop(zone2, { outageExpected: "three of five gone: no majority anywhere" });
    const two = three.filter((id) => id !== zone2);
    await d.expect.quorumLost(two);
    await d.stopWorkload();

    d.expect.throughputHolds("leader stopped", "baseline");
  },
});
