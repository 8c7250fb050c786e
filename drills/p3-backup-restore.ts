// PROCEDURES.md P3: back up from a healthy member while the load runs; lose production; restore the
// newest backup into the empty DR ensemble. What was there at backup time is; what came later is not.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p3-backup-restore",
  description:
    "Production 1-3 under load. A follower that reports healthy is backed up (snapshot + transaction logs, timestamped names, " +
    "into the run's backup store). A znode is written after the backup; production is lost. The backup is restored into the empty " +
    "DR ensemble 4-6: every write acknowledged before the backup is there, the later znode is not; the recovery point is the backup's time.",
  procedure: "PROCEDURES.md P3",
  topology: "p3-backup-restore",
  async run(d) {
    const prod = d.membersIn("prod");
    const dr = d.membersIn("dr");
    const q = await d.step("wait for production's quorum", () => d.quorum(prod));
    await d.write(["/zk-permanent", "/test"], prod);
    await d.startWorkload({ fromZone: "prod" });
    await d.measure("baseline", 5_000);

    const backup = await d.backup(q.followers[0]);
    await d.measure("after the backup", 3_000);
    await d.writeUntracked(["/written-after-the-backup"], prod);

    await d.zoneOutage("prod", "kill");
    const lostAt = Date.now();
    await d.stopWorkload();

    await d.restore(backup, dr);
    await d.expect.leaderIn(dr, dr);
    await d.expect.znodesSurvive(dr);
    await d.expect.writesSurvive(dr, { ackedBy: backup.startedAt });
    const held = await d.znodesOn(dr, ["/written-after-the-backup"]);
    d.expect.that(
      "the znode written after the backup is not in DR (the recovery point is the backup)",
      Object.values(held).every((paths) => paths.length === 0),
      Object.entries(held)
        .map(([m, paths]) => `member ${m}: ${paths.length ? "has it" : "absent"}`)
        .join("; "),
      { held },
    );
    const later = d.acknowledgedSince(backup.startedAt);
    d.recordRpo(`${((lostAt - backup.startedAt) / 1000).toFixed(1)} s: the backup of member ${backup.member} at ${new Date(backup.startedAt).toISOString()} (zxid ${backup.zxid}); ${later} write(s) acknowledged after it are not in DR, by design`, {
      backupStartedAt: new Date(backup.startedAt).toISOString(),
      productionLostAt: new Date(lostAt).toISOString(),
      writesAfterBackup: later,
      files: backup.files,
      bytes: backup.bytes,
    });
  },
});
