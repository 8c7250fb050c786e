// Images from package registries only: Debian's archive, Maven Central, the Go module proxy, each
// from wherever this machine's own configuration points (apt sources, ~/.m2/settings.xml, `go env`).
// Each built image carries the hash of its recipe; a build is skipped while the hash matches.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allSettledOrThrow, exec } from "../common";
import { checkZookeeperVersion, TOXIPROXY_GO_MODULE, TOXIPROXY_VERSION, toxiproxyImageNames, zookeeperImageNames } from "./catalog";
import { elfInterpreter } from "./elf";
import { hashOf, recipeFile, zookeeperRecipe } from "./recipe";
import { cacheDir, dockerBuild, EnsureOptions, ensureOfficialOrBuilt, ImageRef, inspect, niced, stage } from "./steps";

export type { EnsureOptions, ImageRef, Progress } from "./steps";
export { ensureBase, RECIPE_LABEL } from "./steps";
export { ensureKafkaImage, type KafkaImageRef } from "./kafka";
export { kafkaLogConfigs, zookeeperLogConfigs } from "./recipe";

/** `zookeeper:<v>` when present or pullable, else `zkdrill/zookeeper:<v>` built from Maven Central's jars. */
export async function ensureZookeeperImage(version: string, opts: EnsureOptions = {}): Promise<ImageRef> {
  const recipe = zookeeperRecipe(version);
  return ensureOfficialOrBuilt(zookeeperImageNames(version).official, recipe, opts);
}

/** The part of Toxiproxy's accept loop that zkdrill replaces (recipes/toxiproxy/zkdrill_dial.go says why). */
const TOXIPROXY_ACCEPT_TAIL = `		upstream, err := net.Dial("tcp", proxy.Upstream)`;

/** Toxiproxy's module source, patched: the dial retry of recipes/toxiproxy/zkdrill_dial.go. */
export function patchToxiproxySource(proxyGo: string): string {
  const at = proxyGo.indexOf(TOXIPROXY_ACCEPT_TAIL);
  const end = proxyGo.indexOf("\nfunc (proxy *Proxy) RemoveConnection");
  if (at < 0 || end < 0) {
    throw new Error(`Toxiproxy ${TOXIPROXY_VERSION}'s proxy.go no longer has the accept loop zkdrill patches; update recipes/toxiproxy for this version`);
  }
  return proxyGo.slice(0, at) + recipeFile("toxiproxy", "proxy-accept.go.txt") + proxyGo.slice(end);
}

/** Static (CGO off, linked by Go itself) and without debug sections: the image holds this file alone. */
const GO_BUILD_FLAGS = ["-trimpath", "-ldflags=-s -w"];

/** Toxiproxy's recipe hash. No base image in it: the image is FROM scratch (recipes/toxiproxy/Dockerfile). */
export function toxiproxyRecipe(read: typeof recipeFile = recipeFile): string {
  const patch = [read("toxiproxy", "zkdrill_dial.go"), read("toxiproxy", "proxy-accept.go.txt")];
  return hashOf("toxiproxy-v3", TOXIPROXY_GO_MODULE, TOXIPROXY_VERSION, ...GO_BUILD_FLAGS, read("toxiproxy", "Dockerfile"), ...patch);
}

/**
 * zkdrill's Toxiproxy: the released module, built with `go build` (static, CGO off) after one
 * patch (zkdrill_dial.go). Never the official image: it lacks that patch. Nothing runs inside a gateway
 * but the server (the harness only calls its HTTP API), so the image is that one file FROM scratch, and
 * its build needs no base image: it runs beside the base's debootstrap, not after it.
 */
export async function ensureToxiproxyImage(opts: EnsureOptions = {}): Promise<ImageRef> {
  const names = toxiproxyImageNames();
  const progress = opts.progress ?? (() => {});
  const dockerfile = recipeFile("toxiproxy", "Dockerfile");
  const recipe = toxiproxyRecipe();
  const existing = await inspect(names.built);
  if (existing?.recipe === recipe) return { name: names.built, kind: "built", id: existing.id };

  mkdirSync(cacheDir(), { recursive: true });
  const ctx = mkdtempSync(join(cacheDir(), "toxiproxy-context-"));
  try {
    writeFileSync(join(ctx, "Dockerfile"), dockerfile);
    const module = TOXIPROXY_GO_MODULE.replace(/\/cmd\/server$/, "");
    const goEnv = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
    const failed = (err: unknown) => new Error(`building Toxiproxy's server failed; is Go installed and the Go module proxy reachable?\n${(err as Error).message}`);
    const src = join(ctx, "src");
    await stage(progress, `${names.built}: go mod download ${module}@v${TOXIPROXY_VERSION}, patch, go build`, async () => {
      const dl = await exec("go", ["mod", "download", "-json", `${module}@v${TOXIPROXY_VERSION}`], { timeoutMs: 10 * 60_000, env: goEnv, cwd: ctx }).catch((err) => {
        throw failed(err);
      });
      const dir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir;
      if (!dir) throw new Error(`go mod download gave no source folder for ${module}: ${dl.stdout.slice(0, 300)}`);
      cpSync(dir, src, { recursive: true });
      makeWritable(src);
      writeFileSync(join(src, "proxy.go"), patchToxiproxySource(readFileSync(join(src, "proxy.go"), "utf8")));
      writeFileSync(join(src, "zkdrill_dial.go"), recipeFile("toxiproxy", "zkdrill_dial.go"));
      await exec(...niced("go", ["build", ...GO_BUILD_FLAGS, "-o", join(ctx, "toxiproxy-server"), "./cmd/server"]), { timeoutMs: 15 * 60_000, env: goEnv, cwd: src }).catch((err) => {
        throw failed(err);
      });
    });
    rmSync(src, { recursive: true, force: true });
    const loader = elfInterpreter(readFileSync(join(ctx, "toxiproxy-server")));
    if (loader !== undefined) {
      throw new Error(`Toxiproxy's server was linked against ${loader}, which its image (FROM scratch) lacks; is CGO forced on in this machine's Go env (go env CGO_ENABLED)?`);
    }
    return await dockerBuild(names.built, recipe, ctx, undefined, progress);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The module cache is read-only; the copy we patch must not be. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

export interface DrillImages {
  readonly zookeeper: ImageRef;
  readonly toxiproxy: ImageRef;
}

/** Side by side: ZooKeeper's base and jars beside Toxiproxy's go build; neither waits for the other. */
export async function ensureImages(zkVersion: string, opts: EnsureOptions = {}): Promise<DrillImages> {
  checkZookeeperVersion(zkVersion);
  const zookeeper = ensureZookeeperImage(zkVersion, opts);
  const toxiproxy = ensureToxiproxyImage(opts);
  await allSettledOrThrow<unknown>([zookeeper, toxiproxy]);
  return { zookeeper: await zookeeper, toxiproxy: await toxiproxy };
}
