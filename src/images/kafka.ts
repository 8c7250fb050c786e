// Kafka 3.9 (the last line with ZooKeeper mode) for drills that put a broker on the ensemble: the
// official apache/kafka image when present or pullable, else the same jars from Maven Central.
import { KAFKA_VERSION, kafkaImageNames } from "./catalog";
import { kafkaRecipe } from "./recipe";
import { EnsureOptions, ensureOfficialOrBuilt, ImageRef } from "./steps";

/** Where both images keep Kafka: the release tarball's layout (apache/kafka unpacks it there too). */
const KAFKA_HOME = "/opt/kafka";

export interface KafkaImageRef extends ImageRef {
  readonly version: string;
  /** `-cp` for the broker (kafka.Kafka) and the tools (org.apache.kafka.tools.ProducerPerformance, ...). */
  readonly classpath: string;
  /**
   * JVM flags for the broker: its log4j config (nothing is on the class path, and without one Kafka logs
   * nothing), and a writable kafka.logs.dir because apache/kafka's config also writes log files there.
   */
  readonly brokerJvmFlags: readonly string[];
  /** JVM flags for the tools: warnings to stderr only, so stdout holds just the lines to parse. */
  readonly toolsJvmFlags: readonly string[];
}

function withRuntime(ref: ImageRef): KafkaImageRef {
  return {
    ...ref,
    version: KAFKA_VERSION,
    classpath: `${KAFKA_HOME}/libs/*`,
    brokerJvmFlags: [`-Dlog4j.configuration=file:${KAFKA_HOME}/config/log4j.properties`, "-Dkafka.logs.dir=/tmp/kafka-logs"],
    toolsJvmFlags: [`-Dlog4j.configuration=file:${KAFKA_HOME}/config/tools-log4j.properties`],
  };
}

/** `apache/kafka:3.9.1` when present or pullable, else `zkdrill/kafka:3.9.1` built from Maven Central's jars. */
export async function ensureKafkaImage(opts: EnsureOptions = {}): Promise<KafkaImageRef> {
  return withRuntime(await ensureOfficialOrBuilt(kafkaImageNames().official, kafkaRecipe(), opts));
}
