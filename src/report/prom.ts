// metrics.prom: the run's outcome for a team's monitoring, in the Prometheus text format that
// node_exporter's textfile collector reads (copy the file into its --collector.textfile.directory).
// That collector takes no timestamps, so the run's time is a value of its own. A figure not
// measured is left out (absent, not NaN): an alert on `absent()` says so better than a fake zero.
import type { DrillRecord } from "./record";
import type { DrillReport } from "./verdict";

const STATUSES = ["passed", "failed", "inconclusive", "aborted"] as const;
const CHECK_STATUSES = ["passed", "failed", "inconclusive"] as const;

/** Label values per the exposition format: backslash, double quote and newline escaped. */
export function labelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${labelValue(v)}"`).join(",")}}`;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: ReadonlyArray<{ labels: Record<string, string>; value: number }>;
}

function family(name: string, help: string, samples: Family["samples"]): Family {
  return { name, help, samples };
}

/** Every family is a gauge: each file is the state after one run, replaced by the next. */
export function renderTextfile(report: DrillReport, record: DrillRecord): string {
  // One series per drill and ZooKeeper version: the scheduled matrix runs each drill on several.
  const base = { drill: report.drill, zookeeper_version: report.zookeeperVersion };
  const one = (value: number | null, extra: Record<string, string> = {}) => (value === null ? [] : [{ labels: { ...base, ...extra }, value }]);
  const row = (what: string) => record.objectives.find((o) => o.what === what);
  const started = Date.parse(report.startedAt) / 1000;
  const families: Family[] = [
    family("zkdrill_drill_last_status", "The drill's last verdict: 1 for the status it had, 0 for the others.", STATUSES.map((s) => ({ labels: { ...base, status: s }, value: report.status === s ? 1 : 0 }))),
    family("zkdrill_drill_last_run_timestamp_seconds", "When the drill's last run started, Unix time.", one(started)),
    family("zkdrill_drill_last_run_duration_seconds", "How long the drill's last run took.", one(record.when.durationS)),
    family("zkdrill_drill_rto_seconds", "Longest recovery time over the faults: fault to the first acknowledged write after it.", one(row("RTO")?.measured ?? null)),
    family("zkdrill_drill_rto_objective_seconds", "The RTO objective the drill held the run to.", one(row("RTO")?.objective ?? null)),
    family("zkdrill_drill_rpo_seconds", "The recovery point: how far before the disaster acknowledged writes were lost.", one(row("RPO")?.measured ?? null)),
    family("zkdrill_drill_rpo_objective_seconds", "The RPO objective the drill held the run to.", one(row("RPO")?.objective ?? null)),
    family("zkdrill_drill_writes_lost", "Distinct acknowledged writes lost.", one(report.metrics.writesLost)),
    family("zkdrill_drill_throughput_ops_per_second", "The workload's mean acknowledged operations per second over the run.", one(record.throughput.meanOpsPerSec)),
    family("zkdrill_drill_throughput_lowest_phase_ops_per_second", "The lowest phase mean of acknowledged operations per second.", one(record.throughput.lowestPhase?.opsPerSec ?? null)),
    family(
      "zkdrill_drill_objective_met",
      "Each judged objective: 1 met, 0 missed (absent when not declared or not judged).",
      record.objectives.filter((o) => o.result === "met" || o.result === "missed").map((o) => ({ labels: { ...base, objective: o.what }, value: o.result === "met" ? 1 : 0 })),
    ),
    family("zkdrill_drill_checks", "Checks of the drill's last run, by status.", CHECK_STATUSES.map((s) => ({ labels: { ...base, status: s }, value: report.checks.filter((c) => c.status === s).length }))),
    family("zkdrill_drill_findings", "Observations of the drill's last run, by severity.", ["critical", "high", "medium", "low", "info"].map((s) => ({ labels: { ...base, severity: s }, value: record.findings.filter((f) => f.severity === s).length }))),
    family("zkdrill_drill_rerun_due_timestamp_seconds", "A failed, inconclusive or interrupted run is re-run by this time, Unix time.", one(record.reRunBy === null ? null : Date.parse(`${record.reRunBy}T00:00:00Z`) / 1000)),
    family("zkdrill_drill_last_run_info", "The drill's last run: its id, test type and drill version (git commit); always 1.", one(1, { run_id: record.testId, type: record.type, commit: record.drillVersion })),
  ];
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
    for (const s of f.samples) out.push(`${f.name}${labels(s.labels)} ${formatValue(s.value)}`);
  }
  return out.join("\n") + "\n";
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  return String(v);
}
