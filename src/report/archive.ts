// One file to keep for years: a run folder packed as <dir>.tar.gz, and read back for verification.
// The archive is deterministic (entries sorted, modes 0644/0755, owner 0, every mtime the run's
// start, gzip header without a time or an OS): the same folder gives the same SHA-256, so the hash
// printed at packing time identifies the evidence in a ticket or an audit file.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as tarStream from "tar-stream";
import * as tar from "tar";
import { readJournal } from "../journal";
import { journalOf, ReportDirError } from "./folder";

export const ARCHIVE_SUFFIX = ".tar.gz";

export const isArchive = (path: string) => /\.(tar\.gz|tgz)$/i.test(path) && existsSync(path) && statSync(path).isFile();

export interface PackResult {
  readonly archive: string;
  readonly sha256: string;
  readonly files: number;
  readonly bytes: number;
}

/** Every directory and file under `dir`, relative, sorted by byte order (directories before what they hold). */
function entries(dir: string): Array<{ path: string; dir: boolean }> {
  const out: Array<{ path: string; dir: boolean }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      // A symlink in a run folder would point at evidence outside it: statSync follows it, so its content is packed.
      if (st.isDirectory()) {
        out.push({ path: relative(dir, p), dir: true });
        walk(p);
      } else if (st.isFile()) out.push({ path: relative(dir, p), dir: false });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The run's start (from its journal) as every entry's mtime: fixed for the folder, and meaningful. */
function runStart(dir: string): Date {
  const start = readJournal(journalOf(dir)).find((e) => e.type === "run-start");
  const t = start ? Date.parse(start.ts) : NaN;
  // Whole seconds: a tar header holds no more.
  return new Date(Number.isFinite(t) ? Math.floor(t / 1000) * 1000 : 0);
}

/** Packs `dir` into `out` (default `<dir>.tar.gz`), under one top folder named like `dir`. */
export async function packRunFolder(dir: string, out = `${resolve(dir).replace(/\/+$/, "")}${ARCHIVE_SUFFIX}`): Promise<PackResult> {
  const root = resolve(dir);
  const top = basename(root);
  const mtime = runStart(root);
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((ok, fail) => {
    pack.on("data", (c: unknown) => chunks.push(c as Buffer));
    pack.on("end", ok);
    pack.on("error", fail);
  });
  const owner = { uid: 0, gid: 0, uname: "", gname: "", mtime };
  let files = 0;
  pack.entry({ name: `${top}/`, type: "directory", mode: 0o755, ...owner });
  for (const e of entries(root)) {
    if (e.dir) pack.entry({ name: `${top}/${e.path}/`, type: "directory", mode: 0o755, ...owner });
    else {
      pack.entry({ name: `${top}/${e.path}`, type: "file", mode: 0o644, ...owner }, readFileSync(join(root, e.path)));
      files++;
    }
  }
  pack.finalize();
  await done;
  const gz = gzipSync(Buffer.concat(chunks), { level: 9 });
  // RFC 1952: byte 9 is the OS that wrote the file; 255 "unknown" keeps the bytes the same on every OS.
  gz[9] = 255;
  writeFileSync(out, gz);
  return { archive: out, sha256: createHash("sha256").update(gz).digest("hex"), files, bytes: gz.length };
}

export interface Unpacked {
  /** The run folder inside the extracted copy. */
  readonly dir: string;
  /** Entries refused (links, devices, paths leaving the folder): each a problem for verification. */
  readonly refused: readonly string[];
  readonly sha256: string;
  /** Removes the extracted copy. */
  cleanup(): void;
}

/**
 * Extracts an archive into a fresh temporary folder, refusing anything but plain files and folders.
 * Synchronous, so `verifyReportDir` takes a folder or an archive alike.
 */
export function unpackArchive(path: string): Unpacked {
  const bytes = readFileSync(path);
  const into = mkdtempSync(join(tmpdir(), "zkdrill-verify-"));
  const refused: string[] = [];
  const cleanup = () => rmSync(into, { recursive: true, force: true });
  try {
    tar.x({
      file: path,
      cwd: into,
      sync: true,
      // A path leaving the folder (absolute, ..) is not extracted, and is a problem of the archive.
      onwarn: (code, message) => refused.push(`${message} (${code})`),
      // Written as found, never chowned: the copy is only read.
      preserveOwner: false,
      filter: (p, entry) => {
        const type = "type" in entry ? String(entry.type) : "File";
        const ok = type === "File" || type === "OldFile" || type === "Directory";
        if (!ok) refused.push(`${p}: a ${type} entry; a run folder holds only files and folders`);
        return ok;
      },
    });
  } catch (err) {
    cleanup();
    throw new ReportDirError(`${path} is not a readable .tar.gz (${(err as Error).message}); give an archive \`zkdrill report pack\` wrote, or a run folder`);
  }
  const top = readdirSync(into);
  const dir = existsSync(join(into, "journal.jsonl")) ? into : top.length === 1 && statSync(join(into, top[0])).isDirectory() ? join(into, top[0]) : null;
  if (!dir || !existsSync(join(dir, "journal.jsonl"))) {
    cleanup();
    throw new ReportDirError(`${path} holds no run folder (expected one folder with journal.jsonl at the top, found ${top.join(", ") || "nothing"}); give an archive \`zkdrill report pack\` wrote`);
  }
  return { dir, refused, sha256: createHash("sha256").update(bytes).digest("hex"), cleanup };
}
