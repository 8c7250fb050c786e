// The files zkdrill puts into every member (start script, zkCli wrapper, DNS cache settings, quiet
// logging): one place for the containers, the compose files and the benches.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sourceDir } from "../common";

export const ASSETS_DIR = join(sourceDir(__dirname), "assets");

export function readAsset(name: "zk-run.sh" | "zk-cli.sh" | "java.security" | "logback-quiet.xml" | "log4j-quiet.properties"): string {
  return readFileSync(join(ASSETS_DIR, name), "utf8");
}
