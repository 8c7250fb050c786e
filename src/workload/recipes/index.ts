// The recipe workloads: unique ids, a multi() counter, a lock, a leader election and a queue.
export { RecipeWorkload, type RecipeOptions, type RecipeSummary } from "./workload";
