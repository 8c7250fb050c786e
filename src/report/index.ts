// Every rendering of a run folder, from its journal alone: report.json (with the DR test record),
// report.md, report.html, report.pdf, junit.xml, metrics.prom, and SHA256SUMS over every file; and
// the verification an auditor runs later (of the folder, or of its archive).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anchorOf, JournalAnchor, readJournal } from "../journal/journal";
import { buildReport, DrillReport } from "./verdict";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { journalOf } from "./folder";
import { artifactsOf, buildModel, listFiles, RENDERED, sha256File } from "./model";
import { renderPdf } from "./pdf";
import { renderTextfile } from "./prom";
import { buildRecord, DrillRecord } from "./record";

export { recomputeChecks, verifyReportDir, type RecomputedCheck, type VerifyReport } from "./verify";
export { packRunFolder } from "./archive";
export { DEFAULT_TEST_TYPE, loadRunFile, recordInput, type RecordInput } from "./record-input";
export { buildTrend, DEFAULT_TREND_OPTIONS, type Trend } from "./trend";
export { trendHtml, trendMarkdown, type TrendLinks } from "./trend-render";
export { scanRuns } from "./trend-scan";
export { buildReport, deriveStatus, type DrillReport, type KnownBugIssue, type KnownBugResult, type RunStatus } from "./verdict";
export { bugVerdict, expectationText, expectedOutcome, knownBugTitle, type BugOutcome, type BugVerdict } from "./known-bug";

export type ReportFormat = "json" | "md" | "html" | "pdf" | "junit" | "prom";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "md", "html", "pdf", "junit", "prom"];
const FILE_OF: Record<ReportFormat, string> = { json: "report.json", md: "report.md", html: "report.html", pdf: "report.pdf", junit: "junit.xml", prom: "metrics.prom" };

/** report.json: the report, the DR test record, and the journal's tail as it was when the run ended. */
export type ReportFile = DrillReport & { readonly record: DrillRecord; readonly journal: JournalAnchor };

export { ReportDirError } from "./folder";

/** The journal anchor report.json already holds: re-rendering never moves it. */
export function anchorIn(dir: string): JournalAnchor | undefined {
  const path = join(dir, "report.json");
  if (!existsSync(path)) return undefined;
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as Partial<ReportFile>).journal;
  } catch {
    return undefined;
  }
}

/** report.json's content for these events: one function, so rendering and verifying agree byte for byte. */
export function reportFileOf(events: Parameters<typeof buildReport>[0], journal: JournalAnchor): ReportFile {
  const report = buildReport(events);
  return { ...report, record: buildRecord(events, report), journal };
}

export interface WriteOptions {
  /** Lines a person should see (a PDF skipped and why); default: standard error. */
  readonly progress?: (line: string) => void;
}

/** Renders the given formats (default all) into `dir`, then SHA256SUMS. Deterministic. */
export async function writeReports(dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS, opts: WriteOptions = {}): Promise<DrillReport> {
  const say = opts.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const journal = journalOf(dir);
  const events = readJournal(journal);
  const anchored = reportFileOf(events, anchorIn(dir) ?? anchorOf(journal));
  if (formats.includes("json")) writeFileSync(join(dir, FILE_OF.json), JSON.stringify(anchored, null, 2) + "\n");
  // report.json is evidence too: hash it before the human renderings list the artifacts.
  const model = buildModel(events, artifactsOf(dir));
  if (formats.includes("junit")) writeFileSync(join(dir, FILE_OF.junit), renderJunit(model));
  if (formats.includes("md")) writeFileSync(join(dir, FILE_OF.md), renderMarkdown(model));
  if (formats.includes("prom")) writeFileSync(join(dir, FILE_OF.prom), renderTextfile(model.report, model.record));
  if (formats.includes("html") || formats.includes("pdf")) {
    const html = await renderHtml(model);
    if (formats.includes("html")) writeFileSync(join(dir, FILE_OF.html), html);
    if (formats.includes("pdf")) await writePdf(dir, html, model.report.startedAt, say);
  }
  writeSums(dir);
  const { journal: _anchor, record: _record, ...report } = anchored;
  return report;
}

/** The PDF is printed from the page just rendered (a copy outside the folder when only the PDF is asked for). */
async function writePdf(dir: string, html: string, stamp: string, say: (line: string) => void): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "zkdrill-print-"));
  try {
    const page = join(scratch, "report.html");
    writeFileSync(page, html);
    const out = await renderPdf(page, join(scratch, "report.pdf"), stamp);
    if (out.ok) writeFileSync(join(dir, FILE_OF.pdf), readFileSync(out.path));
    // A PDF from an earlier rendering of the same journal stays: it shows the same record.
    else say(existsSync(join(dir, FILE_OF.pdf)) ? `${out.reason} (report.pdf from an earlier rendering kept)` : out.reason);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * SHA256SUMS: the evidence files keep the hashes they had at the first rendering (a journal or
 * history edited later cannot be re-blessed by rendering again); the renderings are hashed anew.
 */
function writeSums(dir: string): void {
  const path = join(dir, "SHA256SUMS");
  const frozen = new Map<string, string>();
  if (existsSync(path)) {
    for (const line of readFileSync(path, "utf8").split("\n")) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (m && !RENDERED.includes(m[2]) && m[2] !== "report.json") frozen.set(m[2], m[1]);
    }
  }
  const first = frozen.size === 0;
  const lines = listFiles(dir, ["SHA256SUMS"])
    .filter((f) => first || frozen.has(f) || RENDERED.includes(f) || f === "report.json")
    .map((f) => `${frozen.get(f) ?? sha256File(join(dir, f))}  ${f}`);
  writeFileSync(path, lines.join("\n") + "\n");
}
