// The steps every image shares: look one up, pull the official one, make the Debian base, fill a
// context's jar folder with Maven and `docker build` it. Each built image carries its recipe's hash.
// Steps that need nothing of each other run side by side: the base beside the jars (and beside
// Toxiproxy's go build), each `docker build` as soon as its own inputs are there.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import { allSettledOrThrow, exec, sharedWhileInFlight } from "../common";
import { docker } from "../docker";
import { debianMirror } from "./apt-sources";
import { BASE_IMAGE, BASE_PACKAGES } from "./catalog";
import { baseRecipe, ccArgs, checkJars, ImageRecipe } from "./recipe";

export const RECIPE_LABEL = "zkdrill.recipe";

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

export const cacheDir = () => process.env.ZKDRILL_CACHE ?? join(homedir(), ".cache", "zkdrill");
const shouldPull = (opts: EnsureOptions) => (opts.pull ?? true) && process.env.ZKDRILL_OFFLINE !== "1";

export async function inspect(name: string): Promise<{ id: string; recipe?: string; size: number } | undefined> {
  try {
    const info = await docker().getImage(name).inspect();
    return { id: info.Id, recipe: info.Config?.Labels?.[RECIPE_LABEL], size: info.Size };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Prints a stage with elapsed seconds, and a heartbeat while a long step runs. */
export async function stage<T>(progress: Progress, what: string, work: (tick: (detail: string) => void) => Promise<T>): Promise<T> {
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

/**
 * Work off the critical path (Toxiproxy's go build, Maven) yields the CPU to the base image's debootstrap,
 * the longest chain on a 2-core machine. `nice` is coreutils' (and macOS's): it is there wherever the rest is.
 */
export const niced = (cmd: string, args: readonly string[]): [string, string[]] => ["nice", ["-n", "10", cmd, ...args]];

async function tryPull(name: string, opts: EnsureOptions): Promise<ImageRef | undefined> {
  const present = await inspect(name);
  if (present) return { name, kind: "official", id: present.id };
  if (!shouldPull(opts)) return undefined;
  const started = Date.now();
  try {
    await exec("docker", ["pull", name], { timeoutMs: 300_000 });
  } catch {
    // No registry reachable (air-gapped sites): build the equivalent instead. Timed: a registry that
    // does not answer costs this long on every machine without ZKDRILL_OFFLINE=1.
    opts.progress?.(`${name}: docker pull: failed in ${((Date.now() - started) / 1000).toFixed(1)} s (not pullable here); building the equivalent from package registries`);
    return undefined;
  }
  const pulled = await inspect(name);
  return pulled ? { name, kind: "official", id: pulled.id } : undefined;
}

/**
 * Debian minbase with a JRE and the network tools drills use, from the Debian archive apt uses here.
 * Made once per process: every image built on it while it is being made awaits that one debootstrap.
 */
export const ensureBase: (progress?: Progress) => Promise<ImageRef> = sharedWhileInFlight((progress: Progress = () => {}) => makeBase(progress));

async function makeBase(progress: Progress): Promise<ImageRef> {
  const recipe = baseRecipe();
  const found = await inspect(BASE_IMAGE);
  if (found?.recipe === recipe) return { name: BASE_IMAGE, kind: "built", id: found.id };
  // Before anything slow: a machine with no Debian source must say so, not fail half-way.
  const mirror = debianMirror();
  for (const tool of ["debootstrap", "tar"]) {
    try {
      await exec("sh", ["-c", `command -v ${tool}`], { timeoutMs: 5_000 });
    } catch {
      throw new Error(`building ${BASE_IMAGE} needs ${tool}; install it (apt-get install -y ${tool}) and retry`);
    }
  }
  mkdirSync(cacheDir(), { recursive: true });
  const root = mkdtempSync(join(cacheDir(), "rootfs-"));
  // dpkg in the new root skips its fsync after every file (as Docker's own Debian images are built): a
  // crash mid-build loses only this folder. Removed before the import, so the image is the same.
  const unsafeIo = join(root, "etc", "dpkg", "dpkg.cfg.d", "zkdrill-unsafe-io");
  mkdirSync(dirname(unsafeIo), { recursive: true });
  writeFileSync(unsafeIo, "force-unsafe-io\n");
  try {
    await stage(progress, `${BASE_IMAGE}: debootstrap bookworm from ${mirror} (+ ${BASE_PACKAGES.join(", ")})`, async (tick) => {
      let n = 0;
      await exec("debootstrap", ["--variant=minbase", `--include=${BASE_PACKAGES.join(",")}`, "bookworm", root, mirror], {
        timeoutMs: 15 * 60_000,
        onLine: (line) => {
          n++;
          if (line.startsWith("I: ")) tick(`${n} steps, ${line.slice(3)}`);
        },
      }).catch((err) => {
        throw new Error(`debootstrap from ${mirror} failed; if that mirror is wrong or unreachable, set ZKDRILL_DEBIAN_MIRROR\n${(err as Error).message}`);
      });
    });
    rmSync(unsafeIo);
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

/** `base`: the image the Dockerfile's `FROM ${BASE}` names; none for a Dockerfile FROM scratch. */
export async function dockerBuild(name: string, recipe: string, context: string, base: string | undefined, progress: Progress): Promise<ImageRef> {
  const baseArg = base === undefined ? [] : ["--build-arg", `BASE=${base}`];
  await stage(progress, `${name}: docker build`, () =>
    exec("docker", ["build", ...baseArg, "--label", `${RECIPE_LABEL}=${recipe}`, "-t", name, context], {
      timeoutMs: 10 * 60_000,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    }),
  );
  const built = await inspect(name);
  if (!built) throw new Error(`${name} was built but docker does not list it`);
  progress(`${name}: ${(built.size / 1e6).toFixed(0)} MB`);
  return { name, kind: "built", id: built.id };
}

/** One Maven at a time in a process: two writing one local repository (~/.m2/repository) can corrupt it. */
const mavenLane = pLimit(1);

/** Writes the recipe's files, lets Maven fill its jar folder beside the base being made, checks the jars, builds on the base. */
async function buildWithMaven(r: ImageRecipe, progress: Progress): Promise<ImageRef> {
  mkdirSync(cacheDir(), { recursive: true });
  const ctx = mkdtempSync(join(cacheDir(), "context-"));
  try {
    for (const [path, content] of Object.entries(r.files)) {
      mkdirSync(dirname(join(ctx, path)), { recursive: true });
      writeFileSync(join(ctx, path), content);
    }
    const base = ensureBase(progress);
    const jars = mavenLane(() => resolveJars(r, ctx, progress));
    const native = compileNative(r, ctx, progress);
    // All settled before anything is thrown: the context is not removed under a Maven still writing to it.
    await allSettledOrThrow<unknown>([base, jars, native]);
    return await dockerBuild(r.image, r.hash, ctx, (await base).name, progress);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The recipe's C sources, compiled by this machine's cc (a second or so; beside Maven and the base). */
async function compileNative(r: ImageRecipe, ctx: string, progress: Progress): Promise<void> {
  for (const lib of r.native ?? []) {
    await stage(progress, `${r.image}: cc ${lib.source}`, () =>
      exec("cc", ccArgs(lib), { cwd: ctx, timeoutMs: 120_000 }).catch((err) => {
        throw new Error(`compiling ${lib.source} for ${r.what} failed; is a C compiler installed (apt-get install -y gcc libc6-dev; bash scripts/setup.sh does it)?\n${(err as Error).message}`);
      }),
    );
  }
}

async function resolveJars(r: ImageRecipe, ctx: string, progress: Progress): Promise<void> {
  await stage(progress, `${r.image}: jars from Maven`, () =>
    exec(...niced("mvn", r.mavenArgs), { cwd: ctx, timeoutMs: 15 * 60_000 }).catch((err) => {
      throw new Error(`resolving ${r.what}'s jars with Maven failed; is mvn installed, and Maven Central (or the mirror in ~/.m2/settings.xml) reachable?\n${(err as Error).message}`);
    }),
  );
  const jars = readdirSync(join(ctx, r.jarsDir));
  checkJars(r.what, jars, r.required);
  progress(`${r.image}: ${jars.length} jars`);
}

/**
 * The built image while its recipe matches; else the official one when present or pullable; else
 * built from the recipe. `force` rebuilds and skips the official image.
 */
export async function ensureOfficialOrBuilt(official: string, r: ImageRecipe, opts: EnsureOptions): Promise<ImageRef> {
  const existing = await inspect(r.image);
  if (existing?.recipe === r.hash && !opts.force) return { name: r.image, kind: "built", id: existing.id };
  const pulled = opts.force ? undefined : await tryPull(official, opts);
  if (pulled) return pulled;
  return buildWithMaven(r, opts.progress ?? (() => {}));
}
