import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anchorOf, Journal, readJournal, verifyJournal } from "../journal";
import { buildReport } from "./verdict";

function sampleJournal(): string {
  const path = join(mkdtempSync(join(tmpdir(), "zkdrill-journal-")), "journal.jsonl");
  const j = new Journal(path);
  j.append("run-start", { drill: "d", procedure: "P0", seed: 5, zookeeperVersion: "3.9.5", runId: "r1" });
  j.append("step-start", { name: "outer" });
  j.append("step-start", { name: "inner" });
  j.append("step-end", { name: "inner", status: "passed" });
  j.append("check", { name: "c1", status: "passed", summary: "ok", evidence: { missing: [], stale: [], diverged: [] } });
  j.append("step-end", { name: "outer", status: "failed", error: "boom" });
  j.append("note", { what: "workload summary", writesAcked: 12 });
  j.append("run-end", { status: "failed", error: "boom", rtoMs: 700, throughputByPhase: { baseline: 800 } });
  return path;
}

describe("journal and report.json", () => {
  it("chains every line to the one before; verify accepts an untouched journal", () => {
    expect(verifyJournal(sampleJournal())).to.deep.equal({ ok: true, lines: 8 });
  });

  it("its tail anchor changes when the journal is cut after any line", () => {
    const path = sampleJournal();
    const whole = anchorOf(path);
    const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
    for (let keep = 1; keep < lines.length; keep++) {
      writeFileSync(path, lines.slice(0, keep).join("\n") + "\n");
      expect(verifyJournal(path).ok, "a cut journal still chains").to.equal(true);
      expect(anchorOf(path)).to.not.deep.equal(whole);
    }
  });

  it("detects an edited line", () => {
    const path = sampleJournal();
    writeFileSync(path, readFileSync(path, "utf8").replace('"writesAcked":12', '"writesAcked":13'));
    const r = verifyJournal(path);
    expect(r.ok).to.equal(false);
    expect(r.problem).to.equal("line 8 does not chain to line 7 (line 7 was edited)");
  });

  it("detects a removed line", () => {
    const path = sampleJournal();
    const lines = readFileSync(path, "utf8").split("\n");
    lines.splice(3, 1);
    writeFileSync(path, lines.join("\n"));
    expect(verifyJournal(path).problem).to.match(/line 4 has seq 4, expected 3/);
  });

  it("refuses appends after run-end", () => {
    const j = new Journal(join(mkdtempSync(join(tmpdir(), "zkdrill-journal-")), "j.jsonl"));
    j.append("run-start", {});
    j.append("run-end", { status: "passed" });
    expect(() => j.append("note", {})).to.throw(/closed/);
  });

  it("derives report.json from the journal: nested steps, checks, metrics", () => {
    const r = buildReport(readJournal(sampleJournal()));
    expect(r).to.include({ drill: "d", status: "failed", seed: 5, zookeeperVersion: "3.9.5", error: "boom" });
    expect(r.steps.map((s) => [s.name, s.status])).to.deep.equal([
      ["outer", "failed"],
      ["inner", "passed"],
    ]);
    expect(r.metrics).to.include({ writesAcked: 12, rtoMs: null, writesLost: null });
    expect(r.metrics.throughputByPhase).to.deep.equal({ baseline: 800 });
  });

  describe("the run's status is derived from its steps and checks, never copied", () => {
    const journal = (build: (j: Journal) => void, end: Record<string, unknown> = { status: "passed" }) => {
      const j = new Journal(join(mkdtempSync(join(tmpdir(), "zkdrill-status-")), "journal.jsonl"));
      j.append("run-start", { drill: "d", seed: 1, zookeeperVersion: "3.9.5", runId: "r" });
      build(j);
      j.append("run-end", end);
      return buildReport(readJournal(j.path));
    };
    const check = (status: string) => (j: Journal) => j.append("check", { name: `c ${status}`, status, summary: "", evidence: {} });
    it("a drill that records no check fails, even when its run-end says passed", () => {
      const r = journal(() => undefined);
      expect(r.status).to.equal("failed");
      expect(r.statusReason).to.match(/no check was recorded/);
    });
    it("a failed check fails the run whatever run-end says", () => {
      expect(journal(check("failed"), { status: "passed" }).status).to.equal("failed");
    });
    it("an inconclusive check makes the run inconclusive, not passed", () => {
      const r = journal((j) => (check("passed")(j), check("inconclusive")(j)));
      expect(r.status).to.equal("inconclusive");
      expect(r.statusReason).to.include("c inconclusive");
    });
    it("a failed step fails the run", () => {
      expect(journal((j) => (check("passed")(j), j.append("step-end", { name: "s", status: "failed" }))).status).to.equal("failed");
    });
    it("an interrupt is aborted; only passed checks and steps pass", () => {
      expect(journal(check("passed"), { aborted: true, error: "SIGINT" }).status).to.equal("aborted");
      expect(journal(check("passed")).status).to.equal("passed");
    });
  });

  it("marks a journal without run-end as aborted, its open steps unfinished", () => {
    const path = join(mkdtempSync(join(tmpdir(), "zkdrill-journal-")), "journal.jsonl");
    const j = new Journal(path);
    j.append("run-start", { drill: "d", seed: 1, zookeeperVersion: "3.9.5", runId: "r" });
    j.append("step-start", { name: "kill the leader" });
    const r = buildReport(readJournal(path));
    expect(r.status).to.equal("aborted");
    expect(r.steps[0].status).to.equal("unfinished");
    expect(r.error).to.match(/without a run-end record/);
  });

  it("leads with the headline outcome: passed only when every check of its kinds passed; a kind never recorded makes the run inconclusive", () => {
    const run = (checks: Array<{ kind: string; status: string }>) => {
      const path = join(mkdtempSync(join(tmpdir(), "zkdrill-journal-")), "journal.jsonl");
      const j = new Journal(path);
      j.append("run-start", { drill: "p3", seed: 1, zookeeperVersion: "3.9.5", runId: "r", origin: "field procedure", headline: { outcome: "the backup restored", checks: ["restored-at-backup", "rpo-objective"] } });
      for (const c of checks) j.append("check", { name: c.kind, kind: c.kind, status: c.status, summary: "", evidence: {} });
      j.append("run-end", { status: "passed", error: null });
      return buildReport(readJournal(path));
    };
    const both = run([{ kind: "restored-at-backup", status: "passed" }, { kind: "rpo-objective", status: "passed" }]);
    expect(both.status).to.equal("passed");
    expect(both.headline?.status).to.equal("passed");
    expect(both.origin).to.equal("field procedure");
    const missing = run([{ kind: "rpo-objective", status: "passed" }, { kind: "linearizable", status: "passed" }]);
    expect(missing.status).to.equal("inconclusive");
    expect(missing.statusReason).to.equal('the headline outcome ("the backup restored") has no verdict: no restored-at-backup check was recorded');
    expect(missing.headline?.checks[0]).to.deep.equal({ kind: "restored-at-backup", status: "not recorded", name: null });
    expect(run([{ kind: "restored-at-backup", status: "failed" }, { kind: "rpo-objective", status: "passed" }]).headline?.status).to.equal("failed");
  });
});
