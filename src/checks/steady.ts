// The steady state a drill declares (Chaos Toolkit's hypothesis), judged before the first fault and
// after recovery: writes get acknowledged, and the workload's p99 stays under a bound.
import { CheckResult, inconclusive, verdict } from "./result";
import type { RateSample } from "./throughput";

export interface WritesInput {
  readonly moment: string;
  readonly wanted: number;
  readonly acknowledged: number;
  readonly withinMs: number;
}

/** `wanted` writes acknowledged within the window (counted by the workload while the drill waited). */
export function writesAcknowledged(input: WritesInput): CheckResult {
  const name = `steady state ${input.moment}: ${input.wanted} writes acknowledged within ${(input.withinMs / 1000).toFixed(0)} s`;
  if (input.wanted <= 0) return inconclusive(name, "no write was asked for");
  return verdict(name, input.acknowledged >= input.wanted, `${input.acknowledged} acknowledged`, { ...input });
}

export interface P99Input {
  readonly moment: string;
  /** Judged in a phase a fault held (a slow disk's), not as the steady state. */
  readonly phase?: string;
  readonly boundMs: number;
  /** The samples' window (ms since the epoch). */
  readonly from: number;
  readonly to: number;
}

/** The workload's worst per-second p99 in the window stays under the bound. */
export function p99Below(samples: readonly (RateSample & { p99Ms?: number })[], input: P99Input): CheckResult {
  const name = input.phase !== undefined ? `clients' p99 latency in phase "${input.phase}" under ${input.boundMs} ms` : `steady state ${input.moment}: p99 latency under ${input.boundMs} ms`;
  const inWindow = samples.filter((s) => s.at >= input.from && s.at < input.to && s.ok > 0 && s.p99Ms !== undefined);
  if (inWindow.length === 0) return inconclusive(name, "no workload sample with acknowledged operations in the window", { ...input });
  const worst = Math.max(...inWindow.map((s) => s.p99Ms!));
  return verdict(name, worst < input.boundMs, `worst per-second p99 ${worst.toFixed(1)} ms over ${inWindow.length} s`, { ...input, worstP99Ms: worst, seconds: inWindow.length });
}
