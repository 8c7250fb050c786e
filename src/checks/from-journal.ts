// The run's evidence as the checks take it, read back from the journal and the history: the same
// function serves the runner at the end of a run and `zkdrill report verify` a year later.
import { type HistoryEvent, operations, type RecordedHistory } from "../history";
import type { JournalEvent } from "../journal";
import type { Objectives, RunEvidence } from "./analysis";
import type { Election, FaultMark, RtoMethod, ServingMark } from "./availability";
import type { LeaderSample } from "./ensemble";
import type { LineageBreak } from "./lineage";
import type { MemberReads } from "./snapshot";
import type { Phase, RateSample } from "./throughput";

/** `history`: its events, or its operations as readOperations streams them from the file (a soak's). */
export function runEvidence(events: readonly JournalEvent[], history: readonly HistoryEvent[] | RecordedHistory): RunEvidence {
  const recorded = "ops" in history ? history : { ops: operations(history), processes: history };
  const start = events.find((e) => e.type === "run-start");
  const workload = new Set<number>();
  const sessionOf = new Map<number, string>();
  for (const h of recorded.processes) {
    if (h.type !== "process") continue;
    if (h.role.startsWith("workload")) workload.add(h.process);
    if (h.session) sessionOf.set(h.process, h.session);
  }
  const ended = new Map(events.filter((e) => e.type === "fault-end").map((e) => [String(e.data.id), e.mono] as const));
  const faults: FaultMark[] = events
    .filter((e) => e.type === "fault")
    .map((e) => ({
      label: String(e.data.label),
      kind: String(e.data.kind),
      mono: e.mono ?? Date.parse(e.ts),
      at: Date.parse(e.ts),
      endMono: ended.get(String(e.data.id)),
      ...(typeof e.data.expectOutage === "string" ? { expectOutage: e.data.expectOutage } : {}),
    }));
  const elections: Election[] = events.filter((e) => e.type === "election").map((e) => e.data as unknown as Election);
  const serving: ServingMark[] = events.filter((e) => e.type === "zk-log" && e.data.what === "serving").map((e) => ({ member: Number(e.data.member), at: Number(e.data.at) }));
  const breaks: LineageBreak[] = events.filter((e) => e.type === "lineage").map((e) => e.data as unknown as LineageBreak);
  const leaderSamples: Array<LeaderSample & { voters: string }> = [];
  for (const e of events) {
    if (e.type !== "note" || e.data.what !== "leadership") continue;
    const epochs = (e.data.leaderEpochs ?? {}) as Record<string, number>;
    const voters = (e.data.voters ?? {}) as Record<string, string>;
    for (const [member, epoch] of Object.entries(epochs)) leaderSamples.push({ at: Date.parse(e.ts), member: Number(member), epoch, voters: voters[member] ?? "unknown" });
  }
  // What survived: every synced read after the last lineage break (every one when there is none).
  const lastBreak = events.map((e) => e.type).lastIndexOf("lineage");
  const reads = events.slice(lastBreak + 1).filter((e) => e.type === "note" && e.data.what === "synced reads");
  const lastReads = reads.length ? reads.flatMap((e) => e.data.reads as MemberReads[]) : null;
  return {
    ops: recorded.ops,
    workload,
    sessionOf,
    faults,
    elections,
    serving,
    // Runs recorded before the clients' outage was the RTO were measured from the fault's start.
    rtoMethod: (start?.data.rtoMethod as RtoMethod | undefined) ?? "fault-to-ack",
    breaks,
    leaderSamples,
    lastReads,
    objectives: ((start?.data.objectives ?? {}) as Objectives) ?? {},
    samples: samplesOf(events),
    phases: phasesOf(events),
  };
}

/** The workload's per-second samples (throughput checks read them). */
export function samplesOf(events: readonly JournalEvent[]): RateSample[] {
  return events.filter((e) => e.type === "sample").map((e) => e.data as unknown as RateSample);
}

/** The phases the drill marked: each ends where the next begins, the last at the workload's last sample. */
export function phasesOf(events: readonly JournalEvent[]): Phase[] {
  const marks = events.filter((e) => e.type === "phase");
  const samples = samplesOf(events);
  const lastSample = samples.length ? Math.max(...samples.map((s) => s.at)) + 1 : 0;
  return marks.map((e, i) => {
    const start = Date.parse(e.ts);
    const next = marks[i + 1];
    return { name: String(e.data.name), start, end: next ? Date.parse(next.ts) : Math.max(start, lastSample) };
  });
}
