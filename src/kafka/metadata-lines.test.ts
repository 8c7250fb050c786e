import { expect } from "chai";
import { parseTopicConfigs, parseTopicsDescribe } from "./metadata-lines";

describe("Kafka's admin tools' metadata lines", () => {
  it("kafka-topics --describe: each topic's id and its partitions' replicas in order", () => {
    const out = [
      "Topic: orders\tTopicId: q4Lx0n2DRy2vGm1tYV6fQw\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,retention.ms=86400000",
      "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\tElr: N/A\tLastKnownElr: N/A",
      "\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,3,1\tIsr: 3\tElr: N/A\tLastKnownElr: N/A",
      "Topic: load\tTopicId: 7eG0uWQ1RPa7KSc1SGx5pA\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: ",
      "\tTopic: load\tPartition: 0\tLeader: 3\tReplicas: 3\tIsr: 3",
      "[2026-12-01 10:00:00,000] WARN something (org.apache.kafka.clients.NetworkClient)",
    ].join("\n");
    expect(parseTopicsDescribe(out)).to.deep.equal([
      { topic: "load", topicId: "7eG0uWQ1RPa7KSc1SGx5pA", partitions: { "0": [3] } },
      { topic: "orders", topicId: "q4Lx0n2DRy2vGm1tYV6fQw", partitions: { "0": [1, 2, 3], "1": [2, 3, 1] } },
    ]);
  });

  it("kafka-configs --describe --entity-type topics: each topic's dynamic overrides, none for a topic without", () => {
    const out = [
      "Dynamic configs for topic orders are:",
      "  retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000}",
      "  cleanup.policy=delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=delete, DEFAULT_CONFIG:log.cleanup.policy=delete}",
      "Dynamic configs for topic load are:",
    ].join("\n");
    expect(parseTopicConfigs(out)).to.deep.equal({ orders: { "retention.ms": "86400000", "cleanup.policy": "delete" }, load: {} });
  });
});
