// Images from package registries only: Debian's archive, Maven Central, the Go module proxy.
// Each built image carries the hash of its recipe; a build is skipped while the hash matches.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { exec } from "../common/exec";
import { docker } from "../docker/engine";
import {
  BASE_IMAGE,
  BASE_PACKAGES,
  checkZookeeperVersion,
  TOXIPROXY_GO_MODULE,
  TOXIPROXY_VERSION,
  toxiproxyImageNames,
  zookeeperImageNames,
} from "./catalog";

export const RECIPE_LABEL = "zkdrill.recipe";
const RECIPES = join(__dirname, "recipes");

export interface ImageRef {
  readonly name: string;
  readonly kind: "official" | "built";
  /** The image id (sha256:...), for the audit header. */
  readonly id: string;
}

export type Progress = (line: string) => void;

export interface EnsureOptions {
  /** Try `docker pull` of the official image before building (off when ZKDRILL_OFFLINE=1). */
  readonly pull?: boolean;
  /** Build again even when an image of the same recipe is there (and do not pull). */
  readonly force?: boolean;
  readonly progress?: Progress;
}

const cacheDir = () => process.env.ZKDRILL_CACHE ?? join(homedir(), ".cache", "zkdrill");
const debianMirror = () => process.env.ZKDRILL_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
const shouldPull = (opts: EnsureOptions) => (opts.pull ?? true) && process.env.ZKDRILL_OFFLINE !== "1";

