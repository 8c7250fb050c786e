import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { variantRun } from "../../test/support/runs";
import { readJournal } from "../journal";
import { REPORT_FORMATS, verifyReportDir, writeReports } from ".";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { buildModel } from "./model";
import { buildRecord } from "./record";
import { recordMarkdown } from "./record-render";
import { loadRunFile, recordInput } from "./record-input";

const NO_PDF = REPORT_FORMATS.filter((f) => f !== "pdf");
const WHO = { operator: "Dana Ops", observers: ["Sam Audit", "Lee SRE"], ticket: "CHG-4711", scenario: "Leader host lost at peak load", type: "DR test (tabletop + simulation)" };
const record = (dir: string) => buildRecord(readJournal(join(dir, "journal.jsonl")));
const record0 = (events: Parameters<typeof buildRecord>[0]) => buildRecord(events);

describe("DR test record", () => {
  it("carries the headline outcome, judged by its checks, in the record an auditor signs (md and html)", async () => {
    const dir = variantRun({ headline: { outcome: "a survivor takes over and no acknowledged write is lost", checks: ["leader-in", "set-survives"] } });
    const r = record(dir);
    expect(r.headline).to.deep.equal({ outcome: "a survivor takes over and no acknowledged write is lost", status: "passed" });
    const m = buildModel(readJournal(join(dir, "journal.jsonl")));
    expect(renderMarkdown(m)).to.include("| Headline outcome | passed: a survivor takes over and no acknowledged write is lost |");
    expect(await renderHtml(m)).to.include("<dt>Headline outcome</dt><dd><b>passed</b>: a survivor takes over");
    // A headline check the run never recorded: the outcome is not proven, and the record says so.
    const unproven = record(variantRun({ headline: { outcome: "the restored data is the backup's", checks: ["restored-at-backup"] } }));
    expect(unproven.headline?.status).to.equal("inconclusive");
    expect(unproven.verdict).to.equal("inconclusive");
  });

  it("a passed run: id, type, scenario, scope, when, who, objectives against measured; no action; sign-off lines", () => {
    const r = record(variantRun({ record: WHO }));
    expect(r).to.include({ testId: "quickstart-leader-failov-20261123102741-p5g1", type: WHO.type, scenario: WHO.scenario, ticket: "CHG-4711", verdict: "passed", reRunBy: null, drillVersion: "a93deee61abee30c2dadb6ffcb1a3c9da0c5952d" });
    expect(r.who).to.deep.include({ lead: "Dana Ops", observers: ["Sam Audit", "Lee SRE"], ranBy: "root@vm" });
    expect(r.when).to.deep.include({ date: "2026-11-23", startedAt: "2026-11-23T10:27:41.370Z", durationS: 10.4 });
    expect(r.scope.summary).to.equal("ZooKeeper 3.9.5, 3 members (3 voters) in 1 zone: dc1 (r1); topology three-members");
    expect(r.objectives.map((o) => [o.what, o.objective, o.measured, o.result])).to.deep.equal([
      ["RTO", 15, 0.513, "met"],
      ["RPO", null, 0, "no objective"],
      ["Throughput floor", null, 27, "no objective"],
    ]);
    expect(r.findings.map((f) => f.severity)).to.deep.equal(["info"]);
    expect(r.actions).to.deep.equal([]);
    expect(r.signOff).to.deep.equal([
      { role: "Lead", name: "Dana Ops" },
      { role: "Observer", name: "Sam Audit" },
      { role: "Observer", name: "Lee SRE" },
      { role: "Approver", name: null },
    ]);
  });

  it("defaults without a record: the drill's description as scenario, the default type, blank names", () => {
    const r = record(variantRun());
    expect(r.type).to.equal("DR drill (simulation on containers)");
    expect(r.scenario).to.match(/^Three members elect a leader/);
    expect(r.who.lead).to.equal(null);
    expect(r.signOff.map((s) => s.name)).to.deep.equal([null, null, null]);
  });

  it("a failed run: failed checks high, inconclusive medium, a missed floor; worst first; re-run due in 30 days, pre-filled", () => {
    const r = record(variantRun({ record: WHO, objectives: { minOpsPerSec: 35 }, failChecks: [0], inconclusiveChecks: [3] }));
    expect(r.verdict).to.equal("failed");
    expect(r.findings.map((f) => `${f.severity}:${f.source}`)).to.deep.equal(["high:check", "medium:check", "medium:figure", "info:figure"]);
    expect(r.findings[2].title).to.equal("throughput below the floor");
    expect(r.objectives[2]).to.include({ objective: 35, measured: 27, result: "missed" });
    expect(r.reRunBy).to.equal("2026-12-23");
    expect(r.actions).to.deep.equal([{ action: "Find the cause, fix it, and re-run the drill (a failed test is re-run within 30 days)", owner: "Dana Ops", due: "2026-12-23" }]);
  });

  it("an interrupted run is a high finding and must be re-run; an objective with no check is not judged", () => {
    const r = record(variantRun({ noEnd: true, objectives: { rpoMs: 1000 } }));
    expect(r.verdict).to.equal("aborted");
    expect(r.findings[0]).to.include({ severity: "high", title: "the run was interrupted", source: "run" });
    expect(r.objectives[1]).to.include({ what: "RPO", objective: 1, result: "not judged" });
    expect(r.actions[0].due).to.equal("2026-12-23");
  });

  it("every rendering opens with the record; report.json carries it and still verifies", async () => {
    const dir = variantRun({ record: WHO, failChecks: [0] });
    const m = buildModel(readJournal(join(dir, "journal.jsonl")));
    const md = renderMarkdown(m);
    expect(md.split("\n").slice(0, 6).join("\n")).to.include("## DR test record");
    expect(md).to.include("| Test id | `quickstart-leader-failov-20261123102741-p5g1` |").and.include("| Change / ticket | CHG-4711 |");
    expect(md).to.include("| Find the cause, fix it, and re-run the drill (a failed test is re-run within 30 days) | Dana Ops | 2026-12-23 |");
    expect(md).to.match(/### Sign-off[\s\S]*\| Lead \| Dana Ops \| \| \|[\s\S]*\| Approver \| {2}\| \| \|/);
    const html = await renderHtml(m);
    const body = html.slice(html.indexOf("<body>"));
    expect(body.indexOf('id="record"')).to.be.lessThan(body.indexOf("<svg"));
    expect(body).to.include("Dana Ops").and.include("re-run due by 2026-12-23");
    expect(renderJunit(m)).to.include('name="operator" value="Dana Ops"').and.include('name="ticket" value="CHG-4711"');

    const clean = variantRun({ record: WHO });
    await writeReports(clean, NO_PDF);
    const json = JSON.parse(readFileSync(join(clean, "report.json"), "utf8"));
    expect(Object.keys(json).slice(-2)).to.deep.equal(["record", "journal"]);
    expect(json.record.who.lead).to.equal("Dana Ops");
    expect(verifyReportDir(clean)).to.include({ ok: true });

    // A report.json whose record was edited no longer matches the journal.
    json.record.who.lead = "Someone Else";
    writeFileSync(join(clean, "report.json"), JSON.stringify(json, null, 2) + "\n");
    expect(verifyReportDir(clean).problems.join("\n")).to.include("report.json disagrees with the journal");
  });

  it("a folder rendered before records existed still verifies, with a note", async () => {
    const dir = variantRun();
    await writeReports(dir, NO_PDF);
    const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    delete json.record;
    writeFileSync(join(dir, "report.json"), JSON.stringify(json, null, 2) + "\n");
    // As an older zkdrill left it: report.json hashed in SHA256SUMS as it is now.
    await writeReports(dir, ["md"]);
    const v = verifyReportDir(dir);
    expect(v.problems).to.deep.equal([]);
    expect(v.notes.join("\n")).to.include("predates the DR test record");
  });
  it("states the members' reconciliation as a line of its own: the check's line, or why the members were not compared", () => {
    const events = readJournal(join(variantRun(), "journal.jsonl"));
    const end = events.findIndex((e) => e.type === "run-end");
    const at = (data: Record<string, unknown>, type: "check" | "note") => [...events.slice(0, end), { ...events[end], type, data }, ...events.slice(end)];
    expect(record0(events).reconciliation).to.equal(undefined);
    const judged = buildRecord(at({ kind: "reconciled", name: "members hold the same tree", status: "passed", summary: "members reconciled: 412 znodes, 0 divergences (members 1, 2, 3 at 0x100000042)" }, "check"));
    expect(judged.reconciliation).to.deep.equal({ status: "passed", line: "members reconciled: 412 znodes, 0 divergences (members 1, 2, 3 at 0x100000042)" });
    expect(recordMarkdown(judged)).to.include("| Members reconciled | passed: members reconciled: 412 znodes, 0 divergences (members 1, 2, 3 at 0x100000042) |");
    const failed = buildRecord(at({ kind: "reconciled", name: "members hold the same tree", status: "failed", summary: "members reconciled: 414 znodes, 1 divergence: member 3: /zk-permanent: present only here" }, "check"));
    expect(recordMarkdown(failed)).to.include("| Members reconciled | **FAILED**: members reconciled: 414 znodes, 1 divergence: member 3: /zk-permanent");
    const skipped = buildRecord(at({ what: "members reconciled", text: "members reconciled: not compared: no member serves" }, "note"));
    expect(skipped.reconciliation).to.deep.equal({ status: "not judged", line: "members reconciled: not compared: no member serves" });
  });
});

describe("the record's input: flags and run file", () => {
  const file = (text: string) => {
    const p = join(mkdtempSync(join(tmpdir(), "zkdrill-runfile-")), "run.yaml");
    writeFileSync(p, text);
    return p;
  };

  it("reads a run file (who, why, objectives in seconds) and lets flags win, joining observers", () => {
    const f = loadRunFile(file("operator: Dana Ops\nobservers: [Sam Audit]\nticket: CHG-1\nscenario: AZ loss\nobjectives:\n  rtoSeconds: 30\n  minOpsPerSec: 20\n"));
    expect(f.objectives).to.deep.equal({ rtoMs: 30000, minOpsPerSec: 20 });
    expect(recordInput({ operator: "Kim Lead", observer: ["Lee SRE", "Sam Audit"] }, f)).to.deep.equal({ operator: "Kim Lead", observers: ["Sam Audit", "Lee SRE"], ticket: "CHG-1", scenario: "AZ loss" });
  });

  it("names the file and the field of a mistake, and the flag of a bad flag (exit 2: InputError)", () => {
    expect(() => loadRunFile(file("operator: Dana\nobservers: Sam\n"))).to.throw(/run\.yaml: observers: .*fields: operator, observers/);
    expect(() => loadRunFile(file("operatr: Dana\n"))).to.throw(/Unrecognized key.*operatr/);
    expect(() => loadRunFile(file("objectives:\n  rtoSeconds: -1\n"))).to.throw(/objectives\.rtoSeconds: rtoSeconds must be 0 or more/);
    expect(() => recordInput({ operator: "  " })).to.throw(/--operator: operator is empty/).with.property("name", "InputError");
  });

});
