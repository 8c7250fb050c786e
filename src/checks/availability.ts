// Recovery time per fault, as an auditor reads it: from the fault to the first write invoked after it
// that was acknowledged (the workload's, so it is what clients saw); and beside it the elections
// ZooKeeper itself logged, so detection, election and client recovery read apart.
import type { Operation } from "../history/model";
import { CheckResult, inconclusive, some, verdict } from "./result";

export interface FaultMark {
  readonly label: string;
  readonly kind: string;
  /** Monotonic and wall-clock ms of its start. */
  readonly mono: number;
  readonly at: number;
  /** Monotonic ms when it had taken effect (the kill returned, the proxies changed); its start when unknown. */
  readonly endMono?: number;
}

export interface Election {
  readonly member: number;
  /** Wall clock of the log line. */
  readonly at: number;
  readonly tookMs: number;
}

export interface FaultRecovery extends FaultMark {
  /**
   * ms from the fault's start to the first write invoked after the fault had taken effect and
   * acknowledged (a write sent while the kill was still on its way proves nothing); null: none.
   */
  readonly rtoMs: number | null;
  /** Why there is no figure: no workload ran then, or no write succeeded before it stopped. */
  readonly unmeasured?: string;
  readonly elections: readonly Election[];
}

/** The workload's writes: what the RTO is measured on. */
export const workloadWrites = (ops: readonly Operation[], workload: ReadonlySet<number>) =>
  ops.filter((op) => workload.has(op.process) && (op.f === "create" || op.f === "cas" || op.f === "write") && !op.ephemeral);

export function recoveries(writes: readonly Operation[], faults: readonly FaultMark[], elections: readonly Election[] = []): FaultRecovery[] {
  const sorted = [...writes].sort((a, b) => a.call - b.call);
  const lastCall = sorted.length ? sorted[sorted.length - 1].call : -Infinity;
  return faults.map((f, i) => {
    const next = faults[i + 1];
    const effective = f.endMono ?? f.mono;
    let rtoMs: number | null = null;
    for (const op of sorted) {
      if (op.call < effective || op.outcome !== "ok") continue;
      const ms = op.ret - f.mono;
      if (rtoMs === null || ms < rtoMs) rtoMs = ms;
      if (op.call > f.mono + (rtoMs ?? Infinity)) break;
    }
    const running = sorted.some((op) => op.call <= f.mono) && lastCall >= effective;
    const until = rtoMs === null ? (next?.at ?? Infinity) : f.at + rtoMs;
    return {
      ...f,
      rtoMs: rtoMs === null ? null : Math.round(rtoMs),
      ...(rtoMs === null ? { unmeasured: running ? "no write acknowledged after it while the workload ran" : "no workload ran at this fault" } : {}),
      elections: elections.filter((e) => e.at >= f.at && e.at <= until + 1_000),
    };
  });
}

/** The longest time without an acknowledged workload write, while the workload ran. */
export function longestWriteGap(writes: readonly Operation[]): { gapMs: number; from: number | null; to: number | null } {
  const acks = writes.filter((op) => op.outcome === "ok").map((op) => ({ mono: op.ret, wall: op.returnedAt ?? 0 }));
  acks.sort((a, b) => a.mono - b.mono);
  let best = { gapMs: 0, from: null as number | null, to: null as number | null };
  for (let i = 1; i < acks.length; i++) {
    const gap = acks[i].mono - acks[i - 1].mono;
    if (gap > best.gapMs) best = { gapMs: Math.round(gap), from: acks[i - 1].wall, to: acks[i].wall };
  }
  return best;
}

export interface RtoObjectiveInput {
  readonly maxMs: number;
  /** Labels of the faults the objective covers (default: every fault the workload saw). */
  readonly faults?: readonly string[];
}

/** The drill's RTO objective against every fault it covers. A fault with no figure is not a pass. */
export function rtoWithin(recovered: readonly FaultRecovery[], input: RtoObjectiveInput): CheckResult {
  const name = `RTO objective: writes recover within ${(input.maxMs / 1000).toFixed(1)} s of every fault`;
  const scope = input.faults ? recovered.filter((r) => input.faults!.includes(r.label)) : recovered.filter((r) => r.unmeasured !== "no workload ran at this fault");
  if (scope.length === 0) return inconclusive(name, "no fault happened while the workload ran", { maxMs: input.maxMs });
  const missed = scope.filter((r) => r.rtoMs === null || r.rtoMs > input.maxMs);
  const longest = scope.reduce((a, b) => ((b.rtoMs ?? Infinity) > (a.rtoMs ?? Infinity) ? b : a));
  const fmt = (r: FaultRecovery) => `${r.label}: ${r.rtoMs === null ? r.unmeasured : `${(r.rtoMs / 1000).toFixed(2)} s`}`;
  return verdict(
    name,
    missed.length === 0,
    missed.length === 0 ? `longest ${fmt(longest)} over ${scope.length} fault(s)` : `missed: ${some(missed.map(fmt), 3)}`,
    { maxMs: input.maxMs, perFault: scope.map((r) => ({ fault: r.label, rtoMs: r.rtoMs, unmeasured: r.unmeasured ?? null })) },
  );
}
