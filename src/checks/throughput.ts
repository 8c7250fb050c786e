// Throughput per phase against the baseline: a figure with a threshold, from the workload's samples.
import { CheckResult, inconclusive, verdict } from "./result";

export interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface RateSample {
  readonly at: number;
  readonly ok: number;
}

/** Mean acknowledged ops/s over the phase's whole seconds; undefined when no sample fell in it. */
export function phaseThroughput(samples: readonly RateSample[], phase: Phase): number | undefined {
  const inPhase = samples.filter((s) => s.at >= phase.start && s.at < phase.end);
  if (inPhase.length === 0) return undefined;
  return inPhase.reduce((a, s) => a + s.ok, 0) / inPhase.length;
}

export function throughputHolds(samples: readonly RateSample[], input: { baseline: Phase; phase: Phase; minRatio: number }): CheckResult {
  const name = `throughput in "${input.phase.name}" at least ${(input.minRatio * 100).toFixed(0)}% of "${input.baseline.name}"`;
  const base = phaseThroughput(samples, input.baseline);
  const got = phaseThroughput(samples, input.phase);
  const evidence = { ...input, baselineOpsPerSec: base ?? null, phaseOpsPerSec: got ?? null };
  if (base === undefined || got === undefined) return inconclusive(name, `no sample in ${base === undefined ? `"${input.baseline.name}"` : `"${input.phase.name}"`}`, evidence);
  if (base === 0) return inconclusive(name, `the baseline "${input.baseline.name}" acknowledged nothing`, evidence);
  const ratio = got / base;
  return verdict(name, ratio >= input.minRatio, `${got.toFixed(0)} vs ${base.toFixed(0)} ops/s (${(ratio * 100).toFixed(0)}%)`, { ...evidence, ratio });
}

/**
 * The drill's throughput floor (an objective: ZooKeeper promises no rate): every phase the drill
 * measured has a mean of acknowledged ops/s at or above `minOpsPerSec`; the weakest phase decides.
 * With no phase marked, the mean over every sample. No sample at all: nothing to judge.
 */
export function throughputFloor(samples: readonly RateSample[], phases: readonly Phase[], minOpsPerSec: number): CheckResult {
  const name = `objective: acknowledged ops/s at least ${minOpsPerSec} in every measured phase`;
  if (samples.length === 0) return inconclusive(name, "no workload sample was recorded", { minOpsPerSec });
  const whole: Phase = { name: "the whole run (no phase marked)", start: -Infinity, end: Infinity };
  const rates = (phases.length ? phases : [whole]).map((p) => ({ phase: p.name, opsPerSec: phaseThroughput(samples, p) ?? null }));
  const judged = rates.filter((r): r is { phase: string; opsPerSec: number } => r.opsPerSec !== null);
  const evidence = { minOpsPerSec, rates };
  if (judged.length === 0) return inconclusive(name, `no sample fell in any phase (${rates.map((r) => r.phase).join(", ")})`, evidence);
  const lowest = judged.reduce((a, b) => (b.opsPerSec < a.opsPerSec ? b : a));
  const below = judged.filter((r) => r.opsPerSec < minOpsPerSec);
  return verdict(
    name,
    below.length === 0,
    below.length === 0
      ? `lowest "${lowest.phase}": ${lowest.opsPerSec.toFixed(0)} ops/s over ${judged.length} phase(s)`
      : `below the floor: ${below.map((r) => `"${r.phase}" ${r.opsPerSec.toFixed(0)} ops/s`).join(", ")}`,
    { ...evidence, lowest },
  );
}
