// zkdrill report bug <dir>: a known-bug run's outcome against its version's promise. An affected
// version must show the symptom and a version carrying the fix must not; the scheduled known-bugs job
// runs a drill that fails by design on an affected version, so this, not the drill's exit code, is
// what passes or fails that job. Exit 0 as promised, 1 not, 2 on a folder that is not such a run.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { bugVerdict, DrillReport, expectationText, knownBugTitle } from "../report";
import { InputError } from "./catalog";
import { EXIT } from "./errors";

/** What `report bug` prints, and its exit code; bad input throws InputError (exit 2). */
export function judgeBugRun(dir: string): { lines: string[]; code: number } {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new InputError(`${dir} is not a folder; give a known-bug run's folder (the --report-dir of \`zkdrill run zookeeper-3830\`)`);
  const path = join(abs, "report.json");
  if (!existsSync(path)) {
    const fix = existsSync(join(abs, "journal.jsonl")) ? `render it from the journal: zkdrill report ${dir}` : "give the run folder itself (the one holding journal.jsonl and report.json)";
    throw new InputError(`${dir} holds no report.json; ${fix}`);
  }
  let report: DrillReport;
  try {
    report = JSON.parse(readFileSync(path, "utf8")) as DrillReport;
  } catch (err) {
    throw new InputError(`${path} is not JSON (${(err as Error).message}); render it again from the journal: zkdrill report ${dir}`);
  }
  if (!report || typeof report !== "object" || !Array.isArray(report.checks)) throw new InputError(`${path} is not a zkdrill report (no checks); render it again from the journal: zkdrill report ${dir}`);
  const v = bugVerdict(report);
  if (!v || !report.knownBug) throw new InputError(`${dir} is a run of ${String(report.drill)}, which names no known bug; give the folder of a known-bug drill's run (\`zkdrill list\` shows them, e.g. zookeeper-3830)`);
  const lines = [`${knownBugTitle(report.knownBug)} (${expectationText(v)})`, `evidence: ${v.evidence}`, `run: ${String(report.drill)} ${report.runId}, ${report.status}: ${report.statusReason}`];
  return { lines, code: v.asExpected ? EXIT.passed : EXIT.failed };
}
