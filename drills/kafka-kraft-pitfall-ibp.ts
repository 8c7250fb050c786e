// A pitfall of Kafka's ZooKeeper-to-KRaft migration (issue 29), forced: the guide's first step skipped.
// Apache Kafka 3.9's documentation (docs/ops.html#kraft_zk_migration, "Preparing for migration"): "Before
// beginning the migration, the Kafka brokers must be upgraded to software version 3.9 and have the
// "inter.broker.protocol.version" configuration set to "3.9"." Here the brokers run 3.9 with the IBP left at
// 3.8 and are rolled into migration mode anyway. A ZooKeeper-mode broker registers with KRaft with its IBP
// as its only metadata.version (KafkaServer: "so the KRaft controller can verify that all brokers are on the
// same IBP before starting the migration"); the controllers, formatted at 3.9, refuse it, and the migration
// driver waits for brokers that never register. What the drill proves goes wrong: the copy never begins (no
// /migration, a broker keeps /controller, the controllers' own "Still waiting for ZK brokers ..." line as the
// reason), while ZooKeeper mode goes on serving. Then the fix, one roll at IBP 3.9 in migration mode: the copy
// completes, KRaft holds what ZooKeeper held, and every acknowledged record is read back.
import { drill, KRAFT_TOPICS, kraftDrillUnderLoad } from "../src/drill";

/** The guide's: "inter.broker.protocol.version" set to "3.9". */
const MIGRATION_IBP = "3.9";
/** Far above a copy's few seconds in kafka-kraft-migration: if it was going to begin, it would have. */
const STALL_BOUND_MS = 60_000;

export default drill({
  name: "kafka-kraft-pitfall-ibp",
  description:
    "Three voters in three zones, three Kafka 3.9 brokers left at inter.broker.protocol.version=3.8, three KRaft controllers. Under the " +
    "verifiable producer and the perf tool, the controllers are provisioned and the brokers rolled into migration mode without the guide's " +
    "IBP step: the migration does not begin within 60 s (no /migration, a broker keeps /controller, the controllers log that they wait for " +
    "the brokers and refuse their registration), ZooKeeper mode keeps serving. The fix, one roll at IBP 3.9: the copy completes, KRaft's " +
    "metadata equals ZooKeeper's, every acknowledged record is read back.",
  procedure: "Apache Kafka 3.9 documentation, 6.10 KRaft: ZooKeeper to KRaft Migration, Preparing for migration (docs/ops.html#kraft_zk_migration)",
  origin: "kafka",
  headline: {
    outcome: "brokers rolled into migration mode below IBP 3.9 keep the migration from beginning: the controllers wait for brokers they refuse, ZooKeeper mode keeps serving, and no acknowledged record is lost",
    checks: ["kafka-migration-state", "kafka-delivery"],
  },
  topology: "kafka-kraft-pitfall-ibp",
  needs: { voters: 3 },
  async run(d) {
    const topics = KRAFT_TOPICS;
    const before = await kraftDrillUnderLoad(d, "ZooKeeper mode, IBP 3.8", 15_000);

    d.kafka.phase("controllers provisioned");
    await d.kafka.kraft.provision();
    await d.kafka.measure("controllers provisioned", 10_000);

    // The pitfall: "Enter Migration Mode on the Brokers" with the IBP left at 3.8.
    d.kafka.phase("brokers in migration mode at IBP 3.8");
    await d.kafka.kraft.rollBrokers("migration", topics, "Enter Migration Mode on the Brokers, the IBP step skipped");
    await d.kafka.kraft.migrationStalls(STALL_BOUND_MS);
    await d.kafka.measure("brokers in migration mode at IBP 3.8", 5_000);
    // ZooKeeper mode goes on: one broker controls, every partition led, the metadata untouched.
    await d.kafka.expect.oneController();
    await d.kafka.expect.partitionsLed(topics);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.zkMetadata("ZooKeeper while the migration waits"));

    // The fix: the guide's IBP step, done late, in the same roll as migration mode.
    d.kafka.phase(`brokers in migration mode at IBP ${MIGRATION_IBP}`);
    await d.kafka.kraft.rollBrokers("migration", topics, "Preparing for migration, done late", { ibp: MIGRATION_IBP });
    await d.kafka.kraft.awaitMigrated();
    await d.kafka.measure(`brokers in migration mode at IBP ${MIGRATION_IBP}`, 10_000);
    d.kafka.kraft.metadataMatches(before, await d.kafka.kraft.clusterMetadata("the brokers after the copy"));

    await d.kafka.stopPerf();
    await d.kafka.expect.everyAckedConsumed();
    await d.stopWorkload();
    d.kafka.kraft.sectionsFinding();
  },
});
