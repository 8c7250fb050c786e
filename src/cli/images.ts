import { Command } from "commander";
import { DEFAULT_ZOOKEEPER_VERSION, toxiproxyImageNames, ZOOKEEPER_RELEASES, zookeeperImageNames } from "../images/catalog";
import { ensureToxiproxyImage, ensureZookeeperImage, RECIPE_LABEL } from "../images/build";
import { checkEngine, docker } from "../docker/engine";

const log = (line: string) => console.error(`[images] ${line}`);

export function imagesCommand(): Command {
  const images = new Command("images").description("build or list the images drills run on");
  images
    .command("build")
    .description("make sure the images exist: official ones when present or pullable, else built from package registries")
    .option("--zk-version <versions...>", "ZooKeeper versions to provide", [DEFAULT_ZOOKEEPER_VERSION])
    .option("--no-pull", "do not try to pull official images")
    .option("--force", "build the ZooKeeper images again even when their recipe has not changed")
    .action(async (opts: { zkVersion: string[]; pull: boolean; force?: boolean }) => {
      await checkEngine();
      const start = Date.now();
      for (const v of opts.zkVersion) {
        const ref = await ensureZookeeperImage(v, { pull: opts.pull, force: opts.force, progress: log });
        console.log(`${ref.name}\t${ref.kind}\t${ref.id}`);
      }
      const tp = await ensureToxiproxyImage({ pull: opts.pull, progress: log });
      console.log(`${tp.name}\t${tp.kind}\t${tp.id}`);
      log(`all images ready in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    });
  images
    .command("list")
    .description("show which images are present, their size and recipe hash")
    .action(async () => {
      await checkEngine();
      const names = [
        ...Object.keys(ZOOKEEPER_RELEASES).flatMap((v) => Object.values(zookeeperImageNames(v))),
        ...Object.values(toxiproxyImageNames()),
        "zkdrill/base:bookworm",
      ];
      for (const name of names) {
        const info = await docker().getImage(name).inspect().catch(() => undefined);
        const line = info
          ? `${name}\tpresent\t${(info.Size / 1e6).toFixed(0)} MB\t${info.Config?.Labels?.[RECIPE_LABEL] ?? "official"}\t${info.Id}`
          : `${name}\tmissing`;
        console.log(line);
      }
    });
  return images;
}
