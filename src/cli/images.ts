import { Command } from "commander";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION, knownImages, ZOOKEEPER_RELEASES, ensureKafkaImage, ensureToxiproxyImage, ensureZookeeperImage, ImageRef, RECIPE_LABEL } from "../images";
import { allSettledOrThrow } from "../common";
import { checkEngine, docker } from "../docker";

const log = (line: string) => console.error(`[images] ${line}`);

export function imagesCommand(): Command {
  const images = new Command("images").description("build or list the images drills run on");
  images
    .command("build")
    .description("make sure the images exist: official ones when present or pullable, else built from package registries")
    .option("--zk-version <versions...>", `ZooKeeper versions to provide, or "all" (${Object.keys(ZOOKEEPER_RELEASES).join(", ")})`, [DEFAULT_ZOOKEEPER_VERSION])
    .option("--kafka", "also provide Kafka 3.9 (apache/kafka, else zkdrill/kafka built from Maven Central)")
    .option("--no-pull", "do not try to pull official images")
    .option("--force", "build the ZooKeeper (and Kafka) images again even when their recipe has not changed")
    .action(async (opts: { zkVersion: string[]; kafka?: boolean; pull: boolean; force?: boolean }) => {
      const versions = opts.zkVersion.includes("all") ? Object.keys(ZOOKEEPER_RELEASES) : [...new Set(opts.zkVersion)];
      // Bad input is exit 2 before the engine is even asked.
      for (const v of versions) checkZookeeperVersion(v);
      await checkEngine();
      const start = Date.now();
      const notes: string[] = [];
      const timed = async (ensure: () => Promise<ImageRef>) => {
        const t = Date.now();
        const ref = await ensure();
        console.log(`${ref.name}\t${ref.kind}\t${ref.id}`);
        const info = await docker().getImage(ref.name).inspect();
        notes.push(`  ${ref.name}\t${ref.kind}\t${((Date.now() - t) / 1000).toFixed(1)} s\t${(info.Size / 1e6).toFixed(0)} MB`);
      };
      const built = { pull: opts.pull, force: opts.force, progress: log };
      // All at once: the Debian base is made once for every image on it, Maven runs one at a time, and
      // Toxiproxy's go build needs neither; each docker build starts when its own inputs are there.
      await allSettledOrThrow([
        ...versions.map((v) => timed(() => ensureZookeeperImage(v, built))),
        timed(() => ensureToxiproxyImage({ pull: opts.pull, progress: log })),
        ...(opts.kafka ? [timed(() => ensureKafkaImage(built))] : []),
      ]);
      // Each image's time is its own wall time, side by side: a built image's includes the base's when that had to be made.
      log(`all images ready in ${((Date.now() - start) / 1000).toFixed(1)} s:\n${notes.join("\n")}`);
    });
  images
    .command("list")
    .description("show which images are present, their size and recipe hash")
    .action(async () => {
      await checkEngine();
      for (const { name } of knownImages()) {
        const info = await docker().getImage(name).inspect().catch(() => undefined);
        const line = info
          ? `${name}\tpresent\t${(info.Size / 1e6).toFixed(0)} MB\t${info.Config?.Labels?.[RECIPE_LABEL] ?? "official"}\t${info.Id}`
          : `${name}\tmissing`;
        console.log(line);
      }
    });
  return images;
}
