import { expect } from "chai";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, readJournal } from "../journal";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { buildModel } from "./model";
import { REPORT_FORMATS, verifyReportDir, writeReports as writeAll } from ".";

// The unit tests render without Chromium: the PDF has its own test (test/report-archive.test.ts).
const NO_PDF = REPORT_FORMATS.filter((f) => f !== "pdf");
const writeReports = (dir: string) => writeAll(dir, NO_PDF);

// A real quickstart run (workload at 40 ops/s to keep it small): its journal and history.
const RUN = join(__dirname, "..", "..", "test", "fixtures", "runs", "quickstart");
const FIXTURE = join(RUN, "journal.jsonl");

/** A run folder holding a copy of the recorded journal, its history and a member log. */
function runFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-report-test-"));
  copyFileSync(FIXTURE, join(dir, "journal.jsonl"));
  copyFileSync(join(RUN, "history.jsonl"), join(dir, "history.jsonl"));
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "logs", "zk1.log"), "a member log\n");
  return dir;
}

/** A journal written the way the runner writes one, ending as the test says. */
function syntheticJournal(ending: "failed" | "aborted"): string {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-report-synth-"));
  const j = new Journal(join(dir, "journal.jsonl"));
  j.append("run-start", { drill: "synthetic", procedure: "test", runId: "r1", seed: 5, zookeeperVersion: "3.9.5", images: {}, topology: { members: [{ id: 1 }] }, configs: {}, audit: { user: "u", host: "h", gitCommit: "abc" } });
  j.append("step-start", { name: "kill -9 member(s) 1" });
  j.append("fault", { kind: "kill", members: [1] });
  if (ending === "failed") {
    j.append("step-end", { name: "kill -9 member(s) 1", status: "passed", durationMs: 3 });
    j.append("check", { name: "exactly one leader", status: "failed", summary: "no leader <b>at all</b>", evidence: {} });
    j.append("run-end", { status: "failed", error: "check failed: exactly one leader: no leader" });
  } else {
    j.append("run-end", { status: "aborted", error: "SIGINT" });
  }
  return j.path;
}

async function parseJunit(xml: string): Promise<{ tests: number; failures: number; errors: number; testsuite?: Array<{ testcase?: Array<{ name: string; failure?: unknown[]; error?: unknown[] }> }> }> {
  const { parse } = await import("junit2json");
  return (await parse(xml)) as never;
}

describe("reports from a recorded journal", () => {
  const model = buildModel(readJournal(FIXTURE));

  it("report.md leads with the verdict and RTO, lists every step and check, and carries the audit header", () => {
    const md = renderMarkdown(model);
    expect(md.split("\n")[0]).to.equal("# Drill quickstart-leader-failover: PASSED");
    expect(md).to.include("## DR test record").and.include("| RTO | at most 15.00 s | 0.51 s | MET |");
    expect(md).to.match(/\| kill 3 \| [\d.]+ \| 0\.51 s \| zk\d: \d+ ms/);
    for (const s of model.report.steps) expect(md).to.include(`| ${s.name} |`);
    for (const c of model.report.checks) expect(md).to.include(`| ${c.name}${c.auto ? " (from the history)" : ""} | passed |`);
    expect(md).to.match(/\| Drill version \(git commit\) \| `[0-9a-f]{40}` \|/);
    expect(md).to.include("server.1=zk1:2888:3888");
    expect(md).to.include("zkdrill run quickstart-leader-failover --seed 3");
    expect(md).to.match(/\| Image: zookeeper \| zkdrill\/zookeeper:3\.9\.5 \(built\) `sha256:[0-9a-f]{64}` \|/);
  });

  it("report.html is one self-contained page with three SVG charts, the kill marked, no script, nothing fetched", async () => {
    const html = await renderHtml(model);
    expect(html.match(/<svg/g)).to.have.length(3);
    expect(html).to.include('id="chart-ops"').and.include('id="chart-p99"').and.include('id="chart-leader"');
    expect(html).to.include("kill 3");
    expect(html).not.to.match(/<script|<link|src="http|url\(http/i);
  });

  it("the leader timeline follows the journal: member 3 led, was killed, member 2 leads in a later epoch", () => {
    const terms = model.leaders.map((l) => `${l.member}@${l.epoch}`);
    expect(terms).to.deep.equal(["3@1", "2@2"]);
    expect(model.leaderless.some((g) => g.t0 >= model.leaders[0].t1 - 0.01 && g.t1 <= model.leaders[1].t0 + 0.01)).to.equal(true);
  });

  it("an upgrade's member versions and Kafka's records/s are rendered: a version table over time and a Kafka chart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-report-versions-"));
    const j = new Journal(join(dir, "journal.jsonl"));
    const start = j.append("run-start", { drill: "up", procedure: "test", runId: "r1", seed: 5, zookeeperVersion: "3.5.9", images: {}, topology: { members: [{ id: 1 }, { id: 2 }] }, configs: {}, audit: {} });
    const t0 = Date.parse(start.ts);
    j.append("metric", { series: "kafka-producer", at: t0 + 5_000, records: 5000, recordsPerSec: 1000, windowMs: 5000 });
    j.append("metric", { series: "kafka-producer", at: t0 + 10_000, records: 6000, recordsPerSec: 1200, windowMs: 5000 });
    j.append("note", { what: "member versions", versions: { 1: "3.8.6", 2: "3.5.9" } });
    j.append("run-end", { status: "passed" });
    const m = buildModel(readJournal(j.path));
    expect(m.kafka.map((k) => k.recordsPerSec)).to.deep.equal([1000, 1200]);
    const md = renderMarkdown(m);
    expect(md).to.include("## Member versions").and.include("| member 1 | member 2 |").and.match(/\| [\d.]+ \| 3\.8\.6 \| 3\.5\.9 \|/);
    expect(md).to.match(/\| 0\.0 \| 3\.5\.9 \| 3\.5\.9 \|/);
    expect(await renderHtml(m)).to.include('id="chart-kafka"');
    expect(renderMarkdown(model)).to.not.include("## Member versions");
  });

  it("junit.xml parses as JUnit with one passing test case per check", async () => {
    const j = await parseJunit(renderJunit(model));
    expect(j.tests).to.equal(model.report.checks.length);
    expect(j.failures).to.equal(0);
    expect(j.testsuite?.[0].testcase?.map((t) => t.name)).to.deep.equal(model.report.checks.map((c) => c.name));
  });

  it("a failed check fails its JUnit case; markup in evidence is shown, never run", async () => {
    const m = buildModel(readJournal(syntheticJournal("failed")));
    const j = await parseJunit(renderJunit(m));
    expect(j.failures).to.equal(1);
    expect(j.testsuite?.[0].testcase?.[0].failure).to.have.length(1);
    const html = await renderHtml(m);
    expect(html).to.include("&lt;b&gt;at all&lt;/b&gt;").and.not.include("<b>at all</b>");
  });

  it("an aborted run renders as ABORTED with an erroring JUnit case and no end time", async () => {
    const m = buildModel(readJournal(syntheticJournal("aborted")));
    const md = renderMarkdown(m);
    expect(md.split("\n")[0]).to.equal("# Drill synthetic: ABORTED");
    expect(md).to.match(/\| Started \/ ended \(UTC\) \| \S+ \/ \S+ \(interrupted\) \|/);
    const j = await parseJunit(renderJunit(m));
    expect(j.errors).to.equal(1);
    expect(j.testsuite?.[0].testcase?.[0].name).to.equal("run completed");
  });
});

