// bench/analysis: the end-of-run analysis of a run folder (its history and journal, as the runner and
// `zkdrill report verify` judge them), timed phase by phase with the process's peak resident memory.
// Pure CPU: no containers.
//   npm run bench:analysis -- <run folder>                      a recorded run (a soak drill's, say)
//   npm run bench:analysis -- --generate [operations] [folder]  a soak-sized run generated first (default 1.26M
//                                                               operations, ~15 min of the Kafka-shaped load)
// Each measurement runs in a process of its own: the peak RSS is the analysis's alone.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { analyseRecorded } from "../src/checks/recorded-run";
import { journalOf } from "../src/report/folder";
import { readJournal } from "../src/journal";
import { writeSoakFolder } from "./soak-folder";

function measure(dir: string): void {
  const events = readJournal(journalOf(dir));
  // The analysis sees the journal as it stood when the run judged its history (before its first automatic check).
  const cut = events.findIndex((e) => e.type === "check" && e.data.auto === true);
  const { analysis, figures } = analyseRecorded(cut < 0 ? events : events.slice(0, cut), join(dir, "history.jsonl"));
  console.log(JSON.stringify({ ...figures, checks: analysis.checks.map((c) => ({ kind: c.kind, status: c.result.status, summary: c.result.summary.slice(0, 200) })) }));
}

function child(args: string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, __filename, ...args], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--measure") return measure(args[1]);
  if (args[0] === "--write") {
    const h = await writeSoakFolder(args[1], { operations: Number(args[2]), seed: 1 });
    console.log(JSON.stringify({ operations: h.operations, znodes: h.znodes, lines: h.anchor.lines, bytes: h.anchor.bytes }));
    return;
  }
  let dir = args[0];
  if (dir === undefined || dir.startsWith("-") && dir !== "--generate") throw new Error("usage: bench/analysis.ts <run folder> | --generate [operations] [folder]");
  if (dir === "--generate") {
    const operations = Number(args[1] ?? 1_260_000);
    dir = args[2] ?? join(tmpdir(), `zkdrill-soak-${operations}`);
    const started = Date.now();
    const w = JSON.parse(child(["--write", dir, String(operations)]));
    console.log(`generated ${dir}: ${w.operations} operations, ${w.znodes} znodes, ${w.lines} history lines (${(w.bytes / 2 ** 20).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s (judged once there, as the runner does)`);
  }
  const r = JSON.parse(child(["--measure", dir]).trim().split("\n").pop()!);
  const phases = Object.entries(r.phasesMs as Record<string, number>).map(([p, ms]) => `${p} ${(ms / 1000).toFixed(2)} s`).join(", ");
  console.log(`analysis of ${dir}: ${r.operations} operations in ${(r.totalMs / 1000).toFixed(2)} s (${phases}); peak RSS ${r.peakRssMb} MB`);
  for (const c of r.checks as Array<{ kind: string; status: string; summary: string }>) console.log(`  ${c.kind}: ${c.status}: ${c.summary}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
