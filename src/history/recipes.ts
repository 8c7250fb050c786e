// Where the recipe workloads (src/workload/recipes) keep their znodes, and how their names and values
// read: both the workload that writes them and the checks that judge them (src/checks/recipes.ts) use these.

/** The recipes: the patterns applications build on ZooKeeper (Jepsen's ZooKeeper suites, Curator's recipes). */
export const RECIPES = ["ids", "counter", "lock", "election", "queue"] as const;
export type Recipe = (typeof RECIPES)[number];

export const RECIPES_ROOT = "/zkdrill/recipes";

/** Each recipe's parent znode, and the prefix of the sequential znodes it creates there. */
export const RECIPE_PATHS = {
  ids: { root: `${RECIPES_ROOT}/ids`, prefix: `${RECIPES_ROOT}/ids/id-` },
  counter: { root: `${RECIPES_ROOT}/counter`, value: `${RECIPES_ROOT}/counter/value` },
  lock: { root: `${RECIPES_ROOT}/lock`, prefix: `${RECIPES_ROOT}/lock/lock-` },
  // Curator's LeaderLatch names its znodes latch-.
  election: { root: `${RECIPES_ROOT}/election`, prefix: `${RECIPES_ROOT}/election/latch-` },
  queue: { root: `${RECIPES_ROOT}/queue`, prefix: `${RECIPES_ROOT}/queue/q-` },
} as const;

/** The sequence number ZooKeeper appended to a sequential znode's name (10 digits), or null. */
export function sequenceOf(name: string): number | null {
  const m = /(\d{10})$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The last component of a path. */
export const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/**
 * A counter's value carries its count after the write's unique id ("<id>#<count>"), so the history
 * (which keeps the id, see values.ts) shows the count each increment wrote and each read saw.
 */
export const counterValue = (id: string, count: number): string => `${id}#${count}`;

/** The count a counter value carries, or null for a value that carries none. */
export function countOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /#(\d+)$/.exec(value);
  return m ? Number(m[1]) : null;
}
