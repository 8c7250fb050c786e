// Kafka's records/s per phase, from the producer perf tool's windows (one line per ~5 s). ZooKeeper
// promises nothing about Kafka's throughput: seed 003's claim (steady while a ZooKeeper follower and
// then the leader die) is an objective the drill declares, judged here against the baseline.
import type { Phase } from "./throughput";
import { CheckResult, inconclusive, verdict } from "./result";

/** One line of the tool: `records` acknowledged in the `windowMs` ending at `at` (wall ms). */
export interface KafkaWindow {
  readonly at: number;
  readonly windowMs: number;
  readonly records: number;
}

export interface PhaseRate {
  readonly recordsPerSec: number;
  /** Which windows it rests on, in words. */
  readonly basis: string;
  readonly windows: number;
}

/** A line arrives when a record completes after 5 s: no line for longer proves no record completed. */
const WINDOW_MS = 5_000;
/** Docker's arrival time against the tool's own clock. */
const SLACK_MS = 250;

/**
 * Records/s over the windows that lie inside the phase; else those ending in it; else, when the tool
 * ran across the whole phase and printed nothing, 0 (no record completed from 5 s into the phase on).
 */
export function kafkaPhaseRate(windows: readonly KafkaWindow[], phase: Phase, tool?: { startedAt: number; stoppedAt?: number }): PhaseRate | undefined {
  const rate = (ws: readonly KafkaWindow[]) => (ws.reduce((a, w) => a + w.records, 0) * 1000) / ws.reduce((a, w) => a + w.windowMs, 0);
  const inside = windows.filter((w) => w.at - w.windowMs >= phase.start - SLACK_MS && w.at <= phase.end + SLACK_MS);
  if (inside.length > 0) return { recordsPerSec: rate(inside), basis: `${inside.length} window(s) inside the phase`, windows: inside.length };
  const ending = windows.filter((w) => w.at > phase.start && w.at <= phase.end);
  if (ending.length > 0) return { recordsPerSec: rate(ending), basis: `${ending.length} window(s) ending in the phase`, windows: ending.length };
  const ranThrough = tool && tool.startedAt <= phase.start && (tool.stoppedAt === undefined || tool.stoppedAt >= phase.end);
  if (ranThrough && phase.end - phase.start > WINDOW_MS + SLACK_MS) return { recordsPerSec: 0, basis: "no line while the tool ran: no record completed", windows: 0 };
  return undefined;
}

export interface KafkaThroughputInput {
  readonly windows: readonly KafkaWindow[];
  readonly tool: { readonly startedAt: number; readonly stoppedAt?: number };
  readonly baseline: Phase;
  readonly phase: Phase;
  readonly minRatio: number;
}

/** The declared objective: records/s in `phase` at least `minRatio` of the baseline's. */
export function kafkaThroughputHolds(input: KafkaThroughputInput): CheckResult {
  const name = `objective: Kafka's records/s in "${input.phase.name}" at least ${(input.minRatio * 100).toFixed(0)}% of "${input.baseline.name}"`;
  const base = kafkaPhaseRate(input.windows, input.baseline, input.tool);
  const got = kafkaPhaseRate(input.windows, input.phase, input.tool);
  const evidence = { baseline: input.baseline, phase: input.phase, minRatio: input.minRatio, baselineRate: base ?? null, phaseRate: got ?? null };
  if (!base || !got) return inconclusive(name, `the perf tool printed no window for "${!base ? input.baseline.name : input.phase.name}"`, evidence);
  if (base.recordsPerSec === 0) return inconclusive(name, `the baseline "${input.baseline.name}" acknowledged nothing`, evidence);
  const ratio = got.recordsPerSec / base.recordsPerSec;
  return verdict(name, ratio >= input.minRatio, `${got.recordsPerSec.toFixed(0)} vs ${base.recordsPerSec.toFixed(0)} records/s (${(ratio * 100).toFixed(0)}%; ${got.basis})`, { ...evidence, ratio });
}
