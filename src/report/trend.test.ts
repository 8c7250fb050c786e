import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { variantRun } from "../../test/support/runs";
import { readJournal } from "../journal";
import { REPORT_FORMATS, writeReports } from ".";
import { packRunFolder } from "./archive";
import { buildTrend, DEFAULT_TREND_OPTIONS, TrendInput } from "./trend";
import { trendHtml, trendMarkdown } from "./trend-render";
import { findRuns, scanRuns } from "./trend-scan";
import { buildRecord, DrillRecord } from "./record";
import type { BugVerdict } from "./known-bug";

const BASE = buildRecord(readJournal(join(variantRun(), "journal.jsonl")));
const OPTS = { ...DEFAULT_TREND_OPTIONS, today: "2026-11-23" };

/** A record like the fixture's, on another date, with another verdict and figures. */
function run(date: string, o: { status?: DrillRecord["verdict"]; rto?: number | null; rpo?: number; ops?: number; drill?: string; version?: string; quick?: boolean } = {}): TrendInput {
  const objectives = BASE.objectives.map((x) => (x.what === "RTO" && o.rto !== undefined ? { ...x, measured: o.rto } : x.what === "RPO" && o.rpo !== undefined ? { ...x, measured: o.rpo } : x));
  const record: DrillRecord = {
    ...BASE,
    testId: `${o.drill ?? BASE.drill}-${date}-${o.version ?? "3.9.5"}`,
    drill: o.drill ?? BASE.drill,
    verdict: o.status ?? "passed",
    quick: o.quick ?? true,
    when: { ...BASE.when, date, startedAt: `${date}T03:17:00.000Z` },
    scope: { ...BASE.scope, zookeeperVersion: o.version ?? "3.9.5" },
    objectives,
    throughput: { ...BASE.throughput, meanOpsPerSec: o.ops ?? 35 },
  };
  return { source: `runs/${record.testId}`, record, problems: [] };
}

describe("drill trend (pure)", () => {
  it("flags an RTO that got worse than the last passed run's beyond the tolerance, even in a passed run", () => {
    const h = buildTrend([run("2026-11-02", { rto: 0.5 }), run("2026-11-09", { rto: 0.7 }), run("2026-11-16", { rto: 1.6 }), run("2026-11-20", { rto: 1.7 })], OPTS);
    const d = h.drills[0];
    expect(d.rows.map((r) => r.regressions.length)).to.deep.equal([0, 0, 1, 0]);
    expect(d.flags).to.deep.equal(["regression on 2026-11-16 (ZooKeeper 3.9.5, quickstart-leader-failover-2026-11-16-3.9.5): RTO 1.60 s vs 0.70 s on 2026-11-09 (+128.6%; tolerance +50%)"]);
    expect(h.flagged).to.equal(1);
  });

  it("compares like with like: the same ZooKeeper version and mode; small absolute changes are noise", () => {
    const h = buildTrend([run("2026-11-02", { rto: 0.5, version: "3.8.6" }), run("2026-11-03", { rto: 2, version: "3.9.5" }), run("2026-11-04", { rto: 4, quick: false }), run("2026-11-09", { rto: 0.6, version: "3.8.6", rpo: 0.2 })], OPTS);
    expect(h.flagged).to.equal(0);
    const worse = buildTrend([run("2026-11-02", { rto: 0.5, version: "3.8.6" }), run("2026-11-09", { rto: 1, version: "3.8.6", ops: 10 })], OPTS);
    expect(worse.drills[0].flags.map((f) => f.replace(/^.*\): /, ""))).to.deep.equal(["RTO 1.00 s vs 0.50 s on 2026-11-02 (+100%; tolerance +50%)", "throughput 10 ops/s vs 35 ops/s on 2026-11-02 (-71.4%; tolerance -50%)"]);
  });

  it("flags a drill not run for 30 days, a failure not re-run within 30 days, and an expected drill never run", () => {
    const h = buildTrend(
      [
        run("2026-09-01", { drill: "a", status: "failed" }),
        run("2026-09-20", { drill: "a", status: "failed" }),
        run("2026-11-20", { drill: "a" }),
        run("2026-10-01", { drill: "b" }),
        run("2026-11-15", { drill: "c", status: "inconclusive" }),
      ],
      { ...OPTS, expected: ["a", "b", "c", "d"] },
    );
    const flags = Object.fromEntries(h.drills.map((d) => [d.drill, d.flags]));
    // a: the September 1 failure was re-run on the 20th (failed again), and that one not until November.
    expect(flags.a).to.deep.equal(["failed on 2026-09-20 (a-2026-09-20-3.9.5) and not re-run within 30 days (due 2026-10-20)"]);
    expect(flags.b).to.deep.equal(["not run for 53 days (last 2026-10-01; a drill runs at least every 30 days)"]);
    expect(flags.c).to.deep.equal([]);
    expect(h.drills.find((d) => d.drill === "c")!.pending).to.deep.equal(["inconclusive on 2026-11-15 (c-2026-11-15-3.9.5): re-run due by 2026-12-15"]);
    expect(flags.d).to.deep.equal(["never run (no verified run in this folder)"]);
  });

  it("lists what does not verify (and counts it), never in a trend; a run archived beside its folder counts once", () => {
    const bad: TrendInput = { ...run("2026-11-21", { rto: 9 }), source: "runs/doctored", problems: ["recovery times: recorded kill 3: 9000 (ms), recomputed kill 3: 513"] };
    const h = buildTrend([run("2026-11-20"), { ...run("2026-11-20"), source: "runs/x.tar.gz" }, bad, { source: "runs/empty", record: null, problems: [], drill: "q" }], OPTS);
    expect(h.drills[0].rows).to.have.length(1);
    expect(h.unverified.map((u) => [u.source, u.drill])).to.deep.equal([["runs/doctored", "quickstart-leader-failover"], ["runs/empty", "q"]]);
    expect(h.flagged).to.equal(2);
  });

  it("renders a Markdown table per drill and a page with an RTO chart per drill", async () => {
    const h = buildTrend([run("2026-11-02", { rto: 0.5 }), run("2026-11-16", { rto: 1.6 }), run("2026-11-18", { status: "failed", rto: null })], OPTS);
    const md = trendMarkdown(h);
    expect(md).to.include("## quickstart-leader-failover").and.include("| Date | Verdict | RTO | RPO | Throughput (ops/s, mean) | ZooKeeper | Commit | Run | Flags |");
    expect(md).to.include("| 2026-11-16 | passed (quick) | 1.60 s | 0.00 s | 35 | 3.9.5 | `a93deee61abe` | runs/quickstart-leader-failover-2026-11-16-3.9.5 | regression |");
    expect(md).to.include("| 2026-11-18 | **FAILED** (quick) | - |").and.include("re-run due 2026-12-18");
    const html = await trendHtml(h);
    expect(html.match(/<svg/g)).to.have.length(1);
    expect(html).not.to.match(/<script|src="http/);
  });
});

