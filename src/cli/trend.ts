// zkdrill trend <reports dir> (alias: history): every run folder and archive under it verified, then one
// table per drill over time (history.md, history.html, history.json: the names pages already link to)
// with regressions and overdue drills flagged. Exit 0 when nothing is flagged, 1 when something is (a scheduled job fails on it), 2 on bad input.
import { Command } from "commander";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { buildTrend, DEFAULT_TREND_OPTIONS, Trend, trendHtml, trendMarkdown, scanRuns, TrendLinks } from "../report";
import { InputError } from "./catalog";
import { catalogDrills } from "./drills";

interface TrendFlags {
  out?: string;
  tolerance: string;
  minDeltaSeconds: string;
  today?: string;
  days: string;
  catalog?: boolean;
  quiet?: boolean;
}

function number(flag: string, value: string, example: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InputError(`${flag}: "${value}" is not a number; give e.g. ${flag} ${example}`);
  return Number(value);
}

function today(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InputError(`--today: "${value}" is not a date; give YYYY-MM-DD, e.g. --today 2026-12-01`);
  return value;
}

/** Writes history.md, history.html and history.json into `out`; returns their paths. `root`: the reports folder the run links lead to. */
export async function writeTrend(x: Trend, out: string, root: string = out): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const links: TrendLinks = { runsAt: relative(out, root).split(sep).join("/") };
  const files = { "history.md": trendMarkdown(x, links), "history.html": await trendHtml(x, links), "history.json": JSON.stringify(x, null, 2) + "\n" };
  return Object.entries(files).map(([name, content]) => {
    writeFileSync(join(out, name), content);
    return join(out, name);
  });
}

export function trendCommand(): Command {
  // "history" was this command's first name; kept so scheduled jobs written against it still run.
  return new Command("trend")
    .alias("history")
    .description("verify every run folder and archive under a reports folder; per drill: verdict, RTO, RPO, throughput over time, regressions and overdue drills flagged")
    .argument("<reports-dir>", "a folder holding run folders (reports/) or their .tar.gz archives, at any depth")
    .option("--out <dir>", "where to write history.md, history.html, history.json (default: the reports folder)")
    .option("--tolerance <fraction>", "a figure worse than the previous passed run's by more than this fraction is a regression", String(DEFAULT_TREND_OPTIONS.tolerance))
    .option("--min-delta-seconds <s>", "and worse by more than this many seconds (RTO, RPO)", String(DEFAULT_TREND_OPTIONS.minDeltaS))
    .option("--days <n>", "a drill runs at least every N days, and a failed one is re-run within N days", String(DEFAULT_TREND_OPTIONS.days))
    .option("--today <YYYY-MM-DD>", "judge the overdue flags at this date (default: today, UTC)")
    .option("--catalog", "every catalog drill is expected: one with no run at all is flagged")
    .option("--quiet", "no line per run while verifying")
    .action(async (dir: string, opts: TrendFlags) => {
      const root = resolve(dir);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(`${dir} is not a folder; give the folder holding the run folders, e.g. reports/`);
      const options = {
        tolerance: number("--tolerance", opts.tolerance, "0.5"),
        minDeltaS: number("--min-delta-seconds", opts.minDeltaSeconds, "0.25"),
        days: number("--days", opts.days, "30"),
        today: today(opts.today),
        expected: opts.catalog ? catalogDrills() : undefined,
      };
      const runs = scanRuns(root, opts.quiet ? undefined : (line) => console.error(line));
      if (runs.length === 0 && !opts.catalog) throw new InputError(`${dir} holds no run folder (a folder with journal.jsonl) and no .tar.gz archive; give the folder runs were written to, e.g. reports/`);
      const x = buildTrend(runs, options);
      const written = await writeTrend(x, resolve(opts.out ?? root), root);
      for (const d of x.drills) {
        const last = d.rows[d.rows.length - 1];
        console.log(`${d.drill}: ${d.rows.length} run(s)${last ? `, last ${last.date} ${last.status}` : ""}${d.flags.length ? `; ${d.flags.length} flag(s)` : ""}`);
        for (const f of d.flags) console.log(`  flag: ${f}`);
      }
      for (const b of x.knownBugs.rows) {
        console.log(`${b.jira}: ${b.cells.map((c) => `${c.outcome} on ${c.version}`).join(", ")}`);
        for (const f of b.flags) console.log(`  flag: ${f}`);
      }
      for (const u of x.unverified) console.log(`flag: ${u.source} does not verify: ${u.problems[0]}${u.problems.length > 1 ? ` (and ${u.problems.length - 1} more)` : ""}`);
      console.log(`${x.flagged} flag(s); wrote ${written.join(", ")}`);
      if (x.flagged > 0) process.exitCode = 1;
    });
}
