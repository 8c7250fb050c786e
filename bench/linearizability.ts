// bench/linearizability: time and search steps of the linearizability checker on (a) a generated valid
// 10,000-operation zkdrill history over 16 znodes, 8 processes, with unknown outcomes, (b) the same on one znode,
// (c) every etcd oracle history (test/fixtures/oracles), naming the largest. Pure CPU: no containers.
// Run: node --import tsx bench/linearizability.ts [operations] [seed]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { SeededRandom } from "../src/common";
import { operations, type CompletionEvent, type HistoryEvent, type InvokeEvent, type OpKind } from "../src/history";
import { casRegisterModel, parseJepsenLog } from "../src/checks/jepsen-log";
import { checkOperations } from "../src/checks/linearizability";
import { checkHistory } from "../src/checks/zk-register";

const ORACLES = join(__dirname, "..", "test", "fixtures", "oracles", "etcd-cas-histories");
const PROCESSES = 8;
const UNKNOWN_RATE = 0.015;

interface Planned {
  process: number;
  path: string;
  call: number;
  at: number; // when it takes effect
  ret: number;
  invoke?: Omit<InvokeEvent, "type" | "process" | "time" | "mono">;
  completion?: Omit<CompletionEvent, "type" | "process" | "invoke" | "time" | "mono"> & { type: CompletionEvent["type"] };
  syncedBy?: Planned;
}

/**
 * A valid history by construction: every operation takes effect at one instant inside its interval, on a true
 * register per znode, and reports what it saw; some writes lose their reply (info), half of those applied.
 */
function generate(total: number, keys: number, seed: number, unknownRate = UNKNOWN_RATE): HistoryEvent[] {
  const rnd = new SeededRandom(seed);
  const plan: Planned[] = [];
  for (let p = 1; p <= PROCESSES; p++) {
    let t = rnd.next();
    for (let i = 0; i < total / PROCESSES; i++) {
      const call = t + rnd.next() * 0.5;
      const at = call + 0.05 + rnd.next() * 2;
      const ret = at + 0.05 + rnd.next() * 2;
      plan.push({ process: p, path: `/bench/key-${rnd.int(keys)}`, call, at, ret });
      t = ret;
    }
  }
  const truth = new Map<string, { version: number; value: string } | null>();
  const lastOf = new Map<number, Planned>();
  let written = 0;
  for (const op of [...plan].sort((a, b) => a.at - b.at)) {
    const node = truth.get(op.path) ?? null;
    const prev = lastOf.get(op.process);
    lastOf.set(op.process, op);
    const value = `v${++written}`;
    const dice = rnd.next();
    let f: OpKind;
    let expected: number | undefined;
    if (dice < 0.25) {
      op.invoke = { f: "read", path: op.path };
      // After a write of its own session zkdrill orders the read behind it (a stand-in for sync).
      if (prev?.invoke && prev.invoke.f !== "read") op.syncedBy = prev;
      op.completion = { type: "ok", value: node?.value ?? null, version: node?.version };
      continue;
    } else if (node === null) {
      f = dice < 0.75 ? "create" : dice < 0.85 ? "cas" : dice < 0.9 ? "write" : "delete";
      expected = f === "cas" ? rnd.int(3) : f === "delete" ? -1 : undefined;
    } else {
      f = dice < 0.6 ? "cas" : dice < 0.68 ? "write" : dice < 0.72 ? "delete" : dice < 0.9 ? "cas" : "create";
      expected = f === "cas" ? (dice < 0.6 ? node.version : node.version + 1 + rnd.int(2)) : f === "delete" ? (rnd.next() < 0.5 ? -1 : node.version) : undefined;
    }
    op.invoke = { f, path: op.path, value: f === "delete" ? undefined : value, version: expected };
    const canApply =
      f === "create" ? node === null :
      node !== null && (expected === undefined || expected === -1 || expected === node.version);
    const lost = rnd.next() < unknownRate;
    const applies = canApply && (!lost || rnd.next() < 0.5);
    if (applies) truth.set(op.path, f === "delete" ? null : { version: f === "create" ? 0 : node!.version + 1, value });
    if (lost) op.completion = { type: "info", error: "CONNECTION_LOSS" };
    else if (applies) op.completion = { type: "ok", version: f === "delete" ? undefined : truth.get(op.path)!.version };
    else op.completion = { type: "fail", error: f === "create" ? "NODE_EXISTS" : node === null ? "NO_NODE" : "BAD_VERSION" };
  }
  // Events in time order; a completion names its invoke's line.
  const timeline = plan.flatMap((op) => [{ op, t: op.call, invoke: true }, { op, t: op.ret, invoke: false }]).sort((a, b) => a.t - b.t);
  const lineOf = new Map<Planned, number>();
  const events: HistoryEvent[] = [];
  for (const { op, t, invoke } of timeline) {
    const stamp = { process: op.process, time: 1.7e12 + t, mono: t };
    if (invoke) {
      lineOf.set(op, events.length);
      const syncedBy = op.syncedBy === undefined ? undefined : lineOf.get(op.syncedBy);
      events.push({ type: "invoke", ...op.invoke!, ...(syncedBy === undefined ? {} : { syncedBy }), ...stamp });
    } else {
      events.push({ ...op.completion!, invoke: lineOf.get(op)!, ...stamp });
    }
  }
  return events;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time of three runs (the verdict is the same every time: the search is deterministic). */
function timed<T>(run: () => T): { result: T; ms: number } {
  const times: number[] = [];
  let result = run();
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = run();
    times.push(performance.now() - t0);
  }
  return { result, ms: median(times) };
}

