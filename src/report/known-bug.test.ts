import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, readJournal } from "../journal";
import { renderHtml } from "./html";
import { bugVerdict, expectedOutcome } from "./known-bug";
import { knownBugCell, renderMarkdown } from "./markdown";
import { buildModel } from "./model";
import { buildReport } from "./verdict";

const BUG = {
  jira: "ZOOKEEPER-3830",
  title: "After add a new node, zookeeper cluster won't commit any proposal if this new node is leader",
  affects: ["3.5.8"],
  fixedIn: ["3.5.9", "3.6.2"],
  symptom: { quote: "at this point leader is server.4, but it can not commit any transaction", source: "https://github.com/apache/zookeeper/pull/1370" },
  evidence: { check: "write-commits", names: "member 4 leads and commits nothing" },
};

function journal(version: string, stance: string, status: "passed" | "failed") {
  const path = join(mkdtempSync(join(tmpdir(), "zkdrill-bug-")), "journal.jsonl");
  const j = new Journal(path);
  j.append("run-start", { drill: "zookeeper-3830", procedure: "ZOOKEEPER-3830", seed: 1, zookeeperVersion: version, runId: "r", knownBug: { ...BUG, run: { version, stance } } });
  j.append("check", { kind: "write-commits", name: "a write through 1, 2, 3, 4 is acknowledged within 10.0 s", status, summary: "s", evidence: {} });
  j.append("run-end", status === "failed" ? { status, error: "check failed" } : { status });
  return readJournal(path);
}

const run = (version: string, stance: string, status: "passed" | "failed") => buildReport(journal(version, stance, status));

describe("a known-bug run's report", () => {
  it("on an affected version: FAILED, the reason naming the issue, the header saying reproduced", () => {
    const r = run("3.5.8", "affected", "failed");
    expect(r.status).to.equal("failed");
    expect(r.statusReason).to.match(/^ZOOKEEPER-3830 reproduced on 3\.5\.8: 1 check\(s\) failed: a write through/);
    expect(r.knownBug).to.deep.include({ version: "3.5.8", stance: "affected", outcome: "reproduced", url: "https://issues.apache.org/jira/browse/ZOOKEEPER-3830" });
    expect(knownBugCell(r.knownBug!)).to.include("[ZOOKEEPER-3830](https://issues.apache.org/jira/browse/ZOOKEEPER-3830)").and.include("This run on 3.5.8 (affected): **REPRODUCED**");
  });

  it("on the fixed version: passed, not reproduced", () => {
    const r = run("3.5.9", "fixed", "passed");
    expect(r.status).to.equal("passed");
    expect(r.knownBug?.outcome).to.equal("not reproduced");
    expect(knownBugCell(r.knownBug!)).to.include("This run on 3.5.9 (fixed): not reproduced").and.include('"at this point leader is server.4');
  });
});

describe("a known-bug run's title and verdict", () => {
  it("the report's title says what the run showed on which version", async () => {
    const m = buildModel(journal("3.5.8", "affected", "failed"));
    expect(renderMarkdown(m).split("\n")[0]).to.equal("# Drill zookeeper-3830: FAILED: ZOOKEEPER-3830 reproduced on 3.5.8");
    const html = await renderHtml(m);
    expect(html).to.match(/<title>zookeeper-3830: failed: ZOOKEEPER-3830 reproduced on 3\.5\.8 \(r\)<\/title>/);
    expect(html).to.include('<span class="outcome">ZOOKEEPER-3830 reproduced on 3.5.8</span>');
    expect(renderMarkdown(buildModel(journal("3.5.9", "fixed", "passed"))).split("\n")[0]).to.equal("# Drill zookeeper-3830: PASSED: ZOOKEEPER-3830 not reproduced on 3.5.9");
  });

  it("judged against the version's promise: affected must reproduce, fixed must not, anything else promises nothing", () => {
    expect(bugVerdict(run("3.5.8", "affected", "failed"))).to.deep.include({ outcome: "reproduced", expected: "reproduced", asExpected: true });
    expect(bugVerdict(run("3.5.8", "affected", "passed"))).to.deep.include({ outcome: "not reproduced", asExpected: false });
    expect(bugVerdict(run("3.6.4", "fixed", "failed"))).to.deep.include({ outcome: "reproduced", expected: "not reproduced", asExpected: false });
    expect(expectedOutcome("not listed")).to.equal(null);
    expect(bugVerdict({ ...run("3.5.8", "affected", "failed"), knownBug: undefined })).to.equal(null);
  });
});
