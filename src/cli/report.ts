// zkdrill report <dir> [--format ...]: re-render from the journal alone; zkdrill report verify <dir>.
import { Command, Option } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { REPORT_FORMATS, ReportFormat, verifyReportDir, writeReports } from "../report";

function folder(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(abs)) {
    const err = new Error(`${dir} does not exist; give a run folder, e.g. reports/<drill>-<UTC>/`);
    err.name = "InputError";
    throw err;
  }
  return abs;
}

export function reportCommand(): Command {
  const cmd = new Command("report").description("re-render a run's reports from its journal, or verify a run folder");
  cmd
    .command("render", { isDefault: true })
    .description("write report.json, report.md, report.html, junit.xml (or one --format) and SHA256SUMS from journal.jsonl")
    .argument("<dir>", "a run folder (reports/<drill>-<UTC>/)")
    .addOption(new Option("--format <format>", "only this rendering").choices(REPORT_FORMATS as string[]))
    .action(async (dir: string, opts: { format?: ReportFormat }) => {
      const abs = folder(dir);
      const report = await writeReports(abs, opts.format ? [opts.format] : REPORT_FORMATS);
      console.log(`${report.drill}: ${report.status}; rendered ${opts.format ?? REPORT_FORMATS.join(", ")} in ${abs}`);
    });
  cmd
    .command("verify")
    .description("prove a run folder: journal chain and end, history anchors, every file's SHA-256, every check recomputed; exit 1 on any difference")
    .argument("<dir>", "a run folder")
    .action((dir: string) => {
      const v = verifyReportDir(folder(dir));
      for (const n of v.notes) console.log(`note: ${n}`);
      if (v.ok) {
        console.log(`ok: journal chain intact (${v.journalLines} lines, its end anchored), history anchored, ${v.checksRecomputed} check(s) recomputed from the evidence, ${v.filesChecked} file(s) match SHA256SUMS`);
        return;
      }
      for (const p of v.problems) console.error(`✘ ${p}`);
      console.error(`verify failed: ${v.problems.length} problem(s)`);
      process.exitCode = 1;
    });
  return cmd;
}
