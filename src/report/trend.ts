// The trend across scheduled runs: per drill, the verdict, RTO, RPO and throughput over time,
// with what a review must see flagged. A recovery that got much slower since the last passed run
// is a finding even when this run passed; a drill not run for 30 days, or failed and not re-run
// within 30 days, is overdue; a folder that does not verify is listed, never silently dropped.
// Known-bug runs get a table of their own: per bug, per version, reproduced or not, against what the
// version promises; a reproduction on an affected version is the drill doing its job, not a failure to re-run.
// Pure: the runs (their DR test records and verification results) in, the trend out.
import type { BugOutcome, BugVerdict } from "./known-bug";
import type { DrillRecord } from "./record";

export interface TrendInput {
  /** Where the run was read from (a folder or an archive, relative to the reports folder). */
  readonly source: string;
  /** The run's record (from report.json, or derived from its journal); null when unreadable. */
  readonly record: DrillRecord | null;
  /** Verification problems; empty when the folder proved itself. */
  readonly problems: readonly string[];
  /** The drill's name when the record is unreadable but the folder says it. */
  readonly drill?: string;
  /** A known-bug drill's run: its bug's outcome on its version, against the version's promise. */
  readonly knownBug?: BugVerdict;
}

export interface TrendOptions {
  /** A figure worse than the previous passed run's by more than this fraction is a regression (0.5: +50%). */
  readonly tolerance: number;
  /** ...and by more than this many seconds (RTO, RPO): a 2 ms RPO after 0 ms is noise, not a regression. */
  readonly minDeltaS: number;
  /** YYYY-MM-DD the overdue flags are judged at. */
  readonly today: string;
  /** Days within which a drill is run, and a failed one re-run. */
  readonly days: number;
  /** Drills expected to have run (the catalog): one with no run at all is flagged too. */
  readonly expected?: readonly string[];
}

export const DEFAULT_TREND_OPTIONS: Omit<TrendOptions, "today"> = { tolerance: 0.5, minDeltaS: 0.25, days: 30 };

export interface TrendRow {
  readonly source: string;
  readonly testId: string;
  readonly startedAt: string;
  readonly date: string;
  readonly status: DrillRecord["verdict"];
  readonly rtoS: number | null;
  readonly rpoS: number | null;
  readonly opsPerSec: number | null;
  readonly zookeeperVersion: string;
  readonly commit: string;
  readonly quick: boolean;
  /** Regressions against the previous passed run of this drill on this ZooKeeper version, in the same mode. */
  readonly regressions: readonly string[];
  /** For a run that did not pass: the date it is re-run by, and whether it was. */
  readonly reRun: { readonly due: string; readonly by: string | null } | null;
}

export interface DrillTrend {
  readonly drill: string;
  /** Oldest first. */
  readonly rows: readonly TrendRow[];
  /** What a review must act on: regressions, not run within the window, failed and not re-run. */
  readonly flags: readonly string[];
  /** Failed runs whose re-run is still within its window. */
  readonly pending: readonly string[];
}

/** The newest verified run of a bug on a version. */
export interface KnownBugCell {
  readonly version: string;
  readonly outcome: BugOutcome;
  readonly expected: BugOutcome | null;
  readonly asExpected: boolean;
  readonly evidence: string;
  readonly date: string;
  /** The run it was read from (relative to the reports folder), and how many runs of the bug on this version there are. */
  readonly source: string;
  readonly runs: number;
}

/** A bug's row of the "reproduced per version" table; flags: a version whose newest run broke its promise. */
export interface KnownBugRow {
  readonly jira: string;
  readonly drill: string;
  readonly cells: readonly KnownBugCell[];
  readonly flags: readonly string[];
}

export interface Trend {
  readonly today: string;
  readonly options: TrendOptions;
  readonly drills: readonly DrillTrend[];
  /** Known bugs: reproduced per version (the columns: every version any bug ran on, oldest first). */
  readonly knownBugs: { readonly versions: readonly string[]; readonly rows: readonly KnownBugRow[] };
  readonly unverified: ReadonlyArray<{ source: string; drill: string | null; problems: readonly string[] }>;
  /** Every flag over every drill, plus one per unverified folder. */
  readonly flagged: number;
}

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY);
const plusDays = (date: string, n: number) => new Date(Date.parse(date.slice(0, 10)) + n * DAY).toISOString().slice(0, 10);
const pct = (x: number) => `${x >= 0 ? "+" : ""}${Number((x * 100).toFixed(1))}%`;

function figuresOf(r: DrillRecord) {
  const row = (what: string) => r.objectives.find((o) => o.what === what)?.measured ?? null;
  return { rtoS: row("RTO"), rpoS: row("RPO"), opsPerSec: r.throughput.meanOpsPerSec };
}

/** What got worse against the baseline, beyond the tolerance. */
function regressions(now: ReturnType<typeof figuresOf>, base: TrendRow, o: TrendOptions): string[] {
  const out: string[] = [];
  const slower = (what: string, x: number | null, b: number | null) => {
    if (x === null || b === null) return;
    if (x > b * (1 + o.tolerance) && x - b > o.minDeltaS) out.push(`${what} ${x.toFixed(2)} s vs ${b.toFixed(2)} s on ${base.date} (${b > 0 ? pct(x / b - 1) : "from 0"}; tolerance ${pct(o.tolerance)})`);
  };
  slower("RTO", now.rtoS, base.rtoS);
  slower("RPO", now.rpoS, base.rpoS);
  if (now.opsPerSec !== null && base.opsPerSec !== null && base.opsPerSec > 0 && now.opsPerSec < base.opsPerSec * (1 - o.tolerance)) {
    out.push(`throughput ${now.opsPerSec} ops/s vs ${base.opsPerSec} ops/s on ${base.date} (${pct(now.opsPerSec / base.opsPerSec - 1)}; tolerance -${(o.tolerance * 100).toFixed(0)}%)`);
  }
  return out;
}

