// Slow and lying disks on real containers (issue 27, part 2): the disk shim built into zkdrill's
// ZooKeeper image, preloaded into the members of a drill with disk faults. One follower's fsyncs slowed
// (its own warning as evidence, the clients' p99 held under the delay), and one follower's fsyncs lying
// before a power cut (what it lost from its own log measured; nothing acknowledged lost by the ensemble).
// Needs the engine and zkdrill's image (the official image has no shim): it fails, never skips, without them.
import { expect } from "chai";
import { join } from "node:path";
import { loadDrill } from "../src/cli/run";
import { readJournal } from "../src/journal";
import { runDrill, type RunResult } from "../src/drill/runner";
import { reportDir, zookeeperImage } from "./support";

const checksOf = (r: RunResult, kind: string) => r.report.checks.filter((c) => c.kind === kind);
const shown = (r: RunResult) => `${r.report.error}\n${r.report.checks.map((c) => `${c.status} ${c.name}: ${c.summary}`).join("\n")}`;
const findingsOf = (dir: string) => readJournal(join(dir, "journal.jsonl")).filter((e) => e.type === "finding").map((e) => e.data as { name: string; severity: string; text: string; figure: Record<string, unknown> });

describe("slow and lying disks on real containers", function () {
  this.timeout(900_000);
  before(async () => {
    const image = await zookeeperImage();
    expect(image.kind, "disk faults need zkdrill's built image (it carries /usr/local/lib/zkdrill-disk.so); run with ZKDRILL_OFFLINE=1 where the official image is present").to.equal("built");
  });

  it("slow-disk: the slowed follower warns of its own 1200 ms fsyncs, the quorum keeps clients' p99 under the delay, nothing acknowledged is lost", async () => {
    const dir = reportDir("slow-disk");
    const r = await runDrill(loadDrill("slow-disk"), { quick: true, seed: 42, reportDir: dir });
    expect(r.status, shown(r)).to.equal("passed");
    const [slow] = checksOf(r, "fsync-slow");
    expect(slow?.status, shown(r)).to.equal("passed");
    const e = slow.evidence as { minMs: number; slowWarnings: number; slowestMs: number; line: string };
    expect(e.minMs).to.equal(1200);
    expect(e.slowWarnings).to.be.at.least(1);
    expect(e.slowestMs).to.be.at.least(1200);
    expect(e.line).to.match(/fsync-ing the write ahead log in SyncThread:\d+ took \d+ms/);
    const latency = checksOf(r, "p99-below").filter((c) => c.name.startsWith("clients' p99 latency in phase"));
    expect(latency.map((c) => [c.status, c.name]), shown(r)).to.deep.equal([["passed", `clients' p99 latency in phase "one disk slow" under 1000 ms`]]);
    const lag = findingsOf(dir).find((f) => f.name === `followers' lag behind the leader in "one disk slow"`);
    expect(lag, "the followers' lag is measured in the slow phase").to.not.equal(undefined);
    expect(Object.keys(lag!.figure.maxTxnsBehind as Record<string, number>)).to.have.length(2);
    expect(checksOf(r, "set-survives").map((c) => c.status), shown(r)).to.deep.equal(["passed"]);
    const faults = readJournal(join(dir, "journal.jsonl")).filter((x) => x.type === "fault").map((x) => x.data.label);
    expect(faults.some((l) => String(l).startsWith("fsync +1200 ms on ")), `faults: ${faults.join("; ")}`).to.equal(true);
  });

  it("lying-disk: the follower whose disk lied loses acknowledged transactions from its own log on a power cut; the ensemble loses none", async () => {
    const dir = reportDir("lying-disk");
    const r = await runDrill(loadDrill("lying-disk"), { quick: true, seed: 42, reportDir: dir });
    expect(r.status, shown(r)).to.equal("passed");
    const cut = findingsOf(dir).find((f) => /'s own log after a power cut$/.test(f.name));
    expect(cut, "the power cut measures what the member lost").to.not.equal(undefined);
    const lost = cut!.figure as { lostTxns: number; lostZxids: string[]; files: Array<{ file: string; durableBytes: number; lostTxns: number }> };
    // 100 writes were acknowledged while its disk lied: its last real sync was before them.
    expect(lost.lostTxns, cut!.text).to.be.at.least(1);
    expect(lost.lostZxids).to.have.length(lost.lostTxns);
    expect(lost.files.length).to.be.at.least(1);
    expect(lost.files[0].file).to.match(/^\/datalog\/version-2\/log\.[0-9a-f]+$/);
    expect(cut!.text).to.match(/^\d+ transaction\(s\) it had written and acknowledged were never on its disk/);
    // The ensemble's guarantee: the leader and the other follower fsynced every acknowledged write.
    expect(checksOf(r, "set-survives").map((c) => c.status), shown(r)).to.deep.equal(["passed"]);
    const writesLost = checksOf(r, "writes-lost-objective");
    expect(writesLost.map((c) => c.status), shown(r)).to.deep.equal(["passed"]);
    const notes = readJournal(join(dir, "journal.jsonl")).filter((e) => e.type === "note" && e.data.what === "power cut");
    expect(notes).to.have.length(1);
  });
});
