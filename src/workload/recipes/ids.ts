// Unique ids from sequential znodes (Jepsen's ZooKeeper unique-ids): each id a persistent sequential
// create, its name the id. ZooKeeper never issues a name twice, and issues them in commit order.
import { RECIPE_PATHS } from "../../history";
import { CreateMode } from "../../zk";
import { between, MAX_ROUNDS, RecipeWork } from "./run";

/** Ids one client issues at most: the znodes stay, and every member's tree is read at the end. */
const MAX_IDS = 2_000;

export const issueIds: RecipeWork = async (c, run) => {
  await c.mkdirp(RECIPE_PATHS.ids.root);
  for (let i = 0; i < Math.min(MAX_IDS, MAX_ROUNDS) && run.live(); i++) {
    await c.create(RECIPE_PATHS.ids.prefix, c.uniqueData({ recipe: "ids" }), CreateMode.PERSISTENT_SEQUENTIAL);
    run.count("ids issued");
    await run.pause(between(run.rng, 100, 200));
  }
};
