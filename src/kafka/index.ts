// Real Kafka: brokers, Kafka's own tools, and Kafka's state read from ZooKeeper.
export { KafkaBrokers } from "./brokers";
export { consumeAll, createTopic, deleteRecords, ProducerPerf, VerifiableProducer, type ClientPlace, type ConsumeResult, type PerfOptions } from "./clients";
export { residentMemory } from "./memory";
export { settled } from "./perf-lines";
export { readKafkaState, type KafkaZkState } from "./zk-state";