function zkCase(label: string, events: HistoryEvent[]): void {
  const ops = operations(events);
  const { result: verdict, ms } = timed(() => checkHistory(ops));
  const unknown = ops.filter((op) => op.outcome === "info").length;
  console.log(`${label}: ${ops.length} operations (${unknown} info), ${verdict.operations} judged on ${verdict.keys} znodes: ` +
    `${verdict.status} in ${ms.toFixed(0)} ms, ${verdict.steps} steps`);
  if (verdict.status !== "linearizable") console.log(`    ${verdict.summary.slice(0, 400)}`);
}

/** The same history with one acknowledged compare-and-set claiming a version one too high, past the middle. */
function corrupted(events: HistoryEvent[]): HistoryEvent[] {
  const target = events.findIndex((e, i) => i > events.length / 2 && e.type === "ok" && events[e.invoke].type === "invoke" && (events[e.invoke] as InvokeEvent).f === "cas");
  const copy = [...events];
  const ok = events[target] as CompletionEvent;
  copy[target] = { ...ok, version: (ok.version ?? 0) + 1 };
  return copy;
}

function oracles(): void {
  const verdicts = new Map(readFileSync(join(ORACLES, "verdicts.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t") as [string, string]));
  const files = readdirSync(ORACLES).filter((f) => f.endsWith(".log")).sort();
  const rows = files.map((file) => {
    const ops = parseJepsenLog(readFileSync(join(ORACLES, file), "utf8"));
    const { result, ms } = timed(() => checkOperations(ops, casRegisterModel));
    const expected = verdicts.get(file) === "true" ? "linearizable" : "not-linearizable";
    return { file, ops: ops.length, ms, steps: result.steps, agrees: result.status === expected };
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
  const total = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  if (!(total >= PROCESSES && Number.isInteger(seed))) throw new Error(`usage: bench/linearizability.ts [operations >= ${PROCESSES}] [seed]`);
  const sixteen = generate(total, 16, seed);
  zkCase(`(a) ${PROCESSES} processes, 16 znodes`, sixteen);
  zkCase(`(b) ${PROCESSES} processes, 1 znode`, generate(total, 1, seed));
  zkCase(`(a') as (a), one acknowledgement corrupted`, corrupted(sixteen));
  console.log("(c) etcd oracles, each: median ms of 3 runs, search steps");
  oracles();
}

main();
