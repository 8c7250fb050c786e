// The KRaft drills' common opening: ZooKeeper mode with two replicated topics (one with config
// overrides, so the metadata comparison has configs to compare), ZooKeeper's workload, the verifiable
// producer and the perf tool running, a baseline measured, and ZooKeeper's Kafka metadata read.
import type { KafkaMetadata } from "../checks";
import type { Drill } from "./context";

/** The topics every KRaft drill produces to. */
export const KRAFT_TOPICS = ["orders", "load"] as const;

export async function kraftDrillUnderLoad(d: Drill, baseline: string, baselineMs: number): Promise<KafkaMetadata> {
  await d.waitForQuorum(undefined, { name: "wait for a quorum across three zones" });
  await d.kafka.createTopic("orders", { partitions: 3, replicationFactor: 3, configs: { "retention.ms": "604800000", "max.message.bytes": "262144" } });
  await d.kafka.createTopic("load", { partitions: 3, replicationFactor: 3 });
  await d.kafka.expect.registered();
  await d.kafka.expect.oneController();
  await d.kafka.expect.partitionsLed(KRAFT_TOPICS);
  await d.startWorkload({ targetRate: 100 });
  await d.kafka.startVerifiable("orders", 100);
  // Throttled: on two cores the rolls, not the tool, should set the pace; a capped rate also settles fast.
  await d.kafka.startPerf({ topic: "load", recordSize: 1024, throughput: 2000 });
  await d.kafka.measure(baseline, baselineMs);
  return d.kafka.kraft.zkMetadata("ZooKeeper before the migration");
}
