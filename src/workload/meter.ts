// What the workload did each second: acknowledged operations and writes, errors by kind, and latency
// percentiles from an HDR histogram, printed as Kafka's producer perf tool prints its lines.
import * as hdr from "hdr-histogram-js";
import { errorKind } from "../zk";

export interface Sample {
  /** Start of the one-second interval, ms since the epoch. */
  readonly at: number;
  readonly ok: number;
  readonly writesOk: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly backlog: number;
}

/** Producer-perf style, as operators read it in P7's write-up; it counts what was acknowledged. */
export function perfLine(s: Sample): string {
  const errs = Object.values(s.errors).reduce((a, b) => a + b, 0);
  return `${s.ok} ops acknowledged, ${s.ok.toFixed(1)} ops/sec, ${s.meanMs.toFixed(1)} ms avg latency, ${s.maxMs.toFixed(1)} ms max latency, ${errs} errors.`;
}

/** Counts operations as they end and closes a sample each second. */
export class Meter {
  private histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 2 });
  private interval = { ok: 0, writesOk: 0, errors: {} as Record<string, number>, start: Date.now() };
  readonly totals = { ops: 0, writesAcked: 0, errors: {} as Record<string, number> };
  /** Failed operations so far: a loop that saw one backs off. */
  failures = 0;
  readonly samples: Sample[] = [];

  record(startedAt: number, write: boolean, err?: unknown): void {
    const ms = Math.max(1, Date.now() - startedAt);
    this.totals.ops++;
    if (err) {
      this.failures++;
      const kind = errorKind(err);
      this.interval.errors[kind] = (this.interval.errors[kind] ?? 0) + 1;
      this.totals.errors[kind] = (this.totals.errors[kind] ?? 0) + 1;
      return;
    }
    this.histogram.recordValue(ms * 1000);
    this.interval.ok++;
    if (write) {
      this.interval.writesOk++;
      this.totals.writesAcked++;
    }
  }

  /** Closes the second: the sample, then a fresh interval. */
  tick(backlog: number): Sample {
    const h = this.histogram;
    const s: Sample = {
      at: this.interval.start,
      ok: this.interval.ok,
      writesOk: this.interval.writesOk,
      errors: this.interval.errors,
      p50Ms: h.totalCount ? h.getValueAtPercentile(50) / 1000 : 0,
      p95Ms: h.totalCount ? h.getValueAtPercentile(95) / 1000 : 0,
      p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0,
      maxMs: h.totalCount ? h.maxValue / 1000 : 0,
      meanMs: h.totalCount ? h.mean / 1000 : 0,
      backlog,
    };
    this.samples.push(s);
    h.reset();
    this.interval = { ok: 0, writesOk: 0, errors: {}, start: Date.now() };
    return s;
  }

  /** Starts the first interval now (the load begins). */
  restart(): void {
    this.interval.start = Date.now();
  }
}
