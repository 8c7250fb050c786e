// `zkdrill report verify`: the run folder proves itself. The journal's chain and its tail (anchored in
// report.json and SHA256SUMS); the history against the journal's anchors; every file against
// SHA256SUMS; every check and recovery figure recomputed from the recorded evidence; report.json (and
// its DR test record) recomputed from the journal. A folder or its .tar.gz archive alike.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { analyseRecorded, analyseRun, samplesOf, judge } from "../checks";
import { readOperations, verifyHistory, operations, type HistoryAnchor, type HistoryEvent, type RecordedHistory } from "../history";
import { anchorOf, readJournal, verifyJournal } from "../journal";
import { buildReport } from "./verdict";
import { isArchive, unpackArchive } from "./archive";
import { journalOf } from "./folder";
import { listFiles, sha256File } from "./model";
import { buildRecord } from "./record";

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Differences that do not change a verdict (a check's wording in another zkdrill version). */
  readonly notes: readonly string[];
  readonly journalLines: number;
  readonly filesChecked: number;
  readonly checksRecomputed: number;
  /** When an archive was verified: its SHA-256 (the figure `zkdrill report pack` printed). */
  readonly archiveSha256?: string;
}

/** A run folder, or its archive (`zkdrill report pack`): extracted to a temporary folder, verified there, removed. */
export function verifyReportDir(path: string): VerifyReport {
  if (!isArchive(path)) return verifyFolder(path);
  const u = unpackArchive(path);
  try {
    const v = verifyFolder(u.dir);
    // Problems name the archive, not the temporary copy they were found in.
    const problems = [...u.refused.map((r) => `archive: ${r}`), ...v.problems].map((p) => p.split(u.dir).join(`${path} (extracted)`));
    return { ...v, ok: problems.length === 0, problems, archiveSha256: u.sha256 };
  } finally {
    u.cleanup();
  }
}

function verifyFolder(dir: string): VerifyReport {
  const problems: string[] = [];
  const notes: string[] = [];
  const journal = journalOf(dir);
  const j = verifyJournal(journal);
  if (!j.ok) problems.push(`journal.jsonl: ${j.problem}`);
  const events = j.ok ? readJournal(journal) : [];

  // The tail: a journal cut after any line still chains, but no longer ends where the run ended.
  const reportPath = join(dir, "report.json");
  let stored: Record<string, unknown> | undefined;
  if (!existsSync(reportPath)) problems.push("report.json is missing");
  else {
    stored = JSON.parse(readFileSync(reportPath, "utf8")) as Record<string, unknown>;
    const anchor = stored.journal as { lines: number; lastHash: string } | undefined;
    const now = anchorOf(journal);
    if (!anchor) problems.push("report.json holds no journal anchor: the journal's end cannot be proven");
    else if (anchor.lines !== now.lines || anchor.lastHash !== now.lastHash) problems.push(`journal.jsonl: report.json anchors ${anchor.lines} lines ending in ${anchor.lastHash.slice(0, 12)}…, the file has ${now.lines} ending in ${now.lastHash.slice(0, 12)}…: it was cut or extended`);
  }

  const filesChecked = checkSums(dir, problems);
  let checksRecomputed = 0;
  if (events.length > 0) {
    const anchors = events.filter((e) => e.type === "history").map((e) => e.data as unknown as HistoryAnchor);
    const ended = events.some((e) => e.type === "run-end");
    problems.push(...verifyHistory(join(dir, "history.jsonl"), anchors, ended));
    try {
      checksRecomputed = recompute(events, readOperations(join(dir, "history.jsonl")), problems, notes);
    } catch (err) {
      problems.push(`the checks cannot be recomputed: ${(err as Error).message}`);
    }
    if (stored) {
      const report = buildReport(events);
      // A report.json rendered before the DR test record existed holds none: the rest must still agree.
      const legacy = !("record" in stored);
      const fresh = JSON.stringify(legacy ? { ...report, journal: stored.journal } : { ...report, record: buildRecord(events, report), journal: stored.journal });
      if (fresh !== JSON.stringify(stored)) problems.push(`report.json disagrees with the journal (status ${String(stored.status)} recorded, ${report.status} derived): re-render with \`zkdrill report ${dir}\` only if you trust the journal`);
      else if (legacy) notes.push("report.json predates the DR test record; `zkdrill report <dir>` adds it (derived from the journal)");
    }
  }
  return { ok: problems.length === 0, problems, notes, journalLines: j.lines, filesChecked, checksRecomputed };
}

export interface RecomputedCheck {
  readonly kind: string;
  readonly name: string;
  /** What the journal says. */
  readonly recorded: { readonly status: string; readonly summary: string };
  /** What the evidence says now ("unknown": a kind this version cannot judge). */
  readonly status: string;
  readonly summary: string;
}

/**
 * Every check of a run judged again from its evidence (a drill step's from its recorded input, the
 * run's end from the history and journal): what `report verify` compares with the journal, and what
 * the mutation tests judge a doctored run folder with.
 */
export function recomputeChecks(events: ReturnType<typeof readJournal>, history: readonly HistoryEvent[] | RecordedHistory): RecomputedCheck[] {
  return recomputeAll(events, history).checks;
}