describe("drill trend from a reports folder", () => {
  it("reads folders and archives at any depth, verifying each; a doctored RTO is listed as unverifiable, not trended", async () => {
    const root = mkdtempSync(join(tmpdir(), "zkdrill-trend-"));
    const formats = REPORT_FORMATS.filter((f) => f !== "pdf");
    const old = variantRun({ shiftDays: -14, runId: "run-old" }, join(root, "weekly", "quickstart-old"));
    const now = variantRun({ runId: "run-now" }, join(root, "weekly", "quickstart-now"));
    const doctored = variantRun({ shiftDays: 1, runId: "run-doctored", rtoMs: 5000 }, join(root, "quickstart-doctored"));
    for (const d of [old, now, doctored]) await writeReports(d, formats);
    await packRunFolder(now);
    expect(findRuns(root).map((p) => p.slice(root.length + 1))).to.deep.equal(["quickstart-doctored", "weekly/quickstart-now", "weekly/quickstart-now.tar.gz", "weekly/quickstart-old"]);
    const h = buildTrend(scanRuns(root), { ...OPTS, today: "2026-11-24" });
    expect(h.drills[0].rows.map((r) => [r.testId, r.date, r.rtoS])).to.deep.equal([
      ["run-old", "2026-11-09", 0.513],
      ["run-now", "2026-11-23", 0.513],
    ]);
    expect(h.unverified).to.have.length(1);
    expect(h.unverified[0].source).to.equal("quickstart-doctored");
    expect(h.unverified[0].problems.join("\n")).to.include("recovery times: recorded kill 3: 5000 (ms), recomputed kill 3: 513");
  });
});

