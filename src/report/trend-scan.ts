// The runs under a reports folder, each verified: run folders (a journal.jsonl inside) and their
// archives (*.tar.gz from `zkdrill report pack`), at any depth. What does not verify is returned
// with its problems, so the trend lists it instead of dropping it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readJournal } from "../journal";
import { isArchive, unpackArchive } from "./archive";
import type { TrendInput } from "./trend";
import { bugVerdict, BugVerdict } from "./known-bug";
import { buildRecord, DrillRecord } from "./record";
import { buildReport, DrillReport } from "./verdict";
import { verifyReportDir } from "./verify";

/** Folders a reports folder holds besides runs: not searched. */
const SKIP = new Set(["node_modules", ".git", "test-artifacts", "test-logs"]);
const MAX_DEPTH = 4;

/** Every run folder and archive under `root`, sorted; a run folder's own subfolders are not searched. */
export function findRuns(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (existsSync(join(d, "journal.jsonl"))) {
      out.push(d);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (SKIP.has(name)) continue;
      if (isArchive(p)) out.push(p);
      else if (statSync(p).isDirectory()) walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** The record a verified folder holds (derived from its journal when report.json predates records), and a known-bug run's verdict. */
function recordIn(dir: string): { record: DrillRecord | null; drill?: string; knownBug?: BugVerdict } {
  const bug = (r: Parameters<typeof bugVerdict>[0]) => {
    const v = bugVerdict(r);
    return v ? { knownBug: v } : {};
  };
  try {
    const stored = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as DrillReport & { record?: DrillRecord };
    if (stored.record) return { record: stored.record, drill: stored.drill, ...bug(stored) };
  } catch {
    // No readable report.json: the journal may still name the drill.
  }
  try {
    const events = readJournal(join(dir, "journal.jsonl"));
    const report = buildReport(events);
    return { record: buildRecord(events, report), ...bug(report) };
  } catch {
    return { record: null };
  }
}

/** One run: verified, then its record read (from the extracted copy, for an archive). */
export function readRun(path: string, root: string): TrendInput {
  const source = relative(root, path) || path;
  let dir = path;
  let cleanup = () => {};
  try {
    if (isArchive(path)) {
      const u = unpackArchive(path);
      dir = u.dir;
      cleanup = u.cleanup;
      const v = verifyReportDir(dir);
      return { source, ...recordIn(dir), problems: [...u.refused, ...v.problems] };
    }
    return { source, ...recordIn(dir), problems: verifyReportDir(dir).problems };
  } catch (err) {
    return { source, record: null, problems: [(err as Error).message] };
  } finally {
    cleanup();
  }
}

/** Every run under `root`, verified; `progress` hears one line per run. */
export function scanRuns(root: string, progress: (line: string) => void = () => {}): TrendInput[] {
  return findRuns(root).map((p, i, all) => {
    const r = readRun(p, root);
    progress(`[${i + 1}/${all.length}] ${r.source}: ${r.problems.length ? `does not verify (${r.problems.length} problem(s))` : `${r.record?.drill} ${r.record?.verdict}`}`);
    return r;
  });
}