/** `history`: its events, or its operations as readOperations streams them (what verify reads, once for every check). */
function recomputeAll(events: ReturnType<typeof readJournal>, history: readonly HistoryEvent[] | RecordedHistory): { checks: RecomputedCheck[]; analysis: ReturnType<typeof analyseRun> | null } {
  const fromHistory: RecordedHistory = "ops" in history ? history : { ops: operations(history), processes: history.filter((e) => e.type === "process"), lines: history.length };
  const ctx = { ops: fromHistory.ops, samples: samplesOf(events) };
  const recorded = (e: (typeof events)[number]) => ({ status: String(e.data.status), summary: String(e.data.summary) });
  const all = events.filter((e) => e.type === "check");
  const checks: RecomputedCheck[] = [];
  for (const e of all.filter((c) => c.data.auto !== true)) {
    const again = judge(String(e.data.kind), e.data.input, ctx);
    checks.push({ kind: String(e.data.kind), name: String(e.data.name), recorded: recorded(e), status: again?.status ?? "unknown", summary: again?.summary ?? `kind ${String(e.data.kind)} cannot be recomputed by this version` });
  }
  const auto = all.filter((c) => c.data.auto === true);
  if (auto.length === 0) return { checks, analysis: null };
  const cut = events.findIndex((e) => e.type === "check" && e.data.auto === true);
  const { analysis } = analyseRecorded(events.slice(0, cut), fromHistory);
  for (const e of auto) {
    const again = analysis.checks.find((c) => c.kind === e.data.kind);
    checks.push({ kind: String(e.data.kind), name: String(e.data.name), recorded: recorded(e), status: again?.result.status ?? "unknown", summary: again?.result.summary ?? "not produced when the run is analysed again" });
  }
  return { checks, analysis };
}

/** Every recorded check judged again from its recorded input, and the end-of-run analysis run again. */
function recompute(events: ReturnType<typeof readJournal>, history: RecordedHistory, problems: string[], notes: string[]): number {
  const { checks, analysis } = recomputeAll(events, history);
  let n = 0;
  for (const c of checks) {
    if (c.status === "unknown") {
      problems.push(`check "${c.name}": ${c.summary}`);
      continue;
    }
    n++;
    // A different verdict is a problem; the same verdict worded otherwise (another version's wording) is a note.
    if (c.status !== c.recorded.status) problems.push(`check "${c.name}": recorded ${c.recorded.status}, recomputed ${c.status} (${c.summary})`);
    else if (c.summary !== c.recorded.summary) notes.push(`check "${c.name}": same verdict, recomputed as "${c.summary}"`);
  }
  if (analysis) figures(events, analysis, problems);
  return n;
}

/**
 * The figures the record and the history trend (RTO per fault, writes lost, RPO) are recorded in the
 * journal's "recovery" note: recomputed too, so a doctored figure cannot pass for a measured one.
 */
function figures(events: ReturnType<typeof readJournal>, a: ReturnType<typeof analyseRun>, problems: string[]): void {
  const note = events.find((e) => e.type === "note" && e.data.what === "recovery");
  if (!note) return;
  const recorded = note.data as { perFault?: Array<{ fault: string; rtoMs: number | null }>; lost?: { count: number; rpoMs: number } | null };
  const again = a.recoveries.map((r) => `${r.label}: ${r.rtoMs ?? "-"}`).join(", ");
  const was = (recorded.perFault ?? []).map((f) => `${f.fault}: ${f.rtoMs ?? "-"}`).join(", ");
  if (again !== was) problems.push(`recovery times: recorded ${was || "none"} (ms), recomputed ${again || "none"}`);
  const lost = (l: { count: number; rpoMs: number } | null | undefined) => (l ? `${l.count} lost, RPO ${l.rpoMs} ms` : "not measured");
  const fresh = a.lost ? { count: a.lost.lost.length, rpoMs: a.lost.rpoMs } : null;
  if (lost(recorded.lost) !== lost(fresh)) problems.push(`writes lost: recorded ${lost(recorded.lost)}, recomputed ${lost(fresh)}`);
}

/** Every file against SHA256SUMS: none changed, none added, none missing. */
function checkSums(dir: string, problems: string[]): number {
  const sumsPath = join(dir, "SHA256SUMS");
  if (!existsSync(sumsPath)) {
    problems.push("SHA256SUMS is missing; re-render with `zkdrill report <dir>` only if you trust the folder");
    return 0;
  }
  const listed = new Map<string, string>();
  for (const line of readFileSync(sumsPath, "utf8").split("\n").filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) problems.push(`SHA256SUMS: unreadable line ${JSON.stringify(line)}`);
    else listed.set(m[2], m[1]);
  }
  let checked = 0;
  for (const f of listFiles(dir, ["SHA256SUMS"])) {
    const want = listed.get(f);
    if (!want) problems.push(`${f}: not in SHA256SUMS (added after the run)`);
    else if (sha256File(join(dir, f)) !== want) problems.push(`${f}: SHA-256 differs from SHA256SUMS (changed after the run)`);
    else checked++;
    listed.delete(f);
  }
  for (const f of listed.keys()) problems.push(`${f}: listed in SHA256SUMS but missing`);
  return checked;
}