describe("report folder: render and verify", () => {
  it("writes every rendering and verifies; re-rendering is byte-identical", async () => {
    const dir = runFolder();
    await writeReports(dir);
    for (const f of ["report.json", "report.md", "report.html", "junit.xml", "metrics.prom", "SHA256SUMS"]) expect(readFileSync(join(dir, f)).length, f).to.be.greaterThan(0);
    expect(verifyReportDir(dir)).to.include({ ok: true, filesChecked: 8, checksRecomputed: buildModel(readJournal(FIXTURE)).report.checks.length });
    const before = readFileSync(join(dir, "report.html"));
    await writeReports(dir);
    expect(readFileSync(join(dir, "report.html")).equals(before)).to.equal(true);
    expect(readFileSync(join(dir, "report.md"), "utf8")).to.match(/\| logs\/zk1\.log \| 13 \| `[0-9a-f]{64}` \|/);
  });

  it("fails verification for an edited journal line, a changed log and an added file, naming each", async () => {
    const dir = runFolder();
    await writeReports(dir);
    const lines = readFileSync(join(dir, "journal.jsonl"), "utf8").split("\n");
    lines[5] = lines[5].replace(/"ts":"[^"]+"/, '"ts":"2000-01-01T00:00:00.000Z"');
    writeFileSync(join(dir, "journal.jsonl"), lines.join("\n"));
    appendFileSync(join(dir, "logs", "zk1.log"), "edited\n");
    writeFileSync(join(dir, "extra.txt"), "x");
    const v = verifyReportDir(dir);
    expect(v.ok).to.equal(false);
    expect(v.problems.join("\n")).to.include("line 7 does not chain to line 6 (line 6 was edited)").and.include("logs/zk1.log: SHA-256 differs").and.include("extra.txt: not in SHA256SUMS");
  });

  it("fails verification for a journal cut after its last line, and re-rendering does not move the anchor", async () => {
    const dir = runFolder();
    await writeReports(dir);
    const lines = readFileSync(join(dir, "journal.jsonl"), "utf8").split("\n").filter(Boolean);
    writeFileSync(join(dir, "journal.jsonl"), lines.slice(0, -1).join("\n") + "\n");
    await writeReports(dir);
    const v = verifyReportDir(dir);
    expect(v.ok).to.equal(false);
    expect(v.problems.join("\n")).to.match(/report\.json anchors \d+ lines .* it was cut or extended/).and.include("journal.jsonl: SHA-256 differs");
  });

  it("fails verification when report.json disagrees with the journal, or a check's recorded verdict does not follow from its evidence", async () => {
    const dir = runFolder();
    await writeReports(dir);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    writeFileSync(join(dir, "report.json"), JSON.stringify({ ...report, status: "failed" }, null, 2) + "\n");
    expect(verifyReportDir(dir).problems.join("\n")).to.include("report.json disagrees with the journal (status failed recorded, passed derived)");

    const other = runFolder();
    // A doctored history: a member's listing no longer shows one znode. The recorded verdicts no longer follow.
    const history = readFileSync(join(other, "history.jsonl"), "utf8").split("\n");
    const i = history.findIndex((l) => l.includes('"value":["config_change_'));
    history[i] = history[i].replace(/"value":\["config_change_[^"]+",/, '"value":[');
    writeFileSync(join(other, "history.jsonl"), history.join("\n"));
    await writeReports(other);
    const v = verifyReportDir(other);
    expect(v.problems.join("\n")).to.match(/history\.jsonl: (its first|the journal anchors)/).and.match(/check ".*": recorded passed, recomputed/);
  });
});

