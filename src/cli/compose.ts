// zkdrill compose <topology> [--write]: the docker compose file for a topology, from the same code.
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { readAsset } from "../runtime";
import { join } from "node:path";
import { DEFAULT_ZOOKEEPER_VERSION, zookeeperImageNames, zookeeperLogConfigs } from "../images";
import { catalogTopologies, composeFile, loadTopology, resolveTopologyPath, Topology } from "../topology";
import { DRILL_SCHEMA_FILE, drillJsonSchemaText } from "../drill/yaml/json-schema";
import { ROOT } from "./catalog";
import { EXIT } from "./errors";
import { catalogDrills, loadDrill } from "./drills";
import { bugMatrix, DRILLS_WORKFLOW, drillMatrix, drillsWorkflow } from "./workflows";

export const COMPOSE_DIR = join(ROOT, "compose");

/** The compose file for a topology, with zkdrill's default built ZooKeeper image unless another is given. */
export function composeFor(t: Topology, image = zookeeperImageNames(DEFAULT_ZOOKEEPER_VERSION).built): string {
  return composeFile(t, {
    image,
    files: { "zk-run.sh": readAsset("zk-run.sh"), "java.security": readAsset("java.security"), ...zookeeperLogConfigs() },
  });
}

export function composeCommand(): Command {
  const cmd: Command = new Command("compose")
    .description("print the docker compose file for a topology (--all --write: regenerate compose/ for the catalog)")
    .argument("[topology]", "a topology file or catalog name")
    .option("--all", "every catalog topology")
    .option("--write", "write compose/<name>.yaml instead of printing")
    .action((ref: string | undefined, opts: { all?: boolean; write?: boolean }) => {
      if (!ref && !opts.all) {
        // A usage mistake commander cannot see (either form will do): told as commander tells its own, with this help.
        cmd.error("error: give a topology (zkdrill compose <topology>) or every catalog topology (zkdrill compose --all)", { exitCode: EXIT.badInput, code: "zkdrill.usage" });
      }
      const names = opts.all ? catalogTopologies() : [ref!];
      for (const name of names) {
        const t = loadTopology(resolveTopologyPath(name));
        const text = composeFor(t);
        if (opts.write) {
          const path = join(COMPOSE_DIR, `${t.name}.yaml`);
          writeFileSync(path, text);
          console.log(`wrote ${path}`);
        } else process.stdout.write(text);
      }
    });
  return cmd;
}

/** zkdrill generate: every generated file from the code (compose/ for the catalog, the scheduled workflow). */
export function generateCommand(): Command {
  return new Command("generate")
    .description("write every generated file from the code: compose/<topology>.yaml for the catalog, .github/workflows/drills.yml and docs/drill.schema.json")
    .action(() => {
      for (const name of catalogTopologies()) {
        const t = loadTopology(resolveTopologyPath(name));
        writeFileSync(join(COMPOSE_DIR, `${t.name}.yaml`), composeFor(t));
      }
      const drills = catalogDrills().map((ref) => ({ ref, def: loadDrill(ref) }));
      writeFileSync(DRILLS_WORKFLOW, drillsWorkflow(drillMatrix(drills), bugMatrix(drills)));
      writeFileSync(DRILL_SCHEMA_FILE, drillJsonSchemaText());
      console.log(`wrote compose/ (${catalogTopologies().length} files), ${DRILLS_WORKFLOW} and ${DRILL_SCHEMA_FILE}`);
    });
}
