// bench/bare: a bare machine to the first verdict, timed. The images the quickstart needs are removed, then
// in a fresh copy of this checkout (no node_modules, no dist/) under a fresh HOME (only this machine's
// registry settings copied in, every cache empty) it times `bash scripts/setup.sh` and
// `npm run drill -- quickstart-leader-failover`, each step's time read from their own lines, against the
// goal of issue 28: under 120 s on a 2-core machine.
//
// Run: npm run bench:bare -- --yes-remove-images   (without the flag: what it would remove, and nothing done)
//
// It leaves nothing behind: the copy, the HOME and their caches are removed; the drill reaps its own
// containers. The images it builds carry the names and recipe labels this checkout looks for (checked at
// the end), so the main checkout uses them as they are: the bench costs no rebuild later.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { BASE_IMAGE } from "../src/images/catalog";
import { DEFAULT_ZOOKEEPER_VERSION, toxiproxyImageNames, zookeeperImageNames } from "../src/images";
import { toxiproxyRecipe } from "../src/images/build";
import { baseRecipe, zookeeperRecipe } from "../src/images/recipe";
import { RECIPE_LABEL } from "../src/images/steps";
import { BareRun, summary } from "./bare-lines";

const ROOT = resolve(__dirname, "..");
const DRILL = "quickstart-leader-failover";
const FLAG = "--yes-remove-images";
/**
 * The images the quickstart's path builds, and the recipe label this checkout expects on each. The base
 * last: removed after the image built on it, it goes whole rather than staying as an untagged parent.
 */
const IMAGES: ReadonlyArray<{ name: string; recipe: () => string }> = [
  { name: zookeeperImageNames(DEFAULT_ZOOKEEPER_VERSION).built, recipe: () => zookeeperRecipe(DEFAULT_ZOOKEEPER_VERSION).hash },
  { name: toxiproxyImageNames().built, recipe: () => toxiproxyRecipe() },
  { name: BASE_IMAGE, recipe: baseRecipe },
];
/** Bounds: a bare setup takes about two minutes and the drill about twenty seconds. */
const SETUP_LIMIT_MS = 20 * 60_000;
const DRILL_LIMIT_MS = 10 * 60_000;

class BenchError extends Error {}

function docker(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync("docker", args, { encoding: "utf8", env, timeout: 60_000 });
  if (r.status !== 0) throw new BenchError(`docker ${args.join(" ")} failed: ${(r.stderr || r.error?.message || "").trim()}`);
  return r.stdout.trim();
}

/** The files of this checkout as they are now (tracked and untracked, less what git ignores and what was deleted). */
function checkoutFiles(): string[] {
  const git = (args: string[]) => {
    const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new BenchError(`bench/bare copies a git checkout; git ${args.join(" ")} failed in ${ROOT}: ${r.stderr.trim()}`);
    return r.stdout.split("\0").filter(Boolean);
  };
  const deleted = new Set(git(["ls-files", "-z", "--deleted"]));
  return git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).filter((f) => !deleted.has(f));
}

/**
 * A HOME with nothing in it but this machine's registry settings (Maven's mirror, npm's registry, Go's
 * proxy), and an environment whose every cache points into it: nothing warm is reused.
 */
function freshEnvironment(home: string, tmp: string): NodeJS.ProcessEnv {
  const copied: string[] = [];
  const copy = (from: string, to: string) => {
    if (!existsSync(from)) return;
    mkdirSync(dirname(join(home, to)), { recursive: true });
    cpSync(from, join(home, to));
    copied.push(to);
  };
  copy(join(homedir(), ".m2", "settings.xml"), ".m2/settings.xml");
  copy(join(homedir(), ".npmrc"), ".npmrc");
  const goEnv = spawnSync("go", ["env", "GOENV"], { encoding: "utf8" }).stdout?.trim();
  if (goEnv && goEnv !== "off") copy(goEnv, ".config/go/env");
  console.error(`[bench] fresh HOME ${home}: ${copied.length ? copied.join(", ") : "no registry settings found to copy"}`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp };
  // XDG folders and zkdrill's cache would lead back to this machine's warm caches.
  for (const k of ["XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "ZKDRILL_CACHE", "GOENV", "GOPATH", "GOMODCACHE", "GOCACHE"]) delete env[k];
  // Set outright: the copied settings may name a cache or local repository of their own.
  Object.assign(env, {
    npm_config_cache: join(home, ".npm"),
    GOPATH: join(home, "go"),
    GOMODCACHE: join(home, "go", "pkg", "mod"),
    GOCACHE: join(home, ".cache", "go-build"),
    // Java takes user.home from the password file, not HOME: Maven would read and fill the real ~/.m2.
    MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ""} -Duser.home=${home} -Dmaven.repo.local=${join(home, ".m2", "repository")}`.trim(),
  });
  // The same engine as the caller's (a docker context lives in ~/.docker): read in place, not copied.
  if (!env.DOCKER_CONFIG && existsSync(join(homedir(), ".docker"))) env.DOCKER_CONFIG = join(homedir(), ".docker");
  return env;
}

let current: { pid: number; name: string } | undefined;
let interrupted = false;

/** Runs a command in a process group of its own, its lines passed through and kept; bounded in time. */
function timed(name: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, limitMs: number) {
  return new Promise<{ ms: number; exitCode: number | null; lines: string[] }>((done, fail) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    current = { pid: child.pid!, name };
    const lines: string[] = [];
    const feed = (out: NodeJS.WriteStream) => {
      let partial = "";
      return (chunk: Buffer) => {
        out.write(chunk);
        const parts = (partial + chunk.toString("utf8")).split("\n");
        partial = parts.pop() ?? "";
        lines.push(...parts);
      };
    };
    child.stdout.on("data", feed(process.stdout));
    child.stderr.on("data", feed(process.stderr));
    const limit = setTimeout(() => {
      console.error(`[bench] ${name}: still running after ${limitMs / 60_000} min; interrupting it`);
      stop(child.pid!);
    }, limitMs);
    child.on("error", (err) => {
      clearTimeout(limit);
      fail(new BenchError(`${name}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(limit);
      current = undefined;
      done({ ms: Date.now() - started, exitCode: code, lines });
    });
  });
}

