import { Command } from "commander";
import { checkEngine, reap, reapStale } from "../docker";
import { EXIT } from "./errors";

export function downCommand(): Command {
  const cmd: Command = new Command("down")
    .description("remove the containers and networks of a run (--all: of every zkdrill run)")
    .argument("[run-id]", "the run to remove")
    .option("--all", "remove everything labelled zkdrill.run")
    .option("--stale", "remove only runs whose owning process is gone (killed, crashed); never a live run, nor one kept on purpose")
    .action(async (runId: string | undefined, opts: { all?: boolean; stale?: boolean }) => {
      if (opts.stale && !runId && !opts.all) {
        await checkEngine();
        const removed = await removeStaleRuns();
        if (removed === 0) console.log("no stale run: every labelled run belongs to a live process, is kept on purpose, or is another host's");
        return;
      }
      if (!runId && !opts.all) {
        // A usage mistake commander cannot see (either form will do): told as commander tells its own, with this help.
        cmd.error("error: say which run to remove (zkdrill down <run-id>), the stale ones (zkdrill down --stale) or all (zkdrill down --all)", { exitCode: EXIT.badInput, code: "zkdrill.usage" });
      }
      await checkEngine();
      const r = await reap(opts.all ? undefined : runId);
      console.log(`removed ${r.containers} container(s) and ${r.networks} network(s)`);
      for (const host of r.unreachable) console.error(`zkdrill: host ${host} did not answer; it may still hold containers of ${runId ?? "these runs"}: run zkdrill down again once it answers`);
    });
  return cmd;
}

/** Removes runs whose owner is gone (the next run or up does this first), saying what it removed. */
export async function removeStaleRuns(): Promise<number> {
  const stale = await reapStale();
  for (const s of stale) console.error(`zkdrill: removed stale run ${s.runId} (owner ${s.owner} is gone): ${s.containers} container(s), ${s.networks} network(s)`);
  return stale.length;
}
