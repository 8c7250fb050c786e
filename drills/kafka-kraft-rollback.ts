// The way back (issue 29): Kafka's ZooKeeper-to-KRaft migration reverted before it is finalized, as
// Apache Kafka 3.9's documentation allows ("Reverting to ZooKeeper mode During the Migration", docs/ops.html
// #kraft_zk_migration). The drill migrates as far as the guide lets a revert go back from, "Migrating
// brokers to KRaft" (brokers in KRaft mode, controllers dual-writing), then follows that row of the table:
//   1. on each broker: process.roles removed, node.id back to broker.id, zookeeper.connect restored, the
//      migration flag KEPT ("Do not set it to false until the second cluster roll"); a rolling restart
//   2. deprovision the KRaft controller quorum
//   3. zookeeper-shell.sh: rmr /controller, quickly, so that a broker becomes the old-style controller
//   4. on each broker: the migration flag, controller.listener.names and the quorum removed; a second roll
// With a ZooKeeper member killed while the brokers elect their controller again. The metadata after the
// revert equals ZooKeeper's before the migration, and every acknowledged record is read back.
import { drill, KRAFT_TOPICS, kraftDrillUnderLoad } from "../src/drill";

export default drill({
  name: "kafka-kraft-rollback",
  description:
    "Three voters in three zones, three Kafka 3.9 brokers and three KRaft controllers. Under the verifiable producer and the perf tool, " +
    "the migration goes as far as brokers in KRaft mode (the ZooKeeper leader and the active KRaft controller killed on the way), then is " +
    "reverted by the guide's row for that step: brokers rolled back to ZooKeeper mode keeping the migration flag, the controllers " +
    "deprovisioned, /controller removed while a ZooKeeper follower is down, a second roll without the migration settings. A broker " +
    "controls again, the metadata equals ZooKeeper's before the migration, every acknowledged record is read back.",
  procedure: "Apache Kafka 3.9 documentation, 6.10 KRaft: Reverting to ZooKeeper mode During the Migration (docs/ops.html#kraft_zk_migration)",
  origin: "kafka",
  headline: {
    outcome: "a migration reverted before finalizing leaves a ZooKeeper-mode cluster with the metadata it had, and no acknowledged record lost",
    checks: ["kafka-migration-state", "kafka-metadata", "kafka-delivery"],
  },
  topology: "kafka-kraft-migration",
  needs: { voters: 3 },
  async run(d) {
    const all = d.members();
    const topics = KRAFT_TOPICS;
    const before = await kraftDrillUnderLoad(d, "ZooKeeper mode", 20_000);

    // The migration, as far as "Migrating brokers to KRaft", with a ZooKeeper leader and a KRaft controller killed on the way.
    d.kafka.phase("controllers provisioned");
    await d.kafka.kraft.provision();
    const q = await d.quorum(all);
    await d.kill(q.leader);
    await d.expect.leaderIn(all.filter((id) => id !== q.leader));
    await d.kafka.measure("controllers provisioned", 10_000);
    await d.start(q.leader);
    await d.waitForQuorum(all, { name: "wait for all three voters again" });
    d.kafka.phase("brokers in migration mode");
    await d.kafka.kraft.rollBrokers("migration", topics, "Enter Migration Mode on the Brokers");
    await d.kafka.kraft.awaitMigrated();
    const active = await d.kafka.kraft.activeController();
    const killedAt = Date.now();
    await d.kafka.kraft.killController(active.controller);
    await d.kafka.kraft.controllerTakesOver(active, killedAt);
    await d.kafka.measure("brokers in migration mode", 10_000);
    await d.kafka.kraft.startController(active.controller);
    d.kafka.phase("brokers in KRaft mode");
    await d.kafka.kraft.rollBrokers("kraft", topics, "Migrating brokers to KRaft");
    await d.kafka.measure("brokers in KRaft mode", 10_000);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.clusterMetadata("the KRaft brokers, before the revert"));

    // The revert, row "Migrating brokers to KRaft". 1: back to ZooKeeper mode, the migration flag kept.
    d.kafka.phase("revert: first roll, migration flag kept");
    await d.kafka.kraft.rollBrokers("migration", topics, "revert, first roll: zookeeper.connect restored, zookeeper.metadata.migration.enable kept");
    await d.kafka.measure("revert: first roll, migration flag kept", 10_000);

    // 2 and 3: the controllers go, and /controller with them, quickly; a ZooKeeper follower is down meanwhile.
    const q2 = await d.quorum(all);
    const follower = all.find((id) => id !== q2.leader)!;
    d.kafka.phase("revert: controllers deprovisioned, /controller removed");
    await d.kafka.kraft.deprovision();
    await d.kill(follower);
    await d.kafka.kraft.removeControllerZnode({ migration: false });
    await d.kafka.kraft.reverted();
    await d.kafka.measure("revert: controllers deprovisioned, /controller removed", 10_000);
    await d.start(follower);
    await d.waitForQuorum(all, { name: "wait for all three voters again" });

    // 4: the second roll, without the migration settings: plain ZooKeeper mode.
    d.kafka.phase("revert: second roll, ZooKeeper mode");
    await d.kafka.kraft.rollBrokers("zookeeper", topics, "revert, second roll: migration flag, controller.listener.names and the quorum removed");
    await d.kafka.measure("revert: second roll, ZooKeeper mode", 10_000);
    await d.kafka.kraft.reverted();
    await d.kafka.expect.oneController();
    await d.kafka.expect.partitionsLed(topics);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.zkMetadata("ZooKeeper after the revert"));
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.clusterMetadata("the ZooKeeper-mode brokers after the revert"));

    await d.kafka.stopPerf();
    await d.kafka.expect.everyAckedConsumed();
    await d.stopWorkload();
    d.kafka.kraft.sectionsFinding();
  },
});
