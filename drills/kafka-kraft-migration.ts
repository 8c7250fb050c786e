// Leaving ZooKeeper (issue 29): Kafka's ZooKeeper-to-KRaft migration, step by step as Apache Kafka 3.9's
// documentation gives it (docs/ops.html, 6.10 KRaft, "ZooKeeper to KRaft Migration"), under a produce
// load, with a ZooKeeper member and then the active KRaft controller killed between the steps:
//   Preparing for migration         the brokers already run inter.broker.protocol.version=3.9
//   Provisioning the KRaft quorum   three controllers formatted with ZooKeeper's /cluster/id, migration enabled
//   Enter Migration Mode            a rolling restart of the brokers with the flag and the controllers' quorum;
//                                   after the last one, "Completed migration of metadata from ZooKeeper to KRaft"
//   Migrating brokers to KRaft      a rolling restart as process.roles=broker, without zookeeper.connect
//   Finalizing the migration        the controllers restarted one at a time without ZooKeeper
// KRaft's metadata must equal what ZooKeeper held before (topics, ids, replicas, configs), every
// acknowledged record must be read back, and the records/s of each phase go into the closing finding.
import { drill, KRAFT_TOPICS, kraftDrillUnderLoad } from "../src/drill";

export default drill({
  name: "kafka-kraft-migration",
  description:
    "Three voters in three zones, three Kafka 3.9 brokers and three KRaft controllers. Under the verifiable producer and the perf tool " +
    "(replication 3, min.insync.replicas 2, acks=all), the brokers are migrated from ZooKeeper to KRaft as Kafka's guide says: controllers " +
    "provisioned in migration mode, the ZooKeeper leader killed, brokers rolled into migration mode and the copy awaited, the active KRaft " +
    "controller killed, brokers rolled into KRaft mode, a ZooKeeper member killed during dual writes, the migration finalized. KRaft's " +
    "metadata equals ZooKeeper's, every acknowledged record is read back, records/s per phase reported.",
  procedure: "Apache Kafka 3.9 documentation, 6.10 KRaft: ZooKeeper to KRaft Migration (docs/ops.html#kraft_zk_migration)",
  origin: "kafka",
  headline: {
    outcome: "the metadata migrates to KRaft with ZooKeeper and KRaft members dying between the steps: KRaft holds what ZooKeeper held, and no acknowledged record is lost",
    checks: ["kafka-migration-state", "kafka-metadata", "kafka-delivery"],
  },
  topology: "kafka-kraft-migration",
  needs: { voters: 3 },
  async run(d) {
    const all = d.members();
    const topics = KRAFT_TOPICS;
    const before = await kraftDrillUnderLoad(d, "ZooKeeper mode", 20_000);

    // "Provisioning the KRaft controller quorum".
    d.kafka.phase("controllers provisioned");
    await d.kafka.kraft.provision();
    await d.kafka.measure("controllers provisioned", 15_000);

    // Between the steps: ZooKeeper's leader dies while the controllers hold their first sessions.
    const q = await d.quorum(all);
    d.kafka.phase("ZooKeeper leader killed");
    await d.kill(q.leader);
    await d.expect.leaderIn(all.filter((id) => id !== q.leader));
    await d.kafka.measure("ZooKeeper leader killed", 10_000);
    await d.start(q.leader);
    await d.waitForQuorum(all, { name: "wait for all three voters again" });

    // "Enter Migration Mode on the Brokers": the copy starts after the last broker's restart.
    d.kafka.phase("brokers in migration mode");
    await d.kafka.kraft.rollBrokers("migration", topics, "Enter Migration Mode on the Brokers");
    await d.kafka.kraft.awaitMigrated();
    await d.kafka.measure("brokers in migration mode", 10_000);

    // Between the steps: the active KRaft controller dies; another must claim /controller with a higher epoch.
    const active = await d.kafka.kraft.activeController();
    d.kafka.phase("active KRaft controller killed");
    const killedAt = Date.now();
    await d.kafka.kraft.killController(active.controller);
    await d.kafka.kraft.controllerTakesOver(active, killedAt);
    await d.kafka.measure("active KRaft controller killed", 10_000);
    await d.kafka.kraft.startController(active.controller);

    // "Migrating brokers to KRaft": the controllers dual-write to ZooKeeper from here to the finalization.
    d.kafka.phase("brokers in KRaft mode");
    await d.kafka.kraft.rollBrokers("kraft", topics, "Migrating brokers to KRaft");
    await d.kafka.measure("brokers in KRaft mode", 10_000);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.clusterMetadata("the KRaft brokers, before finalizing"));

    // Between the steps: a ZooKeeper follower dies during the dual writes.
    const q2 = await d.quorum(all);
    const follower = all.find((id) => id !== q2.leader)!;
    d.kafka.phase("ZooKeeper follower killed during dual writes");
    await d.kill(follower);
    await d.expect.leaderIn(all.filter((id) => id !== follower));
    await d.kafka.measure("ZooKeeper follower killed during dual writes", 10_000);
    await d.start(follower);
    await d.waitForQuorum(all, { name: "wait for all three voters again" });

    // "Finalizing the migration": no way back to ZooKeeper after this.
    d.kafka.phase("finalized");
    await d.kafka.kraft.finalize();
    await d.kafka.measure("finalized", 15_000);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.clusterMetadata("KRaft after finalizing"));

    await d.kafka.stopPerf();
    await d.kafka.expect.everyAckedConsumed();
    await d.stopWorkload();
    d.kafka.kraft.sectionsFinding();
  },
});
