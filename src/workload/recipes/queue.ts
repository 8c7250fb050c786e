// A queue (Curator's DistributedQueue, Jepsen's queue): producers create persistent sequential
// znodes, consumers take the lowest (read it, delete it); the delete that succeeds is the dequeue.
import { RECIPE_PATHS, sequenceOf } from "../../history";
import { CreateMode, errorKind } from "../../zk";
import { between, bySequence, MAX_ROUNDS, RecipeWork } from "./run";

const { root, prefix } = RECIPE_PATHS.queue;
/** Items one producer enqueues at most. */
const MAX_ITEMS = 2_000;

export const produce: RecipeWork = async (c, run) => {
  await c.mkdirp(root);
  for (let i = 0; i < MAX_ITEMS && run.live(); i++) {
    await c.create(prefix, c.uniqueData({ recipe: "queue" }), CreateMode.PERSISTENT_SEQUENTIAL);
    run.count("queue enqueued");
    await run.pause(between(run.rng, 100, 200));
  }
};

export const consume: RecipeWork = async (c, run) => {
  await c.mkdirp(root);
  for (let i = 0; i < MAX_ROUNDS && run.live(); i++) {
    const items = (await c.getChildren(root)).filter((n) => sequenceOf(n) !== null).sort(bySequence);
    if (items.length === 0) {
      await run.pause(100);
      continue;
    }
    const item = `${root}/${items[0]}`;
    try {
      await c.getData(item);
      await c.remove(item, -1);
      run.count("queue dequeued");
    } catch (err) {
      // Another consumer took it first: a definite failure, try the next lowest.
      if (errorKind(err) !== "NO_NODE") throw err;
      run.count("queue taken by another");
    }
  }
};
