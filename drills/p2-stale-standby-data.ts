// P2's warning, shown: standbys that start with a stale version-2 folder (here left
// by an earlier DR rehearsal) instead of an empty one take over, and production's znodes are lost.
import { drill } from "../src/drill";

const REHEARSAL = Array.from({ length: 20 }, (_, i) => `/dr-rehearsal/n${i}`);

export default drill({
  name: "p2-stale-standby-data",
  description:
    "P2's promotion done wrong: standbys 4 and 5 still hold version-2 data from an earlier DR rehearsal (a newer epoch). " +
    "After AZ1 is lost and 3 is restarted with {3,4,5}, 5 then 4 start without emptying their data: 5 leads, " +
    "3 syncs from it, and the production znodes written before the disaster are gone (on 3.4, 3 keeps them while 4 and 5 lack them: the ensemble diverges). " +
    "The drill passes when this pitfall reproduces.",
  procedure: "P2 (docs/procedures.md): the empty version-2 rule, broken",
  origin: "field procedure",
  headline: { outcome: "standbys started on stale data take over and production's znodes are gone", checks: ["znodes-absent"] },
  topology: "p2-two-az-standby",
  needs: { zones: ["az1", "az2"], members: [3, 4, 5], standbys: 2 },
  versions: { seed: "3.4.14" },
  async run(d) {
    await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3" });

    // Months earlier: a DR rehearsal started the standbys on their recovery config. Two of {3,4,5}
    // are a majority, so they form an ensemble of their own, take writes, and are restarted once
    // (a second election: their epoch is now ahead of production's).
    // Another ensemble's history (its own zxids): a lineage of its own, not production's.
    await d.newLineage("months earlier: a DR rehearsal, standbys 4 and 5 form an ensemble of their own", async () => {
      await d.start([4, 5]);
      await d.waitForQuorum([4, 5], { name: "the rehearsal ensemble 4, 5 elects a leader" });
      await d.write(REHEARSAL, [4, 5], { remember: false });
      await d.stop([4, 5]);
      await d.start([4, 5]);
      await d.waitForQuorum([4, 5], { name: "the rehearsal ensemble elects again" });
      await d.write(["/dr-rehearsal/after-restart"], [4, 5], { remember: false });
      await d.stop([4, 5]);
    });

    // Production, as in P2.
    const q = await d.waitForQuorum([1, 2, 3], { name: "production still has its quorum of 1, 2, 3" });
    await d.write(["/zk-permanent", "/test"], [1, 2, 3]);
    const az1 = d.membersIn("az1");
    await d.stop([...az1.filter((id) => id !== q.leader), ...az1.filter((id) => id === q.leader)]);
    await d.expect.quorumLost([3]);
    // How 3 syncs from 5 is the release's choice: 3.5 and later send a snapshot (production's znodes
    // gone on all three); 3.4.14 sends a DIFF from 3's own production zxid, which 5's log holds from
    // the rehearsal's epoch 1 (another history under the same zxids), so 3 keeps znodes 4 and 5 never
    // had: the ensemble diverges, and the history checker must say so.
    const diverges = !d.runsAtLeast(3, "3.5.0");
    const promote = "promote AZ2 the wrong way: 3 rewritten and restarted, 4 and 5 started on their stale data";
    const why = "3.4: member 3 is sent a DIFF from its own production zxid and keeps znodes the leader never had";
    await d.newLineage(promote, async () => {
      await d.rewriteConfig(3, { servers: [3, 4, 5] });
      await d.restart(3);
      // The mistake: 5, then 4, started without emptying their data. ZooKeeper elects by (epoch, zxid,
      // id): the rehearsal's newer epoch wins, so a standby leads, and the leader decides how 3 syncs.
      // 5 (the rehearsal's leader) sends 3 a snapshot; 4 (its follower) sent 3.7.2's member 3 a DIFF
      // from its own production zxid, and 3 kept znodes 4 and 5 never had. Started together, either
      // may lead: 5 first makes every run the same.
      await d.start([5]);
      await d.waitForQuorum([3, 5], { name: "3 and 5 form a quorum" });
      await d.expect.leaderIn([5]);
      await d.start([4]);
      await d.waitForQuorum([3, 4, 5], { name: "4 joins" });
    }, diverges ? { expectViolation: why } : {});
    if (diverges) {
      await d.expect.znodesAbsent(["/zk-permanent", "/test"], [4, 5], "production's znodes are gone from the standbys");
      await d.expect.znodesSurvive([3], ["/zk-permanent", "/test"]);
      // And the other way round: the rehearsal's znodes are on 4 and 5 only (3.4.14, measured).
      await d.expect.znodesAbsent([REHEARSAL[0], "/dr-rehearsal/after-restart"], [3], "the rehearsal's znodes never reached 3");
      await d.expect.znodesSurvive([4, 5], [REHEARSAL[0], "/dr-rehearsal/after-restart"]);
      d.finding("the promoted ensemble diverged", "critical", `${why}: the same path reads differently on 3 than on 4 and 5, until 3 is wiped`, { version: d.versionOf(3) });
    } else {
      await d.expect.znodesAbsent(["/zk-permanent", "/test"], [3, 4, 5], "production's znodes are gone: the pitfall reproduced");
      await d.expect.znodesSurvive([3, 4, 5], [REHEARSAL[0], "/dr-rehearsal/after-restart"]);
    }
  },
});
