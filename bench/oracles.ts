// bench/oracles: our checker against porcupine (github.com/anishathalye/porcupine) on each etcd oracle history,
// side by side: per file our median check time, porcupine's (bench/porcupine, its own test suite's parse and
// model, built with Go), the ratio, and both verdicts against verdicts.tsv. Parse time is left out on both sides.
// Rounds alternate the two checkers so that load from elsewhere on the machine falls on both alike; each round
// runs each checker several times per file after one warm-up pass, and a file's time is the median over all.
// Run: npm run bench:porcupine [-- rounds runs]   (Go >= 1.21 on PATH; the module proxy, the first time)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { casRegisterModel, parseJepsenLog, type CasRegisterOp } from "../src/checks/jepsen-log";
import { checkOperations } from "../src/checks/linearizability";

export const ORACLES = join(__dirname, "..", "test", "fixtures", "oracles", "etcd-cas-histories");
const PORCUPINE = join(__dirname, "porcupine");

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface OracleFile {
  readonly file: string;
  readonly ops: readonly CasRegisterOp[];
  /** verdicts.tsv: Knossos's and porcupine's verdict. */
  readonly linearizable: boolean;
}

export function oracleFiles(): OracleFile[] {
  const verdicts = new Map(readFileSync(join(ORACLES, "verdicts.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t") as [string, string]));
  return readdirSync(ORACLES).filter((f) => f.endsWith(".log")).sort().map((file) => {
    const verdict = verdicts.get(file);
    if (verdict !== "true" && verdict !== "false") throw new Error(`${file}: verdicts.tsv gives ${JSON.stringify(verdict)}, not true or false`);
    return { file, ops: parseJepsenLog(readFileSync(join(ORACLES, file), "utf8")), linearizable: verdict === "true" };
  });
}

export interface OurTiming {
  readonly ms: number[];
  readonly linearizable: boolean;
  readonly steps: number;
}

/** One warm-up pass over every file (the JIT), then `runs` timed checks of each file; times appended per file. */
export function timeOurs(files: readonly OracleFile[], runs: number, into: Map<string, OurTiming>): void {
  for (const f of files) checkOperations(f.ops, casRegisterModel);
  for (const f of files) {
    const timing = into.get(f.file) ?? { ms: [], linearizable: false, steps: 0 };
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const v = checkOperations(f.ops, casRegisterModel);
      timing.ms.push(performance.now() - t0);
      into.set(f.file, { ms: timing.ms, linearizable: v.status === "linearizable", steps: v.steps });
      if (v.status === "unknown") throw new Error(`${f.file}: ${v.reason}`);
    }
  }
}

/** Builds bench/porcupine once; null, with the reason printed, when Go is not there. */
function buildPorcupine(): string | null {
  const version = spawnSync("go", ["version"], { encoding: "utf8" });
  if (version.error !== undefined || version.status !== 0) {
    console.log("Go is missing (no `go` on PATH): porcupine's side cannot run. Install Go >= 1.21 (https://go.dev/dl/) and run again; our times follow alone.");
    return null;
  }
  const binary = join(mkdtempSync(join(tmpdir(), "zkdrill-porcupine-")), "porcupine-bench");
  console.log(`${version.stdout.trim()}: building bench/porcupine (go build; the first time it fetches porcupine through the module proxy)`);
  execFileSync("go", ["build", "-o", binary, "."], { cwd: PORCUPINE, stdio: "inherit", timeout: 300_000 });
  return binary;
}

/** One round of porcupine: per file its verdict and median ms of `runs`. */
function timePorcupine(binary: string, runs: number, into: Map<string, { ms: number[]; linearizable: boolean }>): void {
  const out = execFileSync(binary, [ORACLES, String(runs)], { encoding: "utf8", timeout: 600_000 });
  for (const line of out.trim().split("\n")) {
    const [file, verdict, ms] = line.split("\t");
    const timing = into.get(file) ?? { ms: [], linearizable: verdict === "true" };
    timing.ms.push(Number(ms));
    into.set(file, timing);
  }
}

function main(): void {
  const [rounds, runs] = [Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 5)];
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20 && Number.isInteger(runs) && runs >= 1 && runs <= 100)) {
    throw new Error("usage: bench/oracles.ts [rounds 1-20] [runs per file 1-100]");
  }
  const files = oracleFiles();
  const binary = buildPorcupine();
  const ours = new Map<string, OurTiming>();
  const theirs = new Map<string, { ms: number[]; linearizable: boolean }>();
  try {
    for (let round = 0; round < rounds; round++) {
      if (binary !== null) timePorcupine(binary, runs, theirs);
      timeOurs(files, runs, ours);
    }
  } finally {
    if (binary !== null) rmSync(join(binary, ".."), { recursive: true, force: true });
  }
  console.log(`${files.length} etcd oracle histories; ms: median of ${rounds} round(s) x ${runs} run(s), check only`);
  console.log(`${"file".padEnd(14)}${"ops".padStart(5)}${"ours ms".padStart(11)}${"porcupine ms".padStart(14)}${"ratio".padStart(8)}  verdicts`);
  let worst = { file: "", ratio: 0 };
  let [oursTotal, theirsTotal, slower, agree] = [0, 0, 0, 0];
  for (const f of files) {
    const o = ours.get(f.file)!;
    const t = theirs.get(f.file);
    const oms = median(o.ms);
    oursTotal += oms;
    const ok = o.linearizable === f.linearizable && (t === undefined || t.linearizable === f.linearizable);
    if (ok) agree++;
    const verdicts = `${f.linearizable ? "linearizable" : "not"}${ok ? "" : ` MISMATCH (ours ${o.linearizable}, porcupine ${t?.linearizable})`}`;
    if (t === undefined) {
      console.log(`${f.file.padEnd(14)}${String(f.ops.length).padStart(5)}${oms.toFixed(3).padStart(11)}${"-".padStart(14)}${"-".padStart(8)}  ${verdicts}`);
      continue;
    }
    const tms = median(t.ms);
    theirsTotal += tms;
    const ratio = oms / tms;
    if (ratio > 1) slower++;
    if (ratio > worst.ratio) worst = { file: f.file, ratio };
    console.log(`${f.file.padEnd(14)}${String(f.ops.length).padStart(5)}${oms.toFixed(3).padStart(11)}${tms.toFixed(3).padStart(14)}${ratio.toFixed(2).padStart(8)}  ${verdicts}`);
  }
  console.log(`verdicts as in verdicts.tsv: ${agree}/${files.length}`);
  if (binary === null) {
    console.log(`ours in total ${oursTotal.toFixed(1)} ms; porcupine not run (Go is missing)`);
    process.exitCode = 1;
    return;
  }
  console.log(`total: ours ${oursTotal.toFixed(1)} ms, porcupine ${theirsTotal.toFixed(1)} ms; worst ratio ${worst.ratio.toFixed(2)} (${worst.file}); ours slower on ${slower} of ${files.length} files`);
  if (agree < files.length) process.exitCode = 1;
}

if (require.main === module) main();
