import { Command } from "commander";
import { checkEngine, reap } from "../runtime/docker";

export function downCommand(): Command {
  return new Command("down")
    .description("remove the containers and networks of a run (--all: of every zkdrill run)")
    .argument("[run-id]", "the run to remove")
    .option("--all", "remove everything labelled zkdrill.run")
    .action(async (runId: string | undefined, opts: { all?: boolean }) => {
      if (!runId && !opts.all) {
        const err = new Error("say which run to remove (zkdrill down <run-id>) or remove all (zkdrill down --all)");
        err.name = "InputError";
        throw err;
      }
      await checkEngine();
      const r = await reap(opts.all ? undefined : runId);
      console.log(`removed ${r.containers} container(s) and ${r.networks} network(s)`);
    });
}
