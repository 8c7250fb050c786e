// What Kafka's own admin tools print about the cluster's metadata, parsed: `kafka-topics --describe`
// (org.apache.kafka.tools.TopicCommand: topics, ids, partitions, replicas in order) and `kafka-configs
// --describe --entity-type topics` (kafka.admin.ConfigCommand: each topic's dynamic overrides only, the
// counterpart of ZooKeeper's /config/topics). Pure. Kafka 3.9's lines:
//   Topic: orders	TopicId: q4Lx0n2DRy2vGm1tYV6fQw	PartitionCount: 3	ReplicationFactor: 3	Configs: min.insync.replicas=2,retention.ms=86400000
//   	Topic: orders	Partition: 0	Leader: 1	Replicas: 1,2,3	Isr: 1,2,3	Elr: N/A	LastKnownElr: N/A
//   Dynamic configs for topic orders are:
//     retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000}
import type { TopicMetadata } from "../checks";

const field = (line: string, name: string): string | undefined => {
  const m = new RegExp(`(?:^|\\t)\\s*${name}: ([^\\t]*)`).exec(line);
  return m ? m[1].trim() : undefined;
};

/** Topics with ids and replicas from `kafka-topics --describe` (configs left to the configs tool). */
export function parseTopicsDescribe(stdout: string): Array<Omit<TopicMetadata, "configs">> {
  const topics = new Map<string, { topic: string; topicId?: string; partitions: Record<string, number[]> }>();
  for (const line of stdout.split("\n")) {
    const topic = field(line, "Topic");
    if (topic === undefined) continue;
    const partition = field(line, "Partition");
    const t = topics.get(topic) ?? { topic, partitions: {} };
    topics.set(topic, t);
    if (partition === undefined) {
      const id = field(line, "TopicId");
      if (id) t.topicId = id;
      continue;
    }
    const replicas = field(line, "Replicas") ?? "";
    t.partitions[partition] = replicas === "" ? [] : replicas.split(",").map(Number);
  }
  return [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic));
}

/** Each topic's dynamic config overrides from `kafka-configs --describe --entity-type topics`. */
export function parseTopicConfigs(stdout: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of stdout.split("\n")) {
    const head = /^Dynamic configs for topic (\S+) are:\s*$/.exec(line);
    if (head) {
      current = out[head[1]] = {};
      continue;
    }
    const entry = /^\s+([^=\s]+)=(.*?) sensitive=(?:true|false) synonyms=\{.*\}\s*$/.exec(line);
    if (entry && current) current[entry[1]] = entry[2];
    else if (!/^\s/.test(line)) current = undefined;
  }
  return out;
}
