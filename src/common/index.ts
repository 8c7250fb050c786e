// What every folder may use: waits, seeded randomness, child processes, shared in-flight work, small statistics.
export { closest } from "./closest";
export { exec } from "./exec";
export { sharedWhileInFlight } from "./in-flight";
export { PACKAGE_ROOT, sourceDir } from "./root";
export { newSeed, SeededRandom } from "./random";
export { median } from "./stats";
export { allSettledOrThrow, errorText, waitFor } from "./wait";
