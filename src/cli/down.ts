import { Command } from "commander";
import { checkEngine, reap } from "../docker/engine";
import { EXIT } from "./errors";

export function downCommand(): Command {
  const cmd: Command = new Command("down")
    .description("remove the containers and networks of a run (--all: of every zkdrill run)")
    .argument("[run-id]", "the run to remove")
    .option("--all", "remove everything labelled zkdrill.run")
    .action(async (runId: string | undefined, opts: { all?: boolean }) => {
      if (!runId && !opts.all) {
        // A usage mistake commander cannot see (either form will do): told as commander tells its own, with this help.
        cmd.error("error: say which run to remove (zkdrill down <run-id>) or remove all (zkdrill down --all)", { exitCode: EXIT.badInput, code: "zkdrill.usage" });
      }
      await checkEngine();
      const r = await reap(opts.all ? undefined : runId);
      console.log(`removed ${r.containers} container(s) and ${r.networks} network(s)`);
    });
  return cmd;
}