function hashOf(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

const recipeFile = (...path: string[]) => readFileSync(join(RECIPES, ...path), "utf8");

async function inspect(name: string): Promise<{ id: string; recipe?: string } | undefined> {
  try {
    const info = await docker().getImage(name).inspect();
    return { id: info.Id, recipe: info.Config?.Labels?.[RECIPE_LABEL] };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Prints a stage with elapsed seconds, and a heartbeat while a long step runs. */
async function stage<T>(progress: Progress, what: string, work: (tick: (detail: string) => void) => Promise<T>): Promise<T> {
  const start = Date.now();
  let detail = "";
  progress(`${what}...`);
  const heartbeat = setInterval(() => progress(`  ${what}: ${((Date.now() - start) / 1000).toFixed(0)} s${detail ? `, ${detail}` : ""}`), 10_000);
  try {
    const result = await work((d) => (detail = d));
    progress(`${what}: done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}

async function tryPull(name: string, opts: EnsureOptions): Promise<ImageRef | undefined> {
  const present = await inspect(name);
  if (present) return { name, kind: "official", id: present.id };
  if (!shouldPull(opts)) return undefined;
  try {
    await exec("docker", ["pull", name], { timeoutMs: 300_000 });
  } catch {
    // No registry reachable (air-gapped sites): build the equivalent instead.
    opts.progress?.(`${name}: not pullable here; building the equivalent from package registries`);
    return undefined;
  }
  const pulled = await inspect(name);
  return pulled ? { name, kind: "official", id: pulled.id } : undefined;
}

function baseRecipe(): string {
  return hashOf("base-v1", "bookworm", BASE_PACKAGES.join(","));
}

/** Debian minbase with a JRE and the network tools drills use, from Debian's archive. */
export async function ensureBase(progress: Progress = () => {}): Promise<ImageRef> {
  const recipe = baseRecipe();
  const found = await inspect(BASE_IMAGE);
  if (found?.recipe === recipe) return { name: BASE_IMAGE, kind: "built", id: found.id };
  for (const tool of ["debootstrap", "tar"]) {
    try {
      await exec("sh", ["-c", `command -v ${tool}`], { timeoutMs: 5_000 });
    } catch {
      throw new Error(`building ${BASE_IMAGE} needs ${tool}; install it (apt-get install -y ${tool}) and retry`);
    }
  }
  mkdirSync(cacheDir(), { recursive: true });
  const root = mkdtempSync(join(cacheDir(), "rootfs-"));
  try {
    await stage(progress, `${BASE_IMAGE}: debootstrap bookworm (+ ${BASE_PACKAGES.join(", ")})`, async (tick) => {
      let n = 0;
      await exec("debootstrap", ["--variant=minbase", `--include=${BASE_PACKAGES.join(",")}`, "bookworm", root, debianMirror()], {
        timeoutMs: 15 * 60_000,
        onLine: (line) => {
          n++;
          if (line.startsWith("I: ")) tick(`${n} steps, ${line.slice(3)}`);
        },
      });
    });
    await stage(progress, `${BASE_IMAGE}: docker import`, async () => {
      const tar = spawn("tar", ["--numeric-owner", "-C", root, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
      await exec("docker", ["import", "-c", "ENV LANG=C.UTF-8", "-c", `LABEL ${RECIPE_LABEL}=${recipe}`, "-", BASE_IMAGE], {
        timeoutMs: 10 * 60_000,
        input: tar.stdout!,
      });
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const built = await inspect(BASE_IMAGE);
  if (!built) throw new Error(`${BASE_IMAGE} was imported but docker does not list it`);
  return { name: BASE_IMAGE, kind: "built", id: built.id };
}

async function dockerBuild(name: string, recipe: string, context: string, base: string, progress: Progress): Promise<ImageRef> {
  await stage(progress, `${name}: docker build`, () =>
    exec("docker", ["build", "--build-arg", `BASE=${base}`, "--label", `${RECIPE_LABEL}=${recipe}`, "-t", name, context], {
      timeoutMs: 10 * 60_000,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    }),
  );
  const built = await inspect(name);
  if (!built) throw new Error(`${name} was built but docker does not list it`);
  return { name, kind: "built", id: built.id };
}

/** `zookeeper:<v>` when present or pullable, else `zkdrill/zookeeper:<v>` built from Maven Central's jars. */
export async function ensureZookeeperImage(version: string, opts: EnsureOptions = {}): Promise<ImageRef> {
  const release = checkZookeeperVersion(version);
  const names = zookeeperImageNames(version);
  const progress = opts.progress ?? (() => {});
  const baseRecipeHash = baseRecipe();
  const pom = recipeFile("zookeeper", "pom.xml.tmpl").replace("@ZOOKEEPER_VERSION@", version).replace("@LOGBACK_VERSION@", release.logback)
    .replace("@METRICS_VERSION@", release.metrics)
    .replace("@SNAPPY_VERSION@", release.snappy)
    .replace("@CLI_VERSION@", release.cli);
  const dockerfile = recipeFile("zookeeper", "Dockerfile");
  const logback = recipeFile("zookeeper", "logback.xml");
  const recipe = hashOf("zookeeper-v1", baseRecipeHash, pom, dockerfile, logback);

  const existing = await inspect(names.built);
  if (existing?.recipe === recipe && !opts.force) return { name: names.built, kind: "built", id: existing.id };
  const official = opts.force ? undefined : await tryPull(names.official, opts);
  if (official) return official;

  const base = await ensureBase(progress);
  const ctx = mkdtempSync(join(cacheDir(), "zk-context-"));
  try {
    writeFileSync(join(ctx, "pom.xml"), pom);
    writeFileSync(join(ctx, "Dockerfile"), dockerfile);
    mkdirSync(join(ctx, "conf"));
    writeFileSync(join(ctx, "conf", "logback.xml"), logback);
    await stage(progress, `${names.built}: jars from Maven Central`, () =>
      exec("mvn", ["-B", "-ntp", "dependency:copy-dependencies", "-DincludeScope=runtime", "-DoutputDirectory=lib", "-Dmdep.excludeClassifiers=linux-aarch_64,osx-aarch_64,osx-x86_64,windows-x86_64"], {
        cwd: ctx,
        timeoutMs: 15 * 60_000,
      }).catch((err) => {
        throw new Error(`resolving ZooKeeper ${version} from Maven Central failed; is mvn installed and Maven Central reachable?\n${(err as Error).message}`);
      }),
    );
    return await dockerBuild(names.built, recipe, ctx, base.name, progress);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
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

/**
 * zkdrill's Toxiproxy: the released module, built with `go build` (static, CGO off) after one
 * patch (zkdrill_dial.go). Never the official image: it lacks that patch.
 */
export async function ensureToxiproxyImage(opts: EnsureOptions = {}): Promise<ImageRef> {
  const names = toxiproxyImageNames();
  const progress = opts.progress ?? (() => {});
  const dockerfile = recipeFile("toxiproxy", "Dockerfile");
  const patch = [recipeFile("toxiproxy", "zkdrill_dial.go"), recipeFile("toxiproxy", "proxy-accept.go.txt")];
  const recipe = hashOf("toxiproxy-v2", baseRecipe(), TOXIPROXY_GO_MODULE, TOXIPROXY_VERSION, dockerfile, ...patch);
  const existing = await inspect(names.built);
  if (existing?.recipe === recipe) return { name: names.built, kind: "built", id: existing.id };

  const base = await ensureBase(progress);
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
      await exec("go", ["build", "-trimpath", "-o", join(ctx, "toxiproxy-server"), "./cmd/server"], { timeoutMs: 15 * 60_000, env: goEnv, cwd: src }).catch((err) => {
        throw failed(err);
      });
    });
    rmSync(src, { recursive: true, force: true });
    return await dockerBuild(names.built, recipe, ctx, base.name, progress);
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

export async function ensureImages(zkVersion: string, opts: EnsureOptions = {}): Promise<DrillImages> {
  checkZookeeperVersion(zkVersion);
  // One after the other: both may need the base image, and two builds would race to make it.
  const zookeeper = await ensureZookeeperImage(zkVersion, opts);
  const toxiproxy = await ensureToxiproxyImage(opts);
  return { zookeeper, toxiproxy };
}
