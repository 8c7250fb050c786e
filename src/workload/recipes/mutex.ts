// A lock (Curator's InterProcessMutex) and a leader election (Curator's LeaderLatch): an ephemeral
// sequential znode, held when it is the lowest child, else a watch on its predecessor and a look again
// when it goes. While it holds, the client writes its own znode every HEARTBEAT_MS: each acknowledged
// write proves the znode still existed (src/checks/recipes.ts ends a hold at the last one).
import { baseName, RECIPE_PATHS, sequenceOf } from "../../history";
import { CreateMode } from "../../zk";
import { between, bySequence, MAX_ROUNDS, RecipeRun, RecipeWork, signal } from "./run";

const HEARTBEAT_MS = 100;
/** A waiter looks again after this long even without the watch's event (a lost watch, a move). */
const WAIT_MS = 2_000;

export type MutexRecipe = "lock" | "election";

/**
 * lock: hold 300-800 ms (seeded), release by delete, queue again. election: the leader holds until its
 * session is lost or the workload stops or moves, then steps down by delete.
 */
export function contend(recipe: MutexRecipe): RecipeWork {
  const { root, prefix } = RECIPE_PATHS[recipe];
  return async (c, run) => {
    await c.mkdirp(root);
    // One watcher per session: node-zookeeper-client keeps one copy of a function per path.
    let onDeleted: (() => void) | null = null;
    const watcher = (): void => onDeleted?.();
    for (let round = 0; round < MAX_ROUNDS && run.live(); round++) {
      const mine = await c.create(prefix, c.uniqueData({ recipe }), CreateMode.EPHEMERAL_SEQUENTIAL);
      if (!(await waitToBeLowest(c, run, root, baseName(mine), (f) => (onDeleted = f), watcher))) return;
      run.count(recipe === "lock" ? "lock acquisitions" : "leaderships");
      const until = recipe === "lock" ? Date.now() + between(run.rng, 300, 800) : Infinity;
      for (let beat = 0; beat < MAX_ROUNDS && run.live() && Date.now() < until; beat++) {
        await c.setData(mine, c.uniqueData({ recipe, heartbeat: beat }), -1);
        await run.pause(HEARTBEAT_MS);
      }
      await c.remove(mine, -1);
      await run.pause(between(run.rng, 0, 200));
    }
  };
}

/** True once `name` is the lowest child; false when the session should close first. Throws when `name` is gone. */
async function waitToBeLowest(
  c: Parameters<RecipeWork>[0],
  run: RecipeRun,
  root: string,
  name: string,
  onDeleted: (f: (() => void) | null) => void,
  watcher: () => void,
): Promise<boolean> {
  for (let look = 0; look < MAX_ROUNDS && run.live(); look++) {
    const children = (await c.getChildren(root)).filter((n) => sequenceOf(n) !== null).sort(bySequence);
    const at = children.indexOf(name);
    // Our znode went with our session (expired while we looked): this session's state is not what we think.
    if (at < 0) throw new Error(`${root}/${name} is gone: its session ended`);
    if (at === 0) return true;
    const deleted = signal();
    onDeleted(deleted.fire);
    const present = await c.exists(`${root}/${children[at - 1]}`, watcher);
    if (present) await run.pause(WAIT_MS, deleted.fired);
    onDeleted(null);
  }
  return false;
}
