// Recovery time per fault, as the clients saw it: the outage runs from the last acknowledged write
// before it to the first acknowledged write invoked after the fault took effect. A fault that
// interrupts nothing shows the workload's ordinary gap between acknowledgements, however long the
// engine took to inject it; the engine's time is shown apart, beside the parts ZooKeeper logged
// (its election, the leader's sync) and the clients' reconnection, so a reader can tell a real
// deployment's figure from the harness's. Faults whose outage is the point (a quorum lost on
// purpose) are declared so and never held to the RTO objective.
import type { Operation } from "../history";
import { CheckResult, inconclusive, some, verdict } from "./result";

export interface FaultMark {
  readonly label: string;
  readonly kind: string;
  /** Monotonic and wall-clock ms of its start. */
  readonly mono: number;
  readonly at: number;
  /** Monotonic ms when it had taken effect (the kill returned, the proxies changed); its start when unknown. */
  readonly endMono?: number;
  /** The drill declares the outage this fault causes to be the point (a quorum lost on purpose), and why. */
  readonly expectOutage?: string;
}

export interface Election {
  readonly member: number;
  /** Wall clock of the log line. */
  readonly at: number;
  readonly tookMs: number;
}

/** A moment a member logged: the leader serving ("Have quorum of supporters ... starting up"). */
export interface ServingMark {
  readonly member: number;
  readonly at: number;
}

/** The outage's parts, each from its own source: the engine, ZooKeeper's log, the clients' history. */
export interface OutageParts {
  /** The engine's time to inject the fault (the harness's, not ZooKeeper's). */
  readonly injectionMs: number;
  /** From the last acknowledgement to the new leader's election starting (ZooKeeper noticing). */
  readonly detectionMs: number | null;
  /** The election the new leader logged ("LEADER ELECTION TOOK"). */
  readonly electionMs: number | null;
  /** From the election's end to the leader serving with a quorum of synced followers. */
  readonly syncMs: number | null;
  /** From the leader serving to the first acknowledged write (the clients finding it again). */
  readonly reconnectionMs: number | null;
  /** The member whose election and sync these are. */
  readonly leader: number | null;
}

export interface FaultRecovery extends FaultMark {
  /**
   * The clients' outage around the fault, ms: from the last write acknowledged before the first
   * write acknowledged after the fault took effect (invoked after it) to that one; null: none.
   */
  readonly rtoMs: number | null;
  /** Why there is no figure: no workload ran then, or no write succeeded before it stopped. */
  readonly unmeasured?: string;
  readonly elections: readonly Election[];
  /** Wall clock of the outage's ends: the last acknowledgement before it, the first after it. */
  readonly outage?: { readonly from: number; readonly to: number };
  /** The outage began before this fault did: it belongs to that earlier fault (named), not to this one. */
  readonly within?: string;
  readonly parts?: OutageParts;
}

/** How the journal's RTO was measured: "outage" (this module), or "fault-to-ack" (runs recorded before it). */
export type RtoMethod = "outage" | "fault-to-ack";

/** The workload's writes: what the RTO is measured on. */
export const workloadWrites = (ops: readonly Operation[], workload: ReadonlySet<number>) =>
  ops.filter((op) => workload.has(op.process) && (op.f === "create" || op.f === "cas" || op.f === "write") && !op.ephemeral);

export interface RecoveryEvidence {
  readonly elections?: readonly Election[];
  readonly serving?: readonly ServingMark[];
  readonly method?: RtoMethod;
}

export function recoveries(writes: readonly Operation[], faults: readonly FaultMark[], ev: RecoveryEvidence = {}): FaultRecovery[] {
  const byCall = [...writes].sort((a, b) => a.call - b.call);
  const acks = writes.filter((op) => op.outcome === "ok").sort((a, b) => a.ret - b.ret);
  const lastCall = byCall.length ? byCall[byCall.length - 1].call : -Infinity;
  const elections = ev.elections ?? [];
  const owners = new Map<string, string>();
  return faults.map((f, i) => {
    const next = faults[i + 1];
    const effective = f.endMono ?? f.mono;
    const first = firstAckAfter(byCall, effective);
    const running = byCall.some((op) => op.call <= f.mono) && lastCall >= effective;
    if (first === null) {
      return {
        ...f,
        rtoMs: null,
        unmeasured: running ? "no write acknowledged after it while the workload ran" : "no workload ran at this fault",
        elections: elections.filter((e) => e.at >= f.at && e.at <= (next?.at ?? Infinity) + 1_000),
      };
    }
    if (ev.method === "fault-to-ack") {
      const rtoMs = first.ret - f.mono;
      return { ...f, rtoMs: Math.round(rtoMs), elections: elections.filter((e) => e.at >= f.at && e.at <= f.at + rtoMs + 1_000) };
    }
    const hole = widestGap(acks, f.mono, first);
    // No acknowledgement before it at all: the outage is counted from the fault itself.
    const fromMono = hole.before?.ret ?? f.mono;
    const from = hole.before?.returnedAt ?? f.at;
    const to = hole.after.returnedAt ?? f.at + (hole.after.ret - f.mono);
    const key = `${fromMono}:${hole.after.ret}`;
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, f.label);
    const shown = elections.filter((e) => e.at >= Math.min(f.at, from) && e.at <= to + 1_000);
    return {
      ...f,
      rtoMs: Math.round(hole.after.ret - fromMono),
      elections: shown,
      outage: { from, to },
      ...(owner !== undefined ? { within: owner } : { parts: partsOf(f, effective, from, to, shown, ev.serving ?? []) }),
    };
  });
}

