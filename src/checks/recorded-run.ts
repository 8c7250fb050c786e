// The end-of-run analysis of a recorded run, from its journal and its history file, timed phase by phase
// with the memory it reached: the runner journals these figures (report.json's `analysis`), `report verify`
// runs the same, and bench/analysis.ts prints them.
import { performance } from "node:perf_hooks";
import { readOperations, type RecordedHistory } from "../history";
import type { JournalEvent } from "../journal";
import { analyseRun, type RunAnalysis } from "./analysis";
import { runEvidence } from "./from-journal";

/** How long each phase of the analysis took, and the peak resident memory of the process by its end. */
export interface AnalysisFigures {
  readonly operations: number;
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly totalMs: number;
  readonly peakRssMb: number;
}

/** `history`: its file (streamed), or its operations already read (report verify reads them once for every check). */
export function analyseRecorded(events: readonly JournalEvent[], history: string | RecordedHistory): { analysis: RunAnalysis; figures: AnalysisFigures } {
  const phasesMs: Record<string, number> = {};
  const t0 = performance.now();
  let at = t0;
  const lap = (phase: string) => {
    const now = performance.now();
    phasesMs[phase] = Math.round(now - at);
    at = now;
  };
  const recorded = typeof history === "string" ? readOperations(history) : history;
  lap("read the history");
  const evidence = runEvidence(events, recorded);
  lap("gather the evidence");
  const analysis = analyseRun(evidence);
  lap("judge");
  // The judging's parts, after the reading's.
  delete phasesMs.judge;
  Object.assign(phasesMs, analysis.phasesMs);
  return { analysis, figures: { operations: evidence.ops.length, phasesMs, totalMs: Math.round(performance.now() - t0), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) } };
}
