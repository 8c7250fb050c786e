// The Kafka checks by kind, for the registry (src/checks/registry.ts): each recomputed from its
// recorded input alone, so `zkdrill report verify` judges a Kafka run again like any other.
import { brokersRegistered, controllerEpochRose, oneController, partitionsLed, registrationExpired } from "./kafka";
import { everyAckedRecordConsumed } from "./kafka-delivery";
import { kafkaThroughputHolds } from "./kafka-throughput";
import { metadataMatches, migrationState } from "./kafka-metadata";

export const KAFKA_JUDGES = {
  "kafka-registered": (i: Parameters<typeof brokersRegistered>[0]) => brokersRegistered(i),
  "kafka-one-controller": (i: Parameters<typeof oneController>[0]) => oneController(i),
  "kafka-controller-epoch": (i: Parameters<typeof controllerEpochRose>[0]) => controllerEpochRose(i),
  "kafka-partitions-led": (i: Parameters<typeof partitionsLed>[0]) => partitionsLed(i),
  "kafka-registration-expired": (i: Parameters<typeof registrationExpired>[0]) => registrationExpired(i),
  "kafka-delivery": (i: Parameters<typeof everyAckedRecordConsumed>[0]) => everyAckedRecordConsumed(i),
  "kafka-throughput": (i: Parameters<typeof kafkaThroughputHolds>[0]) => kafkaThroughputHolds(i),
  "kafka-metadata": (i: Parameters<typeof metadataMatches>[0]) => metadataMatches(i),
  "kafka-migration-state": (i: Parameters<typeof migrationState>[0]) => migrationState(i),
};
