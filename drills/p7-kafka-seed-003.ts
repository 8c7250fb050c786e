// Seed 003's own test (P7 in docs/procedures.md): a Kafka cluster in the production centre on the
// two-regions, three-centres ensemble, driven by Kafka's producer perf tool (--record-size 1024
// --throughput -1, acks=all) on the seed's topic (one partition, replication factor 1), while the
// production centre's members stop; then, from a full ensemble again, the ZooKeeper leader stops, then
// its zone-mate, then the region-A zone-2 member: quorum lost. Records/s while the leader and its mate
// stop against the baseline (the seed's claim, "steady", as a declared objective: ZooKeeper promises
// nothing about Kafka's throughput); what Kafka can and cannot do without a quorum, measured; and
// every acknowledged record of a verified topic (replication factor 3) read back at the end.
import { drill } from "../src/drill";
import type { MemberId } from "../src/drill";

export default drill({
  name: "p7-kafka-seed-003",
  description:
    "seed 003 on P7's layout: three brokers in production centre a1; the perf tool at full speed with acks=all on topic test (1 partition, " +
    "replication factor 1, as the seed's), the verifiable producer on topic verified (replication 3, min.insync.replicas 2). a1's members " +
    "stop (3 of 5 serve), start again; from a full ensemble the ZooKeeper leader stops, then its zone-mate: records/s while each stops at least " +
    "the objective's share of the baseline; then the region-A zone-2 member stops: quorum lost, and what Kafka still does is measured " +
    "(produce, topic creation). Quorum back: every acknowledged record read back.",
  procedure: "P7 (docs/procedures.md), seed 003's Kafka test",
  origin: "field procedure",
  headline: {
    outcome: "Kafka's records/s stay steady while the ZooKeeper leader and then its zone-mate stop, and no acknowledged record is lost",
    checks: ["round-trip", "kafka-throughput", "quorum-lost", "kafka-delivery"],
  },
  topology: "p7-kafka-production",
  needs: { zones: ["a1", "a2", "b1"], voters: 5 },
  versions: { seed: "3.5.9" },
  // The seed's "steady", as this drill holds it: at least half the settled baseline's records/s. Half,
  // not more: on 2 cores the tool's 5 s windows vary by a quarter with nothing failing (measured).
  objectives: { minThroughputRatio: 0.5 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    await d.waitForQuorum(undefined, { name: "wait for a quorum of all five across 30 ms" });
    await d.kafka.createTopic("test", { partitions: 1, replicationFactor: 1 });
    await d.kafka.createTopic("verified", { partitions: 3, replicationFactor: 3 });
    await d.kafka.expect.registered();
    await d.kafka.expect.oneController();
    await d.kafka.expect.partitionsLed(["test", "verified"]);
    await d.startWorkload({ targetRate: 100 });
    await d.kafka.startVerifiable("verified", 100);
    await d.kafka.startPerf({ topic: "test", recordSize: 1024, throughput: -1 });
    await d.kafka.measure("baseline", 20_000);
    await d.kafka.memory("under load");

    // seed 003 4.2 1): the production centre's two members stop; three of five still serve.
    const production = d.membersIn("a1");
    d.kafka.phase("production centre stopped");
    await d.stop(production);
    await d.expect.leaderIn(all.filter((id) => !production.includes(id)));
    await d.kafka.measure("production centre stopped", 15_000);
    await d.start(production);
    await d.waitForQuorum(all, { name: "wait for all five again" });

    // seed 003 4.2 3): from a full ensemble, the ZooKeeper leader stops first ("the perf tool runs
    // normally"), then the member in the leader's zone ("no effect"); each phase holds its stop.
    const q = await d.quorum(all);
    d.kafka.phase("leader stopped");
    await d.stop(q.leader);
    const four = all.filter((id) => id !== q.leader);
    const second = await d.expect.leaderIn(four);
    await d.kafka.measure("leader stopped", 15_000);
    // The leader's zone-mate; when the leader was a2's lone member, a member of b1 that does not lead.
    const mate: MemberId = d.zoneMateOf(q.leader) ?? d.membersIn("b1").find((id) => id !== second)!;
    d.kafka.phase("the leader's zone-mate stopped");
    await d.stop(mate);
    const three = four.filter((id) => id !== mate);
    await d.expect.leaderIn(three);
    await d.kafka.measure("the leader's zone-mate stopped", 15_000);
    d.kafka.expect.throughputHolds("leader stopped", "baseline");
    d.kafka.expect.throughputHolds("the leader's zone-mate stopped", "baseline");

    // Then region A's zone-2 member: more than half of five gone, no majority anywhere. What does Kafka still do?
    const zone2 = d.membersIn("a2").find((id) => three.includes(id)) ?? three.find((id) => id !== second)!;
    d.kafka.phase("quorum lost");
    await d.stop(zone2, { outageExpected: "three of five gone: ZooKeeper is down, as the seed says" });
    const two = three.filter((id) => id !== zone2);
    await d.expect.quorumLost(two);
    await d.kafka.measure("quorum lost", 15_000);
    const create = await d.kafka.tryCreateTopic("created-without-quorum", { partitions: 3, replicationFactor: 3, timeoutMs: d.quick ? 20_000 : 45_000 });
    d.kafka.withoutQuorumFinding(create);

    // The members start again: a quorum, a controller, led partitions, and nothing acknowledged lost.
    await d.start([q.leader, mate, zone2]);
    await d.waitForQuorum(all, { name: "wait for all five again" });
    await d.kafka.expect.oneController();
    await d.kafka.expect.partitionsLed(["test", "verified"]);
    await d.kafka.stopPerf();
    await d.kafka.expect.everyAckedConsumed();
    await d.stopWorkload();
    d.kafka.phasesFinding();
  },
});
