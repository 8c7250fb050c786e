import { expect } from "chai";
import { KafkaMetadata, metadataMatches, MigrationReading, migrationState, TopicMetadata } from "./kafka-metadata";

const orders: TopicMetadata = { topic: "orders", topicId: "q4Lx0n2DRy2vGm1tYV6fQw", partitions: { "0": [1, 2, 3], "1": [2, 3, 1], "2": [3, 1, 2] }, configs: { "retention.ms": "86400000" } };
const zk = (over: Partial<KafkaMetadata> = {}): KafkaMetadata => ({ source: "ZooKeeper before the migration", topics: [orders], acls: [], errors: {}, ...over });
const kraft = (over: Partial<KafkaMetadata> = {}): KafkaMetadata => ({ source: "the KRaft brokers", topics: [orders], acls: [], errors: {}, ...over });

describe("the metadata after the migration against ZooKeeper's before it", () => {
  it("passes when topics, ids, replicas in order and config overrides are the same; Kafka's own new topics are no difference", () => {
    const r = metadataMatches({ before: zk(), after: kraft({ topics: [orders, { topic: "__consumer_offsets", partitions: { "0": [1] }, configs: {} }] }) });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.equal("1 topic(s), 3 partition(s), 1 config override(s), 0 ACL(s): the same");
  });

  it("fails naming a lost topic, a partition whose replicas moved, a changed id and a dropped config", () => {
    const moved: TopicMetadata = { ...orders, topicId: "AAAAAAAAAAAAAAAAAAAAAA", partitions: { ...orders.partitions, "1": [3, 2, 1] }, configs: {} };
    const r = metadataMatches({ before: zk({ topics: [orders, { topic: "load", partitions: { "0": [1, 2, 3] }, configs: {} }] }), after: kraft({ topics: [moved] }) });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("orders: topic id q4Lx0n2DRy2vGm1tYV6fQw became AAAAAAAAAAAAAAAAAAAAAA");
    expect(r.summary).to.include("orders-1: replicas [2,3,1] became [3,2,1]");
    expect(r.summary).to.include("orders: config retention.ms 86400000 became (unset)");
    expect(r.summary).to.include("load: missing");
  });

  it("fails on a topic or an ACL that ZooKeeper never held", () => {
    const r = metadataMatches({ before: zk({ acls: ["User:alice ALLOW READ TOPIC orders"] }), after: kraft({ topics: [orders, { topic: "ghost", partitions: { "0": [1] }, configs: {} }] }) });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("ghost: not in ZooKeeper before the migration");
    expect(r.summary).to.include("ACL missing: User:alice ALLOW READ TOPIC orders");
  });

  it("is inconclusive with nothing to compare, or a side that could not be read", () => {
    expect(metadataMatches({ before: zk({ topics: [] }), after: kraft({ topics: [] }) }).status).to.equal("inconclusive");
    expect(metadataMatches({ before: zk(), after: kraft({ topics: [], errors: { "kafka-topics --describe": "exited 1" } }) }).summary).to.match(/^inconclusive: the KRaft brokers could not be read/);
  });
});

describe("where ZooKeeper says the migration is", () => {
  const migrated: MigrationReading = { controller: 3001, kraftControllerEpoch: 2, migration: { kraftControllerId: 3001, kraftMetadataOffset: 154, kraftMetadataEpoch: 2 }, errors: {} };
  const base = { controllers: [3000, 3001, 3002], brokers: [1, 2, 3], completedLines: ["Completed migration of metadata from ZooKeeper to KRaft. 22 records were generated"] };

  it("migrated: /migration's offset above 0 and a KRaft controller in /controller", () => {
    const r = migrationState({ expect: "migrated", reading: migrated, ...base });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.equal("/migration at offset 154 (epoch 2), /controller names 3001 (KRaft controller epoch 2); the controller logged the migration's completion");
  });

  it("migrated fails while the copy has not happened or a broker still controls", () => {
    expect(migrationState({ expect: "migrated", reading: { ...migrated, migration: { ...migrated.migration!, kraftMetadataOffset: -1 } }, ...base }).summary).to.include("/migration's kraft_metadata_offset is -1");
    const zkMode = migrationState({ expect: "migrated", reading: { controller: 2, kraftControllerEpoch: null, migration: null, errors: {} }, ...base });
    expect(zkMode.status).to.equal("failed");
    expect(zkMode.summary).to.equal("no /migration znode; /controller names 2, not a KRaft controller of 3000, 3001, 3002");
  });

  it("reverted: a ZooKeeper-mode broker controls; a KRaft controller still in /controller fails it", () => {
    expect(migrationState({ expect: "reverted", reading: { controller: 2, kraftControllerEpoch: -1, migration: migrated.migration, errors: {} }, ...base }).status).to.equal("passed");
    const r = migrationState({ expect: "reverted", reading: migrated, ...base });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^\/controller names 3001 \(KRaft controller epoch 2\), not a ZooKeeper-mode broker of 1, 2, 3/);
  });

  describe("stalled (the pitfall: a broker's IBP below the controllers' metadata.version)", () => {
    const zkMode: MigrationReading = { controller: 2, kraftControllerEpoch: null, migration: null, errors: {} };
    const waiting = ["[2026-12-06 05:01:02,003] INFO [KRaftMigrationDriver id=3000] Still waiting for ZK brokers [1, 2, 3] to register with KRaft. (org.apache.kafka.metadata.migration.KRaftMigrationDriver)"];
    const refused = ["[2026-12-06 05:01:01,000] INFO [QuorumController id=3000] registerBroker: event failed with UnsupportedVersionException in 120 microseconds. Reason: Unable to register because the broker does not support finalized version 21 of metadata.version. The broker wants a version between 20 and 20, inclusive. (org.apache.kafka.controller.QuorumController)"];
    const stalled = { ...base, completedLines: [], waitingLines: waiting, refusedLines: refused, waitedMs: 60_000 };

    it("passes with no copy, a ZooKeeper-mode broker in /controller and the controllers' own reason, cited", () => {
      const r = migrationState({ expect: "stalled", reading: zkMode, ...stalled });
      expect(r.status).to.equal("passed");
      expect(r.summary).to.equal(
        'no copy within 60 s, /controller names 2 (a ZooKeeper-mode broker); the controllers logged 1 time(s) "Still waiting for ZK brokers [1, 2, 3] to register with KRaft."; 1 registration(s) refused: "registerBroker: event failed with UnsupportedVersionException in 120 microseconds. Reason: Unable to register because the broker does not support finalized version 21 of metadata.version. The broker wants a version between 20 and 20, inclusive."',
      );
    });

    it("fails when the copy happened anyway, a KRaft controller controls, or the controllers never said they wait", () => {
      const copied = migrationState({ expect: "stalled", reading: migrated, ...stalled });
      expect(copied.status).to.equal("failed");
      expect(copied.summary).to.equal("the copy happened within 60 s (/migration at offset 154); /controller names 3001 (KRaft controller epoch 2), not a ZooKeeper-mode broker of 1, 2, 3");
      const silent = migrationState({ expect: "stalled", reading: zkMode, ...stalled, waitingLines: [] });
      expect(silent.status).to.equal("failed");
      expect(silent.summary).to.equal("no controller logged that it waits for the brokers to register with KRaft");
    });
  });

  it("is inconclusive when ZooKeeper could not be read", () => {
    expect(migrationState({ expect: "migrated", reading: { controller: null, kraftControllerEpoch: null, migration: null, errors: { session: "CONNECTION_LOSS" } }, ...base }).status).to.equal("inconclusive");
  });
});
