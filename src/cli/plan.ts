import { Command } from "commander";
import { analyse, loadTopology, renderPlan, resolveTopologyPath } from "../topology";

export function planCommand(): Command {
  return new Command("plan")
    .description("show which zone, region and zone-pair losses a topology survives (no containers start)")
    .argument("<topology>", "a topology file, or the name of a catalog topology (drills/topologies)")
    .option("--json", "print the analysis as JSON")
    .action((ref: string, opts: { json?: boolean }) => {
      const t = loadTopology(resolveTopologyPath(ref));
      const s = analyse(t);
      process.stdout.write(opts.json ? JSON.stringify({ topology: t, survivability: s }, null, 2) + "\n" : renderPlan(t, s));
    });
}
