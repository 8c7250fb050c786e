// What every folder may use: waits, seeded randomness, child processes, small statistics.
export { closest } from "./closest";
export { exec } from "./exec";
export { newSeed, SeededRandom } from "./random";
export { median } from "./stats";
export { allSettledOrThrow, errorText, waitFor } from "./wait";
