// The run's end: its history judged and the verdicts, findings and recovery figures journaled (the
// runner's last stage before run-end; the soak bench journals a generated run the same way).
import { analyseRecorded, type RunAnalysis } from "../checks";
import { errorText } from "../common";
import type { Journal } from "../journal";

/** The end-of-run verdicts from the history (read back from `historyPath`, flushed and anchored) and the journal. */
export function judgeRun(journal: Journal, historyPath: string): void {
  let a: RunAnalysis;
  try {
    const { analysis, figures } = analyseRecorded(journal.events, historyPath);
    a = analysis;
    // What judging took: report.json's `analysis` (a soak's million operations must be judged in seconds).
    journal.append("note", { what: "analysis", ...figures });
  } catch (err) {
    // A history the checks cannot read is itself a failure of the run's evidence, said as one.
    journal.append("check", { kind: "history-readable", auto: true, name: "the history can be judged", status: "failed", summary: errorText(err), evidence: {} });
    return;
  }
  for (const c of a.checks) journal.append("check", { kind: c.kind, auto: true, name: c.result.name, status: c.result.status, summary: c.result.summary, evidence: c.result.evidence });
  for (const f of a.findings) journal.append("finding", { ...f });
  journal.append("note", {
    what: "recovery",
    perFault: a.recoveries.map((r) => ({
      fault: r.label,
      kind: r.kind,
      at: r.at,
      rtoMs: r.rtoMs,
      unmeasured: r.unmeasured ?? null,
      elections: r.elections,
      outage: r.outage ?? null,
      within: r.within ?? null,
      parts: r.parts ?? null,
      expectOutage: r.expectOutage ?? null,
    })),
    longestGapMs: a.longestGapMs,
    lost: a.lost ? { count: a.lost.lost.length, judged: a.lost.judged, rpoMs: a.lost.rpoMs, disasterAt: a.lost.disasterAt, writes: a.lost.lost.slice(0, 200) } : null,
  });
}
