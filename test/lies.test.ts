// The harness against an ensemble made to lie: acknowledged writes lost behind the client's back must
// fail the drill, naming them. Real containers; the lie is told below the drill words, as a broken
// operator script or storage layer would tell it.
import { expect } from "chai";
import { restoreArchives } from "../src/backup/backup";
import { behindTheDrillsBack } from "../src/drill/context";
import type { Drill } from "../src/drill";
import { drill, runDrill } from "../src/drill/runner";
import { verifyReportDir } from "../src/report";
import { oneZone, reportDir, zookeeperImage } from "./support";

/**
 * P2's promotion over standbys a rehearsal left with a newer epoch (drills/p2-stale-standby-data.ts),
 * with no lineage declared: up to member 3 restarted on {3,4,5}, before the standbys start.
 */
async function rehearsalThenPromotion(d: Drill): Promise<void> {
  await d.quorum([1, 2, 3]);
  await d.start([4, 5]);
  await d.quorum([4, 5]);
  await d.write(["/rehearsal"], [4, 5], { remember: false });
  await d.stop([4, 5]);
  await d.start([4, 5]);
  await d.quorum([4, 5]);
  await d.stop([4, 5]);
  await d.write(["/zk-permanent", "/test"], [1, 2, 3]);
  await d.stop([1, 2]);
  await d.rewriteConfig(3, { servers: [3, 4, 5] });
  await d.restart(3);
}

describe("the harness against an ensemble made to lie", function () {
  this.timeout(300_000);
  before(async () => {
    await zookeeperImage();
  });

  it("an older snapshot restored onto every member behind the drill's back: the drill FAILS naming the lost writes", async () => {
    const dir = reportDir("lie-old-snapshot");
    const r = await runDrill(
      drill({
        name: "lie-old-snapshot",
        description: "takes a backup, writes more under load, then silently puts the backup back on every member",
        procedure: "test",
        topology: oneZone(3, "lie-old-snapshot"),
        async run(d) {
          const q = await d.quorum();
          await d.write(["/zk-permanent"]);
          await d.startWorkload();
          await d.writesSucceed(50);
          const b = await d.backup(q.followers[0]);
          await d.writesSucceed(300);
          await d.stopWorkload();
          // The lie: every member stopped and started on the old snapshot, with no lineage declared.
          await d.stop([1, 2, 3]);
          await d.step("restore the old backup on every member (behind the drill's back)", async () => {
            const archives = await restoreArchives(b, d.backupStore);
            await Promise.all([1, 2, 3].map((id) => behindTheDrillsBack(d).startMember(id, { restore: archives })));
          });
          await d.quorum([1, 2, 3]);
          await d.expect.writesSurvive([1, 2, 3]);
        },
      }),
      { quick: true, seed: 7, reportDir: dir },
    );
    expect(r.status).to.equal("failed");
    const set = r.report.checks.find((c) => c.kind === "set-survives");
    expect(set?.status).to.equal("failed");
    expect(set?.summary).to.match(/^\d+ acknowledged write\(s\) lost: \/config\/changes\/b\d+\/config_change_/);
    expect(r.report.metrics.writesLost).to.be.greaterThan(0);
    // The run folder proves the same verdict on its own.
    expect(verifyReportDir(dir).problems).to.deep.equal([]);
  });

  it("a member with another ensemble's newer-epoch data wins the election: the drill FAILS naming production's writes", async () => {
    const r = await runDrill(
      drill({
        name: "lie-newer-epoch",
        description: "standbys with a rehearsal's newer epoch rejoin production's promotion without a declared lineage",
        procedure: "test",
        topology: "p2-two-az-standby",
        async run(d) {
          await rehearsalThenPromotion(d);
          await d.start([4, 5]);
          await d.quorum([3, 4, 5]);
          await d.expect.znodesSurvive([3, 4, 5]);
        },
      }),
      { quick: true, seed: 7, reportDir: reportDir("lie-newer-epoch") },
    );
    expect(r.status).to.equal("failed");
    const held = r.report.checks.find((c) => c.kind === "znodes-hold");
    expect(held?.status).to.equal("failed");
    expect(held?.summary).to.match(/\/zk-permanent missing on [345]/);
  });

  // Issue 26: a real divergence, not a doctored file. On 3.4.14 a leader with a rehearsal's newer epoch
  // (5) sends member 3 a DIFF from 3's own production zxid, and 3 keeps znodes 4 and 5 never had
  // (drills/p2-stale-standby-data.ts measured it). Here no lineage declares it: the ending's
  // reconciliation must fail the drill naming member 3 and its paths.
  it("one member diverged behind the drill's back (3.4's DIFF from another history): the ending's reconciliation FAILS naming it", async () => {
    await zookeeperImage("3.4.14");
    const dir = reportDir("lie-diverged-member");
    const r = await runDrill(
      drill({
        name: "lie-diverged-member",
        description: "standbys with a rehearsal's newer epoch lead member 3, which keeps production's znodes they never had; no lineage declared",
        procedure: "test",
        topology: "p2-two-az-standby",
        async run(d) {
          await rehearsalThenPromotion(d);
          // 5 first: the rehearsal's leader leads and sends 3 a DIFF (see p2-stale-standby-data).
          await d.start([5]);
          await d.quorum([3, 5]);
          await d.start([4]);
          await d.quorum([3, 4, 5]);
        },
      }),
      { quick: true, seed: 7, reportDir: dir, zkVersion: "3.4.14" },
    );
    expect(r.status).to.equal("failed");
    const reconciled = r.report.checks.find((c) => c.kind === "reconciled");
    expect(reconciled?.status, reconciled?.summary).to.equal("failed");
    expect(reconciled?.summary).to.match(/^members reconciled: \d+ znodes, [1-9]\d* divergences?: member 3: \//);
    const found = (reconciled?.evidence as { divergences: Array<{ member: number; path: string }>; divergedMembers: number[] });
    expect(found.divergedMembers).to.deep.equal([3]);
    expect(found.divergences.map((x) => x.path)).to.include("/rehearsal");
    expect(r.report.checks.filter((c) => c.status === "failed").map((c) => c.kind)).to.include("reconciled");
    // Recomputed from the run folder: the verdict is the journal's, not the live run's.
    expect(verifyReportDir(dir).problems).to.deep.equal([]);
  });
});
