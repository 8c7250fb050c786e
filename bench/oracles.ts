// bench/oracles: our checker against porcupine (github.com/anishathalye/porcupine) on each etcd oracle history,
// side by side: per file our check time, porcupine's (bench/porcupine, its own test suite's parse and model, built
// with Go, serving requests on stdin), the ratio, and both verdicts against verdicts.tsv.
// Fair on a busy machine: both sides time the check alone (each parses a file once, untimed), in its own process,
// from the same parsed history each run; the two alternate file by file, in batches, the side that goes first
// alternating too, so that load from elsewhere falls on both alike; a file's figure is the minimum over every run
// (load only ever adds time), beside the median. The load average is printed with the figures.
// Run: npm run bench:porcupine [-- rounds runs]   (Go >= 1.21 on PATH; the module proxy, the first time)
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
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

/** `runs` timed checks of one file, appended to `into`. */
function timeOursOn(f: OracleFile, runs: number, into: Map<string, OurTiming>): void {
  const timing = into.get(f.file) ?? { ms: [], linearizable: false, steps: 0 };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const v = checkOperations(f.ops, casRegisterModel);
    timing.ms.push(performance.now() - t0);
    into.set(f.file, { ms: timing.ms, linearizable: v.status === "linearizable", steps: v.steps });
    if (v.status === "unknown") throw new Error(`${f.file}: ${v.reason}`);
  }
}

/** One warm-up pass over every file (the JIT), then `runs` timed checks of each file; times appended per file. */
export function timeOurs(files: readonly OracleFile[], runs: number, into: Map<string, OurTiming>): void {
  for (const f of files) checkOperations(f.ops, casRegisterModel);
  for (const f of files) timeOursOn(f, runs, into);
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

/** How long one request may take: porcupine's hardest file runs about 0.2 s a check on this machine. */
const REQUEST_TIMEOUT_MS = 120_000;

/** bench/porcupine as a server: one request at a time, answered with a verdict and one time a run. */
class Porcupine {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = "";

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: "pipe" });
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async time(file: string, runs: number): Promise<{ linearizable: boolean; ms: number[] }> {
    this.child.stdin.write(`${join(ORACLES, file)}\t${runs}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`porcupine: no answer on ${file} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    });
    const answer = await Promise.race([this.lines.next(), timeout]).finally(() => clearTimeout(timer));
    if (answer.done === true) throw new Error(`porcupine exited on ${file}: ${this.stderr.trim() || "no message"}`);
    const [verdict, times] = answer.value.split("\t");
    return { linearizable: verdict === "true", ms: times.split(" ").map(Number) };
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

interface Timing {
  readonly ms: number[];
  linearizable: boolean;
}

const minimum = (xs: readonly number[]): number => Math.min(...xs);

/** The 1-minute load average, sampled as the rounds go. */
function loadSummary(samples: readonly number[]): string {
  const [cores, lo, hi] = [availableParallelism(), Math.min(...samples), Math.max(...samples)];
  return `load average (1 min) ${lo.toFixed(2)}-${hi.toFixed(2)} on ${cores} cores`;
}

async function main(): Promise<void> {
  const [rounds, runs] = [Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 5)];
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 50 && Number.isInteger(runs) && runs >= 1 && runs <= 100)) {
    throw new Error("usage: bench/oracles.ts [rounds 1-50] [runs per batch 1-100]");
  }
  const files = oracleFiles();
  const binary = buildPorcupine();
  const porcupine = binary === null ? null : new Porcupine(binary);
  const ours = new Map<string, OurTiming>();
  const theirs = new Map<string, Timing>();
  const load = [loadavg()[0]];
  try {
    // Warm-up, untimed: our JIT, porcupine's first parse of each file.
    for (const f of files) {
      checkOperations(f.ops, casRegisterModel);
      await porcupine?.time(f.file, 1);
    }
    for (let round = 0; round < rounds; round++) {
      for (const [i, f] of files.entries()) {
        const timePorcupine = async (): Promise<void> => {
          if (porcupine === null) return;
          const t = await porcupine.time(f.file, runs);
          const timing = theirs.get(f.file) ?? { ms: [], linearizable: t.linearizable };
          if (timing.linearizable !== t.linearizable) throw new Error(`${f.file}: porcupine's verdict changed between runs`);
          theirs.set(f.file, { ms: [...timing.ms, ...t.ms], linearizable: t.linearizable });
        };
        if ((round + i) % 2 === 0) {
          timeOursOn(f, runs, ours);
          await timePorcupine();
        } else {
          await timePorcupine();
          timeOursOn(f, runs, ours);
        }
      }
      load.push(loadavg()[0]);
    }
  } finally {
    porcupine?.close();
    if (binary !== null) rmSync(join(binary, ".."), { recursive: true, force: true });
  }
  printTable(files, ours, theirs, rounds * runs, loadSummary(load));
}

