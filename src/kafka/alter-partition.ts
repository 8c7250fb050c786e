// A Kafka 3.9 bug met on the migration's revert: when the controller moves from the KRaft quorum back
// to a ZooKeeper-mode broker, a broker's alter-partition channel manager may be re-created while the
// old one's metrics are still registered; its request thread then dies ("A metric named ... group=
// alter-partition-metrics ... already exists, can't register another one") and the broker can no longer
// send AlterPartition: the partitions it leads never expand their ISR until it restarts. Pure: the log
// line found, and the brokers to look at chosen from the partitions' leaders and ISRs.
import type { PartitionState } from "./zk-state";

// Kafka.main's first line, once per process: what a restarted container's log says before it.
const PROCESS_START = /Registered kafka:type=kafka\.Log4jController MBean/;
const THREAD_DIED = /to-controller-alter-partition-channel-manager\]: Error due to/;
const ALREADY_EXISTS = /already exists, can't register another one/;
// The engine's receipt time that a collected log line starts with.
const ENGINE_TIME = /^\d{4}-\d\d-\d\dT\S+Z /;
// The exception follows its "Error due to" line directly; a few lines of slack for interleaved output.
const SLACK = 3;

/**
 * The lines (the "Error due to" line and its exception) showing that the broker process now running
 * lost its alter-partition thread to the metric clash; null when it did not. A death logged by an
 * earlier process of the same container (before its last start) does not count: a restart cured it.
 */
export function alterPartitionThreadDeath(log: string): string[] | null {
  const lines = log.split("\n").map((l) => l.replace(ENGINE_TIME, ""));
  let from = 0;
  lines.forEach((l, i) => {
    if (PROCESS_START.test(l)) from = i;
  });
  for (let i = from; i < lines.length; i++) {
    if (!THREAD_DIED.test(lines[i])) continue;
    const cause = lines.slice(i, i + 1 + SLACK).find((l) => ALREADY_EXISTS.test(l));
    if (cause !== undefined) return [lines[i], cause];
  }
  return null;
}

/** The leaders of the partitions whose ISR lacks one of `ids`: the brokers whose ISR expansion is due, ascending. */
export function laggingLeaders(partitions: readonly PartitionState[], ids: readonly number[]): number[] {
  const leaders = partitions.filter((p) => p.leader >= 0 && ids.some((id) => !p.isr.includes(id))).map((p) => p.leader);
  return [...new Set(leaders)].sort((a, b) => a - b);
}
