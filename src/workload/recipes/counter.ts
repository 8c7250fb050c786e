// A counter incremented with multi(): read the value and its version, then check(version) + setData
// in one transaction. Another client's increment in between makes it BAD_VERSION: read and try again.
import { counterValue, countOf, decodeValue, encodeValue, RECIPE_PATHS } from "../../history";
import { errorKind, ZkClient } from "../../zk";
import { between, MAX_ROUNDS, RecipeWork } from "./run";

const PATH = RECIPE_PATHS.counter.value;

/** The counter's data: its count in the value the history records, and as a field. */
const counterData = (c: ZkClient, count: number): Buffer => encodeValue(counterValue(c.uniqueValue(), count), { count });

export const incrementCounter: RecipeWork = async (c, run) => {
  await c.mkdirp(RECIPE_PATHS.counter.root);
  await c.create(PATH, counterData(c, 0)).catch((err) => {
    if (errorKind(err) !== "NODE_EXISTS") throw err;
  });
  for (let i = 0; i < MAX_ROUNDS && run.live(); i++) {
    const { data, stat } = await c.getData(PATH);
    const prev = decodeValue(data);
    const count = countOf(prev);
    if (count === null) throw new Error(`${PATH} holds ${prev}, which carries no count: something else wrote it`);
    try {
      await c.checkAndSet(PATH, counterData(c, count + 1), stat.version, { prev });
      run.count("counter increments");
    } catch (err) {
      // Another client incremented first: a definite failure, the session's state is known.
      if (errorKind(err) !== "BAD_VERSION") throw err;
      run.count("counter conflicts");
    }
    await run.pause(between(run.rng, 10, 50));
  }
};
