// zkdrill report <dir> [--format ...]: re-render from the journal alone; zkdrill report verify <dir|archive>;
// zkdrill report pack <dir>: one archive to keep, with its SHA-256; zkdrill report bug <dir>: a known-bug run's outcome.
import { Command, Option } from "commander";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { REPORT_FORMATS, ReportFormat, verifyReportDir, writeReports } from "../report";
import { EXIT } from "./errors";
import { judgeBugRun } from "./report-bug";

/** Each format's file (src/report/index.ts writes them under these names). */
const FILE_OF: Record<ReportFormat, string> = { json: "report.json", md: "report.md", html: "report.html", pdf: "report.pdf", junit: "junit.xml", prom: "metrics.prom" };
import { packRunFolder } from "../report";

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
    .description("write report.json, report.md, report.html, report.pdf, junit.xml, metrics.prom (or one --format) and SHA256SUMS from journal.jsonl")
    .argument("<dir>", "a run folder (reports/<drill>-<UTC>/)")
    .addOption(new Option("--format <format>", "only this rendering").choices(REPORT_FORMATS as string[]))
    .action(async (dir: string, opts: { format?: ReportFormat }) => {
      const abs = folder(dir);
      const formats = opts.format ? [opts.format] : REPORT_FORMATS;
      // Said only of files this rendering wrote: without Chromium there is no PDF, or only an earlier one.
      const stamp = (f: ReportFormat) => (existsSync(join(abs, FILE_OF[f])) ? statSync(join(abs, FILE_OF[f])).mtimeMs : null);
      const before = new Map(formats.map((f) => [f, stamp(f)]));
      const report = await writeReports(abs, formats);
      const rendered = formats.filter((f) => stamp(f) !== null && stamp(f) !== before.get(f));
      const missing = formats.filter((f) => !rendered.includes(f));
      console.log(`${report.drill}: ${report.status}; rendered ${rendered.join(", ") || "nothing"} in ${abs}`);
      if (missing.length > 0) {
        // The reason (no Chromium, say) was printed by the renderer; the exit says the folder lacks what was asked.
        console.error(`zkdrill: not rendered: ${missing.join(", ")} (see above)`);
        process.exitCode = EXIT.badInput;
      }
    });
  cmd
    .command("verify")
    .description("prove a run folder: journal chain and end, history anchors, every file's SHA-256, every check recomputed; exit 1 on any difference")
    .argument("<dir>", "a run folder, or its .tar.gz archive (zkdrill report pack)")
    .action((dir: string) => {
      const v = verifyReportDir(folder(dir));
      for (const n of v.notes) console.log(`note: ${n}`);
      if (v.archiveSha256) console.log(`archive SHA-256: ${v.archiveSha256}`);
      if (v.ok) {
        console.log(`ok: journal chain intact (${v.journalLines} lines, its end anchored), history anchored, ${v.checksRecomputed} check(s) recomputed from the evidence, ${v.filesChecked} file(s) match SHA256SUMS`);
        return;
      }
      for (const p of v.problems) console.error(`✘ ${p}`);
      console.error(`verify failed: ${v.problems.length} problem(s)`);
      process.exitCode = 1;
    });
  cmd
    .command("pack")
    .description("verify a run folder, then pack it into <dir>.tar.gz (deterministic: the same folder gives the same SHA-256) and print its SHA-256")
    .argument("<dir>", "a run folder")
    .option("--out <file>", "where to write the archive (default <dir>.tar.gz)")
    .action(async (dir: string, opts: { out?: string }) => {
      const abs = folder(dir);
      const v = verifyReportDir(abs);
      if (!v.ok) {
        for (const p of v.problems) console.error(`✘ ${p}`);
        console.error(`not packed: ${abs} does not verify (${v.problems.length} problem(s)); an archive of it would prove nothing`);
        process.exitCode = 1;
        return;
      }
      const p = await packRunFolder(abs, opts.out ? resolve(opts.out) : undefined);
      // The sidecar lets anyone check the archive with \`sha256sum -c\`.
      writeFileSync(`${p.archive}.sha256`, `${p.sha256}  ${basename(p.archive)}\n`);
      console.log(`${p.sha256}  ${p.archive}`);
      console.log(`packed ${p.files} file(s), ${p.bytes} bytes; verify later with: zkdrill report verify ${p.archive}`);
    });
  cmd
    .command("bug")
    .description("a known-bug run: reproduced or not on its version; exit 0 when that is what the version promises (affected: reproduced; fixed: not), 1 when not")
    .argument("<dir>", "a known-bug drill's run folder")
    .action((dir: string) => {
      const { lines, code } = judgeBugRun(dir);
      for (const l of lines) console.log(l);
      process.exitCode = code;
    });
  return cmd;
}