export function buildTrend(inputs: readonly TrendInput[], o: TrendOptions): Trend {
  const unverified = inputs.filter((i) => i.problems.length > 0 || i.record === null).map((i) => ({ source: i.source, drill: i.record?.drill ?? i.drill ?? null, problems: i.problems.length ? i.problems : ["no readable record"] }));
  // A run archived beside its folder is one run: the first verified copy stands for it.
  const seen = new Set<string>();
  const good = inputs
    .filter((i): i is TrendInput & { record: DrillRecord } => i.problems.length === 0 && i.record !== null)
    .filter((i) => !seen.has(i.record.testId) && (seen.add(i.record.testId), true))
    .sort((a, b) => a.record.when.startedAt.localeCompare(b.record.when.startedAt) || a.source.localeCompare(b.source));
  const names = [...new Set([...good.map((i) => i.record.drill), ...(o.expected ?? [])])].sort();
  const drills = names.map((drill) => drillTrend(drill, good.filter((i) => i.record.drill === drill), o));
  const knownBugs = knownBugTable(good);
  const flagged = drills.reduce((n, d) => n + d.flags.length, 0) + knownBugs.rows.reduce((n, r) => n + r.flags.length, 0) + unverified.length;
  return { today: o.today, options: o, drills, knownBugs, unverified, flagged };
}

/** "3.5.10" after "3.5.9": numeric, part by part. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Per bug and version, the newest run (the runs come oldest first). */
function knownBugTable(runs: ReadonlyArray<TrendInput & { record: DrillRecord }>): Trend["knownBugs"] {
  const bugRuns = runs.filter((i): i is TrendInput & { record: DrillRecord; knownBug: BugVerdict } => i.knownBug !== undefined);
  const versions = [...new Set(bugRuns.map((i) => i.knownBug.version))].sort(compareVersions);
  const rows = [...new Set(bugRuns.map((i) => i.knownBug.jira))].sort().map((jira): KnownBugRow => {
    const mine = bugRuns.filter((i) => i.knownBug.jira === jira);
    const cells = versions.flatMap((version): KnownBugCell[] => {
      const on = mine.filter((i) => i.knownBug.version === version);
      const last = on[on.length - 1];
      if (!last) return [];
      const v = last.knownBug;
      return [{ version, outcome: v.outcome, expected: v.expected, asExpected: v.asExpected, evidence: v.evidence, date: last.record.when.date, source: last.source, runs: on.length }];
    });
    const flags = cells.filter((c) => !c.asExpected).map((c) => `${jira} ${c.outcome} on ${c.version} (${c.date}, ${c.source}); the version promises ${c.expected}: ${c.evidence}`);
    return { jira, drill: mine[mine.length - 1].record.drill, cells, flags };
  });
  return { versions, rows };
}

function drillTrend(drill: string, runs: ReadonlyArray<TrendInput & { record: DrillRecord }>, o: TrendOptions): DrillTrend {
  const rows: TrendRow[] = [];
  const flags: string[] = [];
  const pending: string[] = [];
  for (const [i, { source, record: r, knownBug }] of runs.entries()) {
    const f = figuresOf(r);
    const version = r.scope.zookeeperVersion;
    // Like with like: the same ZooKeeper version and the same mode (quick runs measure shorter windows).
    const base = [...rows].reverse().find((x) => x.status === "passed" && x.zookeeperVersion === version && x.quick === r.quick);
    const found = base ? regressions(f, base, o) : [];
    let reRun: TrendRow["reRun"] = null;
    // A known bug reproduced where its version is affected is what the run is for: nothing to re-run.
    const promised = knownBug !== undefined && knownBug.asExpected && knownBug.expected === "reproduced";
    if (r.verdict !== "passed" && !promised) {
      const due = plusDays(r.when.date, o.days);
      const next = runs.slice(i + 1).find((x) => x.record.when.date <= due);
      reRun = { due, by: next ? next.record.when.date : null };
      const what = `${r.verdict} on ${r.when.date} (${r.testId})`;
      if (!next && o.today > due) flags.push(`${what} and not re-run within ${o.days} days (due ${due})`);
      else if (!next) pending.push(`${what}: re-run due by ${due}`);
    }
    for (const g of found) flags.push(`regression on ${r.when.date} (ZooKeeper ${version}, ${r.testId}): ${g}`);
    rows.push({ source, testId: r.testId, startedAt: r.when.startedAt, date: r.when.date, status: r.verdict, ...f, zookeeperVersion: version, commit: r.drillVersion, quick: r.quick, regressions: found, reRun });
  }
  const last = rows[rows.length - 1];
  if (!last) flags.push(`never run (no verified run in this folder)`);
  else if (days(last.date, o.today) > o.days) flags.push(`not run for ${days(last.date, o.today)} days (last ${last.date}; a drill runs at least every ${o.days} days)`);
  return { drill, rows, flags, pending };
}
