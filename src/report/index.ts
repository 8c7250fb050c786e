// Every rendering of a run folder, from its journal alone: report.json, report.md, report.html,
// junit.xml, and SHA256SUMS over every file; and the verification an auditor runs later.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { anchorOf, JournalAnchor, readJournal } from "../journal/journal";
import { buildReport, DrillReport } from "../journal/result";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { journalOf } from "./folder";
import { artifactsOf, buildModel, listFiles, RENDERED, sha256File } from "./model";

export { verifyReportDir, type VerifyReport } from "./verify";

export type ReportFormat = "json" | "md" | "html" | "junit";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "md", "html", "junit"];
const FILE_OF: Record<ReportFormat, string> = { json: "report.json", md: "report.md", html: "report.html", junit: "junit.xml" };

/** report.json: the report, and the journal's tail as it was when the run ended. */
export type ReportFile = DrillReport & { readonly journal: JournalAnchor };

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

/** Renders the given formats (default all) into `dir`, then SHA256SUMS. Deterministic. */
export async function writeReports(dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<DrillReport> {
  const journal = journalOf(dir);
  const events = readJournal(journal);
  const report = buildReport(events);
  const anchored: ReportFile = { ...report, journal: anchorIn(dir) ?? anchorOf(journal) };
  if (formats.includes("json")) writeFileSync(join(dir, FILE_OF.json), JSON.stringify(anchored, null, 2) + "\n");
  // report.json is evidence too: hash it before the human renderings list the artifacts.
  const model = buildModel(events, artifactsOf(dir));
  if (formats.includes("junit")) writeFileSync(join(dir, FILE_OF.junit), renderJunit(model));
  const md = renderMarkdown(model);
  if (formats.includes("md")) writeFileSync(join(dir, FILE_OF.md), md);
  if (formats.includes("html")) writeFileSync(join(dir, FILE_OF.html), await renderHtml(model, md));
  writeSums(dir);
  return report;
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
