// P3 (docs/procedures.md): back up from a healthy member while the load runs; lose production;
// restore the newest backup into the empty DR ensemble. What was there at backup time is; what came later is not.
import { drill } from "../src/drill";

export default drill({
  name: "p3-backup-restore",
  description:
    "Production 1-3 under load. A follower that reports healthy is backed up (snapshot + transaction logs, timestamped names, " +
    "into the run's backup store). A znode is written after the backup; production is lost. The backup is restored into the empty " +
    "DR ensemble 4-6 and the clients move there: every create acknowledged up to the backup's zxid is restored, none written after " +
    "it; the writes lost and the recovery point are measured.",
  procedure: "P3 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "the znodes present at backup time are all there; later writes are not", checks: ["restored-at-backup", "rpo-objective"] },
  topology: "p3-backup-restore",
  needs: { zones: ["prod", "dr"], voters: 3 },
  versions: { seed: "3.4.14" },
  // The recovery point is the backup: the writes after it are lost by design, a few seconds' worth
  // here. The objective is the backup interval an operator would run, 10 s; the load runs 15 s
  // before the backup, so a restore that brought back less than the backup breaks it.
  objectives: { rtoMs: 90_000, rpoMs: 10_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const prod = d.membersIn("prod");
    const dr = d.membersIn("dr");
    const q = await d.waitForQuorum(prod, { name: "wait for production's quorum" });
    await d.write(["/zk-permanent", "/test"], prod);
    await d.startWorkload({ fromZone: "prod" });
    await d.measure("baseline", 15_000, { outlast: "the RPO objective (10 s), so a restore missing its oldest writes breaks it" });

    const backup = await d.backup(q.followers[0]);
    await d.measure("after the backup", 3_000);
    await d.write(["/written-after-the-backup"], prod, { remember: false });

    await d.zoneOutage("prod", "kill");
    await d.newLineage("restore the newest backup into the empty DR ensemble 4-6", async () => {
      await d.restore(backup, dr);
      await d.expect.leaderIn(dr);
      await d.moveClients(dr);
    });
    await d.writesSucceed(20);
    // P3's outcome: up to the backup's zxid, everything; after the copy, nothing (the znode written after it included).
    await d.expect.restoredAtBackup(backup, dr, ["/written-after-the-backup"]);
    await d.expect.writesSurvive(dr);
  },
});
