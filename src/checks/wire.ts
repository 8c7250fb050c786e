// Network faults proven on the wire. Toxiproxy's latency toxic adds half the round trip each way
// (plus or minus its jitter), so a measured round trip below the declared one means the latency is
// not on that path at all; far above it, that something else is (twice the toxic, a wrong link). A
// cut is proven by a connection across it that does not get an answer.
import { CheckResult, inconclusive, some, verdict } from "./result";

export interface RoundTripInput {
  readonly zones: readonly [string, string];
  readonly declaredMs: number;
  readonly jitterMs: number;
  readonly path: string;
  readonly samplesMs: readonly number[];
  /** The same round trip without the link (to the member itself, or straight to it): what the tool and ZooKeeper add. */
  readonly baselineMs?: readonly number[];
}

/** Below: the toxic is missing (a millisecond of slack for two minimums). Above: more than half again the declared round trip, and 10 ms for a busy host. */
export function roundTripBounds(declaredMs: number, jitterMs: number): { low: number; high: number } {
  return { low: Math.max(0, declaredMs - jitterMs - 1), high: declaredMs * 1.5 + jitterMs + 10 };
}

/**
 * The link's share of the round trip: the fastest sample across it less the fastest without it (a
 * busy host only adds, so the minimums are the wire's); it must sit between the bounds.
 */
export function roundTripHolds(input: RoundTripInput): CheckResult {
  const [a, b] = input.zones;
  const name = `latency on the wire between ${a} and ${b}: ${input.declaredMs} ms round trip declared`;
  const { low, high } = roundTripBounds(input.declaredMs, input.jitterMs);
  const evidence = { ...input, lowMs: low, highMs: high };
  if (input.samplesMs.length === 0) return inconclusive(name, "no round trip was measured", evidence);
  const min = Math.min(...input.samplesMs);
  const base = input.baselineMs && input.baselineMs.length > 0 ? Math.min(...input.baselineMs) : 0;
  const wire = Math.round((min - base) * 100) / 100;
  const sorted = [...input.samplesMs].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  const said = `${input.path}: the link adds ${wire.toFixed(1)} ms (fastest ${min.toFixed(1)} ms across it, ${base.toFixed(1)} ms without it; median ${median.toFixed(1)} ms over ${input.samplesMs.length}); declared ${input.declaredMs} ms, accepted ${low.toFixed(1)}-${high.toFixed(1)} ms`;
  const figures = { ...evidence, minMs: min, baselineMinMs: base, wireMs: wire, medianMs: median };
  if (wire < low) return verdict(name, false, `${said}: less than declared, the latency is not on this path`, figures);
  return verdict(name, wire <= high, wire <= high ? said : `${said}: more than the declared latency allows`, figures);
}

export type ProbeOutcome = "answered" | "refused" | "timeout";

/** One connection tried across a cut (src/probes/wire.ts makes them). */
export interface CutProbe {
  /** "member 1" (from inside it), or "client in a1" (the host through the zone's gateway). */
  readonly from: string;
  readonly to: number;
  readonly outcome: ProbeOutcome;
  readonly ms: number;
}

export interface CutInput {
  /** The cut as the fault named it. */
  readonly cut: string;
  readonly probes: readonly CutProbe[];
  /** Why no probe could be made (no running member on one side), when none was. */
  readonly unprobed?: string;
}

/** Every probe across the cut went unanswered (refused or timed out); one answer means the cut did not cut. */
export function cutHolds(input: CutInput): CheckResult {
  const name = `the cut holds on the wire: ${input.cut}`;
  if (input.probes.length === 0) return inconclusive(name, input.unprobed ?? "no probe crossed the cut", { ...input });
  const through = input.probes.filter((p) => p.outcome === "answered");
  const fmt = (p: CutProbe) => `${p.from} -> member ${p.to}: ${p.outcome} after ${p.ms} ms`;
  return verdict(name, through.length === 0, through.length === 0 ? some(input.probes.map(fmt), 3) : `answered across the cut: ${some(through.map(fmt), 3)}`, { ...input });
}
