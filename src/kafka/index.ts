// Real Kafka: brokers, KRaft controllers, Kafka's own tools, and Kafka's state read from ZooKeeper.
export { alterPartitionThreadDeath, laggingLeaders } from "./alter-partition";
export { KafkaBrokers } from "./brokers";
export { KraftControllers, MIGRATION_COMPLETED, REGISTRATION_REFUSED, WAITING_FOR_BROKERS } from "./controllers";
export { consumeAll, createTopic, deleteRecords, describeMetadata, ProducerPerf, VerifiableProducer, type ClientPlace, type ConsumeResult, type PerfOptions } from "./clients";
export { residentMemory } from "./memory";
export { settled } from "./perf-lines";
export { readKafkaState, type KafkaZkState } from "./zk-state";
export { readClusterId, readMigration, readZkMetadata, removeMigrationZnodes, type ZkPlace } from "./zk-metadata";
