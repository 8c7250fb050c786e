// Kafka's producer perf tool (org.apache.kafka.tools.ProducerPerformance) prints a line every 5 s and a
// final one with percentiles; seed 003 reads its throughput from them. Pure, so each shape is tested.
//   557475 records sent, 111495.0 records/sec (108.88 MB/sec), 276.4 ms avg latency, 346.0 ms max latency.
//   100000 records sent, 29498.525074 records/sec (28.81 MB/sec), 1024.86 ms avg latency, 1530.00 ms max latency, 1003 ms 50th, 1443 ms 95th, 1509 ms 99th, 1527 ms 99.9th.

/** One 5-second window as the tool printed it. */
export interface PerfWindow {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgMs: number;
  readonly maxMs: number;
}

/** The whole run's line, printed when the tool finishes its records. */
export interface PerfTotal extends PerfWindow {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

export type PerfLine = ({ kind: "window" } & PerfWindow) | ({ kind: "total" } & PerfTotal);

const NUM = "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|Infinity)";
const HEAD = `^(\\d+) records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency`;
const WINDOW = new RegExp(`${HEAD}\\.$`);
const TOTAL = new RegExp(`${HEAD}, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.$`);

const num = (s: string) => (s === "NaN" || s === "Infinity" ? 0 : Number(s));

/** A window or total line; null for anything else the tool prints (warnings, blank lines). */
export function parsePerfLine(line: string): PerfLine | null {
  const text = line.trim();
  const t = TOTAL.exec(text);
  if (t) {
    return {
      kind: "total",
      records: Number(t[1]),
      recordsPerSec: num(t[2]),
      mbPerSec: num(t[3]),
      avgMs: num(t[4]),
      maxMs: num(t[5]),
      p50Ms: Number(t[6]),
      p95Ms: Number(t[7]),
      p99Ms: Number(t[8]),
      p999Ms: Number(t[9]),
    };
  }
  const w = WINDOW.exec(text);
  if (!w) return null;
  return { kind: "window", records: Number(w[1]), recordsPerSec: num(w[2]), mbPerSec: num(w[3]), avgMs: num(w[4]), maxMs: num(w[5]) };
}

/** Docker's log line with timestamps (`2026-11-23T12:00:00.123456789Z text`): the time it arrived and its text. */
export function splitTimestamp(line: string): { at: number | null; text: string } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/.exec(line);
  if (!m) return { at: null, text: line };
  // Date.parse keeps milliseconds only; Docker gives nanoseconds.
  const at = Date.parse(m[1].replace(/(\.\d{3})\d+Z$/, "$1Z"));
  return { at: Number.isNaN(at) ? null : at, text: m[2] };
}

/** How many of the tool's last windows must agree before a baseline is taken, and how closely. */
export const SETTLE = { windows: 3, within: 0.3, climb: 0.15 } as const;

/**
 * Whether the tool's rate has settled: its last SETTLE.windows windows each within SETTLE.within of
 * their mean, and no longer climbing (the last at most SETTLE.climb above the first). On a small host the JVMs warm up for a minute or more (370, 1,349, 1,921 ... 17,994
 * records/s, measured); a baseline taken earlier would make any later phase look "steady".
 */
export function settled(rates: readonly number[]): boolean {
  if (rates.length < SETTLE.windows) return false;
  const last = rates.slice(-SETTLE.windows);
  const mean = last.reduce((a, b) => a + b, 0) / last.length;
  return mean > 0 && last.every((r) => Math.abs(r - mean) <= SETTLE.within * mean) && last[last.length - 1] <= last[0] * (1 + SETTLE.climb);
}
