// What every folder may use: waits, seeded randomness, child processes, small statistics.
export { closest } from "./closest";
export { exec } from "./exec";
export { PACKAGE_ROOT, sourceDir } from "./root";
export { newSeed, SeededRandom } from "./random";
export { median } from "./stats";
export { allSettledOrThrow, errorText, waitFor } from "./wait";