describe("known bugs in the trend: reproduced per version", () => {
  const verdict = (jira: string, version: string, stance: "affected" | "fixed", outcome: "reproduced" | "not reproduced"): BugVerdict => {
    const expected = stance === "affected" ? "reproduced" : "not reproduced";
    return { jira, version, stance, outcome, expected, asExpected: expected === outcome, evidence: `${outcome === "reproduced" ? "failed" : "passed"}: the evidence line` };
  };
  const bugRun = (date: string, jira: string, version: string, stance: "affected" | "fixed", outcome: "reproduced" | "not reproduced"): TrendInput => {
    const r = run(date, { drill: jira.toLowerCase(), version, status: outcome === "reproduced" ? "failed" : "passed" });
    return { ...r, knownBug: verdict(jira, version, stance, outcome) };
  };

  it("a row per bug, a column per version (oldest first), the newest run in each cell; an affected version's reproduction is no failure to re-run", () => {
    const h = buildTrend(
      [
        bugRun("2026-10-01", "ZOOKEEPER-3830", "3.5.8", "affected", "reproduced"),
        bugRun("2026-11-20", "ZOOKEEPER-3830", "3.5.8", "affected", "reproduced"),
        bugRun("2026-11-20", "ZOOKEEPER-3830", "3.5.10", "fixed", "not reproduced"),
        bugRun("2026-11-20", "ZOOKEEPER-3830", "3.5.9", "fixed", "not reproduced"),
        bugRun("2026-11-20", "ZOOKEEPER-3109", "3.4.14", "affected", "reproduced"),
        run("2026-11-20"),
      ],
      OPTS,
    );
    expect(h.knownBugs.versions).to.deep.equal(["3.4.14", "3.5.8", "3.5.9", "3.5.10"]);
    expect(h.knownBugs.rows.map((r) => [r.jira, r.cells.map((c) => `${c.version} ${c.outcome} ${c.runs}`)])).to.deep.equal([
      ["ZOOKEEPER-3109", ["3.4.14 reproduced 1"]],
      ["ZOOKEEPER-3830", ["3.5.8 reproduced 2", "3.5.9 not reproduced 1", "3.5.10 not reproduced 1"]],
    ]);
    // The October reproduction on 3.5.8 is not a failure "not re-run within 30 days".
    expect(h.flagged).to.equal(0);
    expect(h.drills.find((d) => d.drill === "zookeeper-3830")!.pending).to.deep.equal([]);
    const md = trendMarkdown(h, { runsAt: "../kept/runs" });
    expect(md).to.include("## Known bugs: reproduced per version").and.include("| Bug | 3.4.14 | 3.5.8 | 3.5.9 | 3.5.10 |");
    expect(md).to.include("| ZOOKEEPER-3830 (zookeeper-3830) | - | [reproduced](../kept/runs/runs/zookeeper-3830-2026-11-20-3.5.8/report.html) (2026-11-20, 2 runs) | [not reproduced](");
  });

  it("a version whose newest run broke its promise is flagged (the scheduled job fails on it), in both pages", async () => {
    const h = buildTrend([bugRun("2026-11-13", "ZOOKEEPER-3830", "3.5.8", "affected", "reproduced"), bugRun("2026-11-20", "ZOOKEEPER-3830", "3.5.8", "affected", "not reproduced"), bugRun("2026-11-20", "ZOOKEEPER-3830", "3.6.4", "fixed", "reproduced")], OPTS);
    expect(h.knownBugs.rows[0].flags).to.deep.equal([
      "ZOOKEEPER-3830 not reproduced on 3.5.8 (2026-11-20, runs/zookeeper-3830-2026-11-20-3.5.8); the version promises reproduced: passed: the evidence line",
      "ZOOKEEPER-3830 reproduced on 3.6.4 (2026-11-20, runs/zookeeper-3830-2026-11-20-3.6.4); the version promises not reproduced: failed: the evidence line",
    ]);
    // The unexpected reproduction on a fixed version is also a failure to re-run (pending): only the bug flags count.
    expect(h.flagged).to.equal(2);
    const md = trendMarkdown(h);
    expect(md).to.include("**[not reproduced](runs/zookeeper-3830-2026-11-20-3.5.8/report.html)** (2026-11-20, 2 runs; expected reproduced)");
    expect(md).to.match(/^- \*\*zookeeper-3830\*\*: ZOOKEEPER-3830 not reproduced on 3\.5\.8/m);
    const html = await trendHtml(h);
    expect(html).to.include('<section id="known-bugs">').and.include('<td class="unexpected" title="passed: the evidence line"><a href="runs/zookeeper-3830-2026-11-20-3.5.8/report.html">not reproduced</a>');
  });

  it("is read from each run folder's report.json: a known-bug run's outcome on its version", async () => {
    const root = mkdtempSync(join(tmpdir(), "zkdrill-trend-bugs-"));
    const bug = { jira: "ZOOKEEPER-9999", title: "t", affects: ["3.5.8"], fixedIn: ["3.5.9"], symptom: { quote: "q", source: "https://example.invalid/q" }, evidence: { check: "leader-in", names: "no leader" } };
    const dir = variantRun({ runId: "bug-fixed", drill: "zookeeper-9999", zookeeperVersion: "3.5.9", knownBug: { ...bug, run: { version: "3.5.9", stance: "fixed" } } }, join(root, "kb"));
    await writeReports(dir, REPORT_FORMATS.filter((f) => f !== "pdf"));
    const h = buildTrend(scanRuns(root), OPTS);
    expect(h.unverified).to.deep.equal([]);
    expect(h.knownBugs.rows.map((r) => [r.jira, r.cells.map((c) => [c.version, c.outcome, c.asExpected, c.source])])).to.deep.equal([["ZOOKEEPER-9999", [["3.5.9", "not reproduced", true, "kb"]]]]);
    expect(h.knownBugs.rows[0].cells[0].evidence).to.match(/^exactly one leader/);
  });
});
