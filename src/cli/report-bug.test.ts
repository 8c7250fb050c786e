// `zkdrill report bug`: a known-bug run's outcome against its version's promise, read from a
// report.json (written here from a journal, then doctored), never from a run.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, readJournal } from "../journal";
import { buildReport } from "../report";
import { judgeBugRun } from "./report-bug";

const BUG = {
  jira: "ZOOKEEPER-3830",
  title: "After add a new node, zookeeper cluster won't commit any proposal if this new node is leader",
  affects: ["3.5.8"],
  fixedIn: ["3.5.9", "3.6.2"],
  symptom: { quote: "at this point leader is server.4, but it can not commit any transaction", source: "https://github.com/apache/zookeeper/pull/1370" },
  evidence: { check: "write-commits", names: "member 4 leads and commits nothing" },
};

/** A run folder holding report.json: the drill's evidence check passed or failed on `version` (of `stance`). */
function runFolder(version: string, stance: string, status: "passed" | "failed", o: { bug?: boolean; check?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-bug-run-"));
  const j = new Journal(join(dir, "journal.jsonl"));
  j.append("run-start", { drill: "zookeeper-3830", procedure: "ZOOKEEPER-3830", seed: 1, zookeeperVersion: version, runId: `r-${version}`, ...(o.bug === false ? {} : { knownBug: { ...BUG, run: { version, stance } } }) });
  if (o.check !== false) {
    const summary = status === "failed" ? "member 4 reports Mode: leader; no write acknowledged within 10 s" : "acknowledged after 12 ms";
    j.append("check", { kind: "write-commits", name: "a write through 1, 2, 3, 4 is acknowledged within 10.0 s", status, summary, evidence: {} });
  }
  j.append("run-end", status === "failed" ? { status, error: "check failed" } : { status });
  writeFileSync(join(dir, "report.json"), JSON.stringify(buildReport(readJournal(join(dir, "journal.jsonl"))), null, 2));
  return dir;
}

describe("zkdrill report bug", () => {
  it("an affected version that shows the symptom: reproduced, as promised, exit 0, with the evidence line", () => {
    const r = judgeBugRun(runFolder("3.5.8", "affected", "failed"));
    expect(r.code).to.equal(0);
    expect(r.lines[0]).to.equal("ZOOKEEPER-3830 reproduced on 3.5.8 (as expected: 3.5.8 is affected)");
    expect(r.lines[1]).to.equal("evidence: a write through 1, 2, 3, 4 is acknowledged within 10.0 s: member 4 reports Mode: leader; no write acknowledged within 10 s");
  });

  it("a fixed version that does not: not reproduced, exit 0", () => {
    const r = judgeBugRun(runFolder("3.5.9", "fixed", "passed"));
    expect(r.code).to.equal(0);
    expect(r.lines[0]).to.equal("ZOOKEEPER-3830 not reproduced on 3.5.9 (as expected: 3.5.9 is fixed)");
    expect(r.lines[1]).to.match(/^evidence: a write through .*: acknowledged after 12 ms$/);
  });

  it("the other way round on either side: exit 1, saying what was promised", () => {
    const missed = judgeBugRun(runFolder("3.5.8", "affected", "passed"));
    expect(missed.code).to.equal(1);
    expect(missed.lines[0]).to.equal("ZOOKEEPER-3830 not reproduced on 3.5.8 (UNEXPECTED: 3.5.8 is affected, so ZOOKEEPER-3830 should be reproduced)");
    const back = judgeBugRun(runFolder("3.6.4", "fixed", "failed"));
    expect(back.code).to.equal(1);
    expect(back.lines[0]).to.match(/^ZOOKEEPER-3830 reproduced on 3\.6\.4 \(UNEXPECTED: 3\.6\.4 is fixed/);
  });

  it("a run that never reached its evidence check is not judged: exit 1, saying why", () => {
    const r = judgeBugRun(runFolder("3.5.8", "affected", "failed", { check: false }));
    expect(r.code).to.equal(1);
    expect(r.lines[0]).to.match(/^ZOOKEEPER-3830 not judged on 3\.5\.8 \(UNEXPECTED/);
    expect(r.lines[1]).to.match(/^evidence: no write-commits check judged it \(error: check failed\)/);
  });

  it("bad input is exit 2 (InputError) naming the fix: no folder, no report.json, not JSON, not a known-bug run", () => {
    const fails = (dir: string) => {
      try {
        judgeBugRun(dir);
      } catch (err) {
        expect((err as Error).name).to.equal("InputError");
        return (err as Error).message;
      }
      throw new Error("no error");
    };
    expect(fails("/nonexistent/kb")).to.match(/is not a folder; give a known-bug run's folder/);
    const empty = mkdtempSync(join(tmpdir(), "zkdrill-bug-empty-"));
    expect(fails(empty)).to.match(/holds no report\.json; give the run folder itself/);
    const journalOnly = mkdtempSync(join(tmpdir(), "zkdrill-bug-journal-"));
    writeFileSync(join(journalOnly, "journal.jsonl"), "");
    expect(fails(journalOnly)).to.match(/holds no report\.json; render it from the journal: zkdrill report /);
    const broken = join(mkdtempSync(join(tmpdir(), "zkdrill-bug-broken-")), "run");
    mkdirSync(broken);
    writeFileSync(join(broken, "report.json"), "{ not json");
    expect(fails(broken)).to.match(/report\.json is not JSON .*render it again from the journal/);
    expect(fails(runFolder("3.9.5", "fixed", "passed", { bug: false }))).to.match(/is a run of zookeeper-3830, which names no known bug; give the folder of a known-bug drill's run/);
  });
});
