// bench/linearizability: time and peak memory of the history checker on generated valid zkdrill histories
// (src/history/random.ts: 8 processes, 1.5 % of writes with lost replies, zxids as ZooKeeper gives them) of 10k,
// 100k and 1M operations, on 16 znodes and on one hot znode, plus one with an acknowledgement corrupted; then
// every etcd oracle history (test/fixtures/oracles; bench/oracles.ts sets them beside porcupine). Each generated case runs in a process of its own, so its
// peak resident memory (maxRSS) is its own: the operations as a run's analysis holds them, and the checker.
// Pure CPU: no containers. Run: node --import tsx bench/linearizability.ts [largest operations] [seed]
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { randomHistory } from "../src/history/random";
import type { Operation } from "../src/history/model";
import { checkHistory } from "../src/checks/zk-register";
import { median, oracleFiles, timeOurs, type OurTiming } from "./oracles";

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** One acknowledged compare-and-set, past the middle, claims a version one too high. */
function corrupt(ops: Operation[]): void {
  const i = ops.findIndex((op, i) => i > ops.length / 2 && op.f === "cas" && op.outcome === "ok");
  ops[i] = { ...ops[i], version: (ops[i].version ?? 0) + 1 };
}

/** In this process: generate, then check once, timed; prints one line of JSON. */
function oneCase(total: number, keys: number, seed: number, corrupted: boolean): void {
  const t0 = performance.now();
  const ops = randomHistory({ operations: total, keys, seed });
  if (corrupted) corrupt(ops);
  const generatedMs = performance.now() - t0;
  const rssBefore = process.memoryUsage().rss;
  const t1 = performance.now();
  const v = checkHistory(ops);
  const checkMs = performance.now() - t1;
  const unknown = ops.filter((op) => op.outcome === "info").length;
  console.log(JSON.stringify({
    total: ops.length, keys, corrupted, unknown, generatedMs, checkMs, rssBefore, maxRss: process.resourceUsage().maxRSS * 1024,
    status: v.status, judged: v.operations, judgedBy: v.judgedBy, steps: v.steps, summary: v.summary.slice(0, 300),
  }));
}

function zkCases(largest: number, seed: number): void {
  console.log("generated histories, each in its own process: check time; peak RSS of the process (with the operations before the check)");
  const sizes = [10_000, 100_000, 1_000_000].filter((s) => s <= largest);
  const cases: Array<[number, number, boolean]> = sizes.flatMap((s): Array<[number, number, boolean]> => [[s, 16, false], [s, 1, false]]);
  cases.push([Math.min(largest, 100_000), 16, true], [Math.min(largest, 100_000), 1, true]);
  for (const [total, keys, corrupted] of cases) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--case", String(total), String(keys), String(seed), corrupted ? "corrupted" : "valid"], { encoding: "utf8", maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split("\n").pop()!);
    const by = Object.entries(r.judgedBy as Record<string, number>).filter(([, n]) => n > 0).map(([how, n]) => `${n} by ${how}`).join(", ");
    console.log(`  ${String(r.total).padStart(7)} ops, ${String(keys).padStart(2)} znode(s)${corrupted ? ", one ack corrupted" : ""}: ${r.status} in ${r.checkMs.toFixed(0)} ms ` +
      `(${by}; ${r.steps} search steps); peak RSS ${mb(r.maxRss)} (${mb(r.rssBefore)} before the check; generated in ${r.generatedMs.toFixed(0)} ms; ${r.unknown} info)`);
    if (r.status !== "linearizable") console.log(`      ${r.summary}`);
  }
}

function oracles(): void {
  const files = oracleFiles();
  const times = new Map<string, OurTiming>();
  timeOurs(files, 3, times);
  const rows = files.map((f) => {
    const t = times.get(f.file)!;
    return { file: f.file, ops: f.ops.length, ms: median(t.ms), steps: t.steps, agrees: t.linearizable === f.linearizable };
  });
  const cell = (r: (typeof rows)[number]): string => `${r.file.replace(".log", "")} ${r.ms.toFixed(2)} ms ${r.steps} st`.padEnd(30);
  for (let i = 0; i < rows.length; i += 4) console.log("    " + rows.slice(i, i + 4).map(cell).join(""));
  const largest = rows.reduce((a, b) => (b.ops > a.ops ? b : a));
  const slowest = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  console.log(`(c) etcd oracles: ${rows.length} histories in ${total.toFixed(1)} ms, ${rows.filter((r) => r.agrees).length} verdicts as in verdicts.tsv; ` +
    `largest ${largest.file} (${largest.ops} operations) ${largest.ms.toFixed(2)} ms, ${largest.steps} steps; ` +
    `slowest ${slowest.file} ${slowest.ms.toFixed(2)} ms, ${slowest.steps} steps`);
}

function main(): void {
  if (process.argv[2] === "--case") {
    const [total, keys, seed] = process.argv.slice(3, 6).map(Number);
    return oneCase(total, keys, seed, process.argv[6] === "corrupted");
  }
  const largest = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  if (!(largest >= 10_000 && Number.isInteger(seed))) throw new Error("usage: bench/linearizability.ts [largest operations >= 10000] [seed]");
  zkCases(largest, seed);
  console.log("etcd oracles, each: median ms of 3 runs after a warm-up pass, search steps (npm run bench:porcupine: beside porcupine)");
  oracles();
}

main();
