// Load on the ensemble: the Kafka-shaped ZooKeeper workload and the read load.
export { KafkaShapedWorkload, partitionPath, type Sample, type WorkloadOptions, type WorkloadSummary } from "./kafka-shaped";
export { readLoad, type ReadFigures } from "./reads";
export { RecipeWorkload, type RecipeOptions, type RecipeSummary } from "./recipes";