/** The acknowledged write that answered first among those invoked at or after `effective`. */
function firstAckAfter(byCall: readonly Operation[], effective: number): Operation | null {
  let best: Operation | null = null;
  for (const op of byCall) {
    if (best && op.call > best.ret) break;
    if (op.call < effective || op.outcome !== "ok") continue;
    if (!best || op.ret < best.ret) best = op;
  }
  return best;
}

/**
 * The clients' outage around a fault: the widest gap between two acknowledgements in a row that ends
 * after the fault began and no later than `first` (the first write invoked after it took effect and
 * acknowledged). Requests a client queued while disconnected are acknowledged in a burst when it
 * reconnects: the hole is before that burst, however the acknowledged writes were invoked.
 */
function widestGap(acks: readonly Operation[], faultMono: number, first: Operation): { before: Operation | null; after: Operation } {
  const end = firstAtOrAfter(acks, first.ret);
  let best = { before: end > 0 ? acks[end - 1] : null, after: first, ms: end > 0 ? first.ret - acks[end - 1].ret : -1 };
  for (let i = end - 1; i > 0 && acks[i].ret >= faultMono; i--) {
    const ms = acks[i].ret - acks[i - 1].ret;
    if (ms > best.ms) best = { before: acks[i - 1], after: acks[i], ms };
  }
  return best;
}

/** The index of the first acknowledgement at or after `ret` (acks sorted by ret). */
function firstAtOrAfter(acks: readonly Operation[], ret: number): number {
  let lo = 0;
  let hi = acks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (acks[mid].ret < ret) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The leader that ended the outage, from ZooKeeper's log: the last "serving" line inside the outage,
 * and that member's election just before it. Wall clocks throughout (the members' log lines carry
 * the engine's receipt time, the host's clock, whatever a clock fault did to the member).
 */
function partsOf(f: FaultMark, effective: number, from: number, to: number, elections: readonly Election[], serving: readonly ServingMark[]): OutageParts {
  const injectionMs = Math.round(effective - f.mono);
  const lead = serving.filter((s) => s.at > from && s.at <= to).sort((a, b) => a.at - b.at).pop();
  const elected = lead ? elections.filter((e) => e.member === lead.member && e.at <= lead.at && e.at >= from - 1_000).sort((a, b) => a.at - b.at).pop() : undefined;
  if (!lead || !elected) return { injectionMs, detectionMs: null, electionMs: null, syncMs: null, reconnectionMs: null, leader: null };
  const nonNegative = (ms: number) => (ms >= 0 ? Math.round(ms) : null);
  return {
    injectionMs,
    detectionMs: nonNegative(elected.at - elected.tookMs - from),
    electionMs: elected.tookMs,
    syncMs: nonNegative(lead.at - elected.at),
    reconnectionMs: nonNegative(to - lead.at),
    leader: lead.member,
  };
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

/** The faults the objective judges: each outage once (by the fault it began at), never one declared the point. */
export function judgedRecoveries(recovered: readonly FaultRecovery[]): FaultRecovery[] {
  const expected = new Set(recovered.filter((r) => r.expectOutage).map((r) => r.label));
  return recovered.filter((r) => r.unmeasured !== "no workload ran at this fault" && !r.within && !r.expectOutage && !(r.rtoMs === null && precededByExpected(recovered, r, expected)));
}

/** A fault with no recovery after an outage the drill declared (nothing could come back after it). */
function precededByExpected(recovered: readonly FaultRecovery[], r: FaultRecovery, expected: ReadonlySet<string>): boolean {
  const i = recovered.indexOf(r);
  return recovered.slice(0, i).some((p) => expected.has(p.label) && p.rtoMs === null);
}

/** The drill's RTO objective against every outage it covers. A fault with no figure is not a pass. */
export function rtoWithin(recovered: readonly FaultRecovery[], input: RtoObjectiveInput): CheckResult {
  const name = `RTO objective: writes recover within ${(input.maxMs / 1000).toFixed(1)} s of every fault`;
  const scope = input.faults ? recovered.filter((r) => input.faults!.includes(r.label)) : judgedRecoveries(recovered);
  const expected = recovered.filter((r) => r.expectOutage).map((r) => `${r.label} (${r.expectOutage})`);
  const evidence = { maxMs: input.maxMs, perFault: scope.map((r) => ({ fault: r.label, rtoMs: r.rtoMs, unmeasured: r.unmeasured ?? null })), expectedOutages: expected };
  if (scope.length === 0) return inconclusive(name, expected.length ? `no fault to judge besides the outages the drill declares: ${some(expected, 3)}` : "no fault happened while the workload ran", evidence);
  const missed = scope.filter((r) => r.rtoMs === null || r.rtoMs > input.maxMs);
  const longest = scope.reduce((a, b) => ((b.rtoMs ?? Infinity) > (a.rtoMs ?? Infinity) ? b : a));
  const fmt = (r: FaultRecovery) => `${r.label}: ${r.rtoMs === null ? r.unmeasured : `${(r.rtoMs / 1000).toFixed(2)} s`}`;
  const besides = expected.length ? `; declared outages not held to it: ${some(expected, 2)}` : "";
  return verdict(name, missed.length === 0, missed.length === 0 ? `longest ${fmt(longest)} over ${scope.length} outage(s)${besides}` : `missed: ${some(missed.map(fmt), 3)}${besides}`, evidence);
}
