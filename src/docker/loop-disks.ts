// Disks of their own for a member's dataLogDir: an ext4 image of a set size on the host, loop-mounted
// under DISKS_ROOT/<run id>/<name> and bind-mounted into the member, so that it can fill ("No space
// left on device") and keep its data across restarts, as a real disk does. These are host objects,
// not Docker's: the run's folder carries its owner, and the reaper removes them with the run's
// containers (reap) or as stale runs (reapStale).
import { execFile } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ownerId } from "./owner";

const run = promisify(execFile);

/** Where runs keep their disks (an environment variable moves it). */
export const DISKS_ROOT = process.env.ZKDRILL_DISKS_DIR ?? "/var/tmp/zkdrill-disks";

export class DiskError extends Error {
  override name = "DiskError";
}

const FILL_FILE = "zkdrill-fill";
const MiB = 1024 * 1024;

function runDir(runId: string): string {
  return join(DISKS_ROOT, runId);
}

/** The folder a disk of the run is mounted at. */
export function diskPath(runId: string, name: string): string {
  return join(runDir(runId), name);
}

async function sh(cmd: string, args: readonly string[]): Promise<string> {
  try {
    return (await run(cmd, [...args], { timeout: 60_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new DiskError(`${cmd} ${args.join(" ")} failed: ${(e.stderr || e.message).trim()}`);
  }
}

async function mounted(dir: string): Promise<boolean> {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[1] === dir);
}

/**
 * A disk of `sizeMb` for `name` of run `runId`, mounted and ready; the same one again when it exists
 * (a member replaced by another version keeps its disk). Returns the folder to bind-mount.
 */
export async function ensureDisk(runId: string, name: string, sizeMb: number, keep = false): Promise<string> {
  if (process.getuid?.() !== 0) {
    throw new DiskError(`a member with datalogMb needs a filesystem of its own, which only root can mount (losetup); run zkdrill as root (CI uses sudo), or leave datalogMb out of the topology`);
  }
  const base = runDir(runId);
  const dir = diskPath(runId, name);
  const image = `${dir}.img`;
  if (await mounted(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(base, "owner"), `${ownerId()}\n${keep ? "keep\n" : ""}`);
  if (!existsSync(image)) {
    await sh("truncate", ["-s", `${sizeMb}M`, image]);
    // No reserved blocks: the whole size is the member's, so "full" means full for ZooKeeper too.
    await sh("mkfs.ext4", ["-q", "-F", "-m", "0", "-L", name.slice(0, 16), image]);
  }
  await sh("mount", ["-o", "loop,nosuid,nodev", image, dir]);
  return dir;
}

/** The run's disks unmounted and deleted (the containers using them must be gone). Returns how many. */
export async function removeDisks(runId: string): Promise<number> {
  const base = runDir(runId);
  if (!existsSync(base)) return 0;
  let n = 0;
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(base, entry.name);
    if (await mounted(dir)) {
      // Lazy when still busy (a container the engine has not let go of yet): the loop device goes when it is free.
      await sh("umount", [dir]).catch(() => sh("umount", ["-l", dir]));
    }
    n++;
  }
  rmSync(base, { recursive: true, force: true });
  return n;
}

/** Runs with disks on this host, with their owner (host:pid:start) and whether they were kept on purpose. */
export function diskRuns(): Array<{ runId: string; owner: string; keep: boolean }> {
  if (!existsSync(DISKS_ROOT)) return [];
  return readdirSync(DISKS_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const ownerFile = join(DISKS_ROOT, e.name, "owner");
      const lines = existsSync(ownerFile) ? readFileSync(ownerFile, "utf8").split("\n") : [""];
      return { runId: e.name, owner: lines[0], keep: lines.includes("keep") };
    });
}

export interface DiskUsage {
  readonly sizeBytes: number;
  readonly freeBytes: number;
}

export function diskUsage(dir: string): DiskUsage {
  const s = statfsSync(dir);
  return { sizeBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/**
 * Fills the disk to the last byte with one file, as a runaway log on the same disk would; bounded by
 * the disk's size. Returns what was written and what is left (0 when full).
 */
export function fillDisk(dir: string): { writtenBytes: number; freeBytes: number } {
  const chunk = Buffer.alloc(MiB);
  const fd = openSync(join(dir, FILL_FILE), "a");
  let written = 0;
  const limit = diskUsage(dir).sizeBytes + MiB;
  try {
    for (let size = MiB; written < limit; ) {
      try {
        written += writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
        // The last blocks: smaller writes until not even one byte fits.
        if (size === 1) break;
        size = Math.max(1, Math.floor(size / 16));
      }
    }
  } finally {
    closeSync(fd);
  }
  return { writtenBytes: written, freeBytes: diskUsage(dir).freeBytes };
}

/** The fill file removed: the disk has its room again. Returns the bytes freed. */
export function freeDisk(dir: string): number {
  const before = diskUsage(dir).freeBytes;
  rmSync(join(dir, FILL_FILE), { force: true });
  return diskUsage(dir).freeBytes - before;
}
