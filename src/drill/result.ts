// report.json: the machine-readable result, a pure function of the journal.
import type { JournalEvent } from "./journal";

export type RunStatus = "passed" | "failed" | "aborted";

export interface DrillReport {
  readonly drill: string;
  readonly procedure: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly seed: number;
  readonly zookeeperVersion: string;
  readonly runId: string;
  readonly error: string | null;
  readonly steps: ReadonlyArray<{ name: string; status: "passed" | "failed" | "unfinished"; startedAt: string; endedAt: string | null; error?: string }>;
  readonly checks: ReadonlyArray<{ name: string; status: "passed" | "failed"; summary: string; evidence: unknown }>;
  readonly metrics: {
    readonly rtoMs: number | null;
    readonly writesAcked: number | null;
    readonly writesLost: number | null;
    /** The recovery point a drill stated (P3: the backup's time), or null. */
    readonly rpo: string | null;
    readonly throughputByPhase: Readonly<Record<string, number>>;
  };
}

export function buildReport(events: readonly JournalEvent[]): DrillReport {
  const start = events.find((e) => e.type === "run-start");
  if (!start) throw new Error("the journal has no run-start record");
  const end = events.find((e) => e.type === "run-end");
  const steps: Array<{ name: string; status: "passed" | "failed" | "unfinished"; startedAt: string; endedAt: string | null; error?: string }> = [];
  const open: number[] = [];
  const checks: DrillReport["checks"][number][] = [];
  let writesAcked: number | null = null;
  let writesLost: number | null = null;
  let rpo: string | null = null;
  for (const e of events) {
    if (e.type === "step-start") {
      open.push(steps.length);
      steps.push({ name: String(e.data.name), status: "unfinished", startedAt: e.ts, endedAt: null });
    } else if (e.type === "step-end") {
      // Steps nest (a verb inside a named step): close the innermost open one with this name.
      for (let i = open.length - 1; i >= 0; i--) {
        const s = steps[open[i]];
        if (s.name === e.data.name) {
          s.status = e.data.status === "passed" ? "passed" : "failed";
          s.endedAt = e.ts;
          if (e.data.error) s.error = String(e.data.error);
          open.splice(i, 1);
          break;
        }
      }
    } else if (e.type === "check") {
      checks.push({ name: String(e.data.name), status: e.data.status === "passed" ? "passed" : "failed", summary: String(e.data.summary ?? ""), evidence: e.data.evidence });
      const ev = e.data.evidence as { missing?: unknown[]; stale?: unknown[]; diverged?: unknown[] } | undefined;
      if (ev && Array.isArray(ev.missing)) writesLost = (writesLost ?? 0) + ev.missing.length + (ev.stale?.length ?? 0) + (ev.diverged?.length ?? 0);
    } else if (e.type === "note" && e.data.what === "rpo") {
      rpo = String(e.data.summary);
    } else if (e.type === "note" && e.data.what === "workload summary") {
      writesAcked = Number(e.data.writesAcked);
    }
  }
  const status: RunStatus = end ? ((end.data.status as RunStatus) ?? "failed") : "aborted";
  const d = start.data;
  const endData = (end?.data ?? {}) as { rtoMs?: number; throughputByPhase?: Record<string, number>; error?: string };
  return {
    drill: String(d.drill),
    procedure: String(d.procedure ?? ""),
    status,
    startedAt: start.ts,
    endedAt: end?.ts ?? null,
    seed: Number(d.seed),
    zookeeperVersion: String(d.zookeeperVersion),
    runId: String(d.runId),
    error: endData.error ?? (end ? null : "the run ended without a run-end record (killed?)"),
    steps,
    checks,
    metrics: {
      rtoMs: endData.rtoMs ?? null,
      writesAcked,
      writesLost,
      rpo,
      throughputByPhase: endData.throughputByPhase ?? {},
    },
  };
}
