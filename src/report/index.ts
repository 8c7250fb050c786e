// Every rendering of a run folder, from its journal alone: report.json, report.md, report.html,
// junit.xml, and SHA256SUMS over every file; and the verification an auditor runs later.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readJournal, verifyJournal } from "../drill/journal";
import { buildReport, DrillReport } from "../drill/result";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { artifactsOf, buildModel, listFiles, sha256File } from "./model";

export type ReportFormat = "json" | "md" | "html" | "junit";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "md", "html", "junit"];
const FILE_OF: Record<ReportFormat, string> = { json: "report.json", md: "report.md", html: "report.html", junit: "junit.xml" };

export class ReportDirError extends Error {
  override name = "ReportDirError";
}

function journalOf(dir: string): string {
  const path = join(dir, "journal.jsonl");
  if (!existsSync(path)) throw new ReportDirError(`${dir} has no journal.jsonl; give the folder a drill run wrote (reports/<drill>-<UTC>/)`);
  return path;
}

/** Renders the given formats (default all) into `dir`, then rewrites SHA256SUMS. Deterministic. */
export async function writeReports(dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<DrillReport> {
  const events = readJournal(journalOf(dir));
  const report = buildReport(events);
  if (formats.includes("json")) writeFileSync(join(dir, FILE_OF.json), JSON.stringify(report, null, 2) + "\n");
  // report.json is evidence too: hash it before the human renderings list the artifacts.
  const model = buildModel(events, artifactsOf(dir));
  if (formats.includes("junit")) writeFileSync(join(dir, FILE_OF.junit), renderJunit(model));
  const md = renderMarkdown(model);
  if (formats.includes("md")) writeFileSync(join(dir, FILE_OF.md), md);
  if (formats.includes("html")) writeFileSync(join(dir, FILE_OF.html), await renderHtml(model, md));
  writeSums(dir);
  return report;
}

function writeSums(dir: string): void {
  const lines = listFiles(dir, ["SHA256SUMS"]).map((f) => `${sha256File(join(dir, f))}  ${f}`);
  writeFileSync(join(dir, "SHA256SUMS"), lines.join("\n") + "\n");
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly journalLines: number;
  readonly filesChecked: number;
}

/** The journal's hash chain, and every file against SHA256SUMS (none missing, none added). */
export function verifyReportDir(dir: string): VerifyReport {
  const problems: string[] = [];
  const j = verifyJournal(journalOf(dir));
  if (!j.ok) problems.push(`journal.jsonl: ${j.problem}`);
  const sumsPath = join(dir, "SHA256SUMS");
  let filesChecked = 0;
  if (!existsSync(sumsPath)) problems.push("SHA256SUMS is missing; re-render with `zkdrill report <dir>` only if you trust the folder");
  else {
    const listed = new Map<string, string>();
    for (const line of readFileSync(sumsPath, "utf8").split("\n").filter(Boolean)) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!m) problems.push(`SHA256SUMS: unreadable line ${JSON.stringify(line)}`);
      else listed.set(m[2], m[1]);
    }
    for (const f of listFiles(dir, ["SHA256SUMS"])) {
      const want = listed.get(f);
      if (!want) problems.push(`${f}: not in SHA256SUMS (added after the run)`);
      else if (sha256File(join(dir, f)) !== want) problems.push(`${f}: SHA-256 differs from SHA256SUMS (changed after the run)`);
      else filesChecked++;
      listed.delete(f);
    }
    for (const f of listed.keys()) problems.push(`${f}: listed in SHA256SUMS but missing`);
  }
  return { ok: problems.length === 0, problems, journalLines: j.lines, filesChecked };
}