/** SIGINT to the whole group (what Ctrl-C does: setup stops its steps, the drill reaps its containers); SIGKILL 60 s later. */
function stop(pid: number): void {
  try {
    process.kill(-pid, "SIGINT");
  } catch {
    return;
  }
  setTimeout(() => {
    // Only the group still running as ours: once it closed, its number may be another's.
    if (current?.pid !== pid) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }, 60_000).unref();
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted = true;
    console.error(`[bench] ${sig}: stopping ${current?.name ?? "nothing"}, then removing what the bench made`);
    if (current) stop(current.pid);
  });
}

/** Mounts under a folder (debootstrap mounts /proc and /sys in its root, and an interrupted one may leave them). */
function mountsUnder(dir: string): string[] {
  if (!existsSync("/proc/self/mountinfo")) return [];
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** Removes the bench's folder, never through a mount left under it. */
function removeAll(dir: string): void {
  const mounts = mountsUnder(dir);
  if (mounts.length > 0) {
    console.error(`[bench] NOT removed: ${dir}, since ${mounts.join(", ")} are mounted under it; umount them, then rm -rf ${dir}`);
    process.exitCode = 1;
    return;
  }
  if (process.platform === "linux") spawnSync("rm", ["-rf", "--one-file-system", dir]);
  else rmSync(dir, { recursive: true, force: true });
  console.error(existsSync(dir) ? `[bench] could not remove ${dir}; remove it by hand` : `[bench] removed ${dir}`);
}

/** Refuses what would make the figure not a bare machine's, or touch someone else's run, before removing anything. */
function checkMachine(env: NodeJS.ProcessEnv): void {
  const here = docker(["info", "--format", "{{.ID}}"]);
  const there = docker(["info", "--format", "{{.ID}}"], env);
  if (here !== there) throw new BenchError(`the fresh HOME reaches another Docker engine (${there}, not ${here}); set DOCKER_HOST to this engine and retry`);
  const using = docker(["ps", "-a", ...IMAGES.flatMap((i) => ["--filter", `ancestor=${i.name}`]), "--format", "{{.Names}}"]);
  if (using) throw new BenchError(`containers use these images (${using.split("\n").join(", ")}): a drill runs or was kept; the bench needs the machine to itself (zkdrill down --all, when nothing runs)`);
  const official = zookeeperImageNames(DEFAULT_ZOOKEEPER_VERSION).official;
  if (docker(["images", "-q", official])) throw new BenchError(`${official} is present: setup would use it and build nothing, so the figure would not be a bare machine's; remove it (docker rmi ${official}) to bench the build`);
}

/** Whether the images now there carry the recipe labels this checkout expects: usable as they are, no rebuild. */
function checkImages(): string[] {
  return IMAGES.map((i) => {
    if (!docker(["images", "-q", i.name])) return `${i.name}: absent (an official image pulled in its place? docker images)`;
    const label = docker(["image", "inspect", "--format", `{{index .Config.Labels "${RECIPE_LABEL}"}}`, i.name]);
    return `${i.name}: ${label === i.recipe() ? "this checkout's recipe, used as it is" : `recipe ${label}, not this checkout's ${i.recipe()}: it will be rebuilt`}`;
  });
}

async function main(): Promise<void> {
  if (!process.argv.includes(FLAG)) {
    console.error(`bench/bare removes ${IMAGES.map((i) => i.name).join(", ")}, then times setup and the ${DRILL} drill from a fresh copy of this checkout under a fresh HOME.`);
    console.error(`It rebuilds them (the same names and recipes), but only when told: npm run bench:bare -- ${FLAG}`);
    process.exitCode = 2;
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "zkdrill-bare-"));
  try {
    const [home, tmp, copy] = ["home", "tmp", "zkdrill"].map((d) => join(root, d));
    for (const d of [home, tmp, copy]) mkdirSync(d, { recursive: true });
    const env = freshEnvironment(home, tmp);
    checkMachine(env);
    const files = checkoutFiles();
    for (const f of files) cpSync(join(ROOT, f), join(copy, f), { verbatimSymlinks: true });
    console.error(`[bench] copied ${files.length} files of ${ROOT} (as they are, uncommitted changes included) to ${copy}`);
    if (interrupted) throw new BenchError("interrupted before anything was removed");
    for (const i of IMAGES) {
      if (!docker(["images", "-q", i.name])) continue;
      docker(["rmi", i.name]);
      console.error(`[bench] removed ${i.name}`);
    }
    const setup = await timed("setup", "bash", ["scripts/setup.sh"], copy, env, SETUP_LIMIT_MS);
    const run = setup.exitCode === 0 && !interrupted ? await timed("drill", "npm", ["run", "drill", "--", DRILL], copy, env, DRILL_LIMIT_MS) : undefined;
    const result: BareRun = { cores: cpus().length, drill: DRILL, setup, run };
    console.log(`\n${summary(result)}`);
    if (setup.exitCode === 0) for (const line of checkImages()) console.log(`image ${line}`);
    if (setup.exitCode !== 0 || run?.exitCode !== 0) process.exitCode = 1;
  } finally {
    removeAll(root);
  }
}

main().catch((err) => {
  console.error(err instanceof BenchError ? `bench/bare: ${err.message}` : err);
  process.exitCode = process.exitCode || 2;
});