function printTable(files: readonly OracleFile[], ours: Map<string, OurTiming>, theirs: Map<string, Timing>, runs: number, load: string): void {
  console.log(`${files.length} etcd oracle histories; ms of the check alone (parse excluded on both sides), min and median of ${runs} runs a side, interleaved file by file`);
  console.log(`${"file".padEnd(14)}${"ops".padStart(5)}${"ours min".padStart(10)}${"porc min".padStart(10)}${"ratio".padStart(7)}` +
    `${"ours med".padStart(10)}${"porc med".padStart(10)}${"ratio".padStart(7)}  verdicts`);
  const worst = { min: { file: "", ratio: 0 }, median: { file: "", ratio: 0 } };
  const slower = { min: [] as string[], median: [] as string[] };
  const total = { ours: 0, theirs: 0 };
  let agree = 0;
  for (const f of files) {
    const o = ours.get(f.file)!;
    const t = theirs.get(f.file);
    const ok = o.linearizable === f.linearizable && (t === undefined || t.linearizable === f.linearizable);
    if (ok) agree++;
    const verdicts = `${f.linearizable ? "linearizable" : "not"}${ok ? "" : ` MISMATCH (ours ${o.linearizable}, porcupine ${t?.linearizable})`}`;
    const [oMin, oMed] = [minimum(o.ms), median(o.ms)];
    total.ours += oMin;
    let cells = `${"-".padStart(10)}${"-".padStart(7)}${oMed.toFixed(3).padStart(10)}${"-".padStart(10)}${"-".padStart(7)}`;
    if (t !== undefined) {
      const [tMin, tMed] = [minimum(t.ms), median(t.ms)];
      total.theirs += tMin;
      const ratio = { min: oMin / tMin, median: oMed / tMed };
      for (const by of ["min", "median"] as const) {
        if (ratio[by] > 1) slower[by].push(f.file);
        if (ratio[by] > worst[by].ratio) worst[by] = { file: f.file, ratio: ratio[by] };
      }
      cells = `${tMin.toFixed(3).padStart(10)}${ratio.min.toFixed(2).padStart(7)}${oMed.toFixed(3).padStart(10)}${tMed.toFixed(3).padStart(10)}${ratio.median.toFixed(2).padStart(7)}`;
    }
    console.log(`${f.file.padEnd(14)}${String(f.ops.length).padStart(5)}${oMin.toFixed(3).padStart(10)}${cells}  ${verdicts}`);
  }
  console.log(`verdicts as in verdicts.tsv: ${agree}/${files.length}; ${load}`);
  if (theirs.size === 0) {
    console.log(`ours in total ${total.ours.toFixed(1)} ms (minima); porcupine not run (Go is missing)`);
    process.exitCode = 1;
  } else {
    const named = (xs: string[]): string => (xs.length === 0 ? "" : `: ${xs.join(", ")}`);
    console.log(`total of minima: ours ${total.ours.toFixed(1)} ms, porcupine ${total.theirs.toFixed(1)} ms`);
    console.log(`by minimum: worst ratio ${worst.min.ratio.toFixed(2)} (${worst.min.file}); ours slower on ${slower.min.length} of ${files.length} files${named(slower.min)}`);
    console.log(`by median:  worst ratio ${worst.median.ratio.toFixed(2)} (${worst.median.file}); ours slower on ${slower.median.length} of ${files.length} files${named(slower.median)}`);
  }
  if (agree < files.length) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
