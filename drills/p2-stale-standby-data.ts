// PROCEDURES.md P2's warning, shown: standbys that start with a stale version-2 folder (here left
// by an earlier DR rehearsal) instead of an empty one take over, and production's znodes are lost.
import { drill } from "../src/drill/runner";

const REHEARSAL = Array.from({ length: 20 }, (_, i) => `/dr-rehearsal/n${i}`);

export default drill({
  name: "p2-stale-standby-data",
  description:
    "P2's promotion done wrong: standbys 4 and 5 still hold version-2 data from an earlier DR rehearsal (a newer epoch). " +
    "After AZ1 is lost and 3 is restarted with {3,4,5}, 4 and 5 start without emptying their data: one of them leads, " +
    "3 syncs from it, and the production znodes written before the disaster are gone. The drill passes when this pitfall reproduces.",
  procedure: "PROCEDURES.md P2 (the empty version-2 rule)",
  topology: "p2-two-az-standby",
  needs: { zones: ["az1", "az2"], members: [3, 4, 5], standbys: 2 },
  versions: { seed: "3.4.14" },
  async run(d) {
    await d.step("wait for a quorum of 1, 2, 3", () => d.quorum([1, 2, 3]));

    // Months earlier: a DR rehearsal started the standbys on their recovery config. Two of {3,4,5}
    // are a majority, so they form an ensemble of their own, take writes, and are restarted once
    // (a second election: their epoch is now ahead of production's).
    await d.start([4, 5]);
    await d.step("the rehearsal ensemble 4, 5 elects a leader", () => d.quorum([4, 5]));
    await d.write(REHEARSAL, [4, 5], { remember: false });
    await d.stop([4, 5]);
    await d.start([4, 5]);
    await d.step("the rehearsal ensemble elects again", () => d.quorum([4, 5]));
    await d.write(["/dr-rehearsal/after-restart"], [4, 5], { remember: false });
    await d.stop([4, 5]);

    // Production, as in P2.
    const q = await d.step("production still has its quorum of 1, 2, 3", () => d.quorum([1, 2, 3]));
    await d.write(["/zk-permanent", "/test"], [1, 2, 3]);
    const az1 = d.membersIn("az1");
    await d.stop([...az1.filter((id) => id !== q.leader), ...az1.filter((id) => id === q.leader)]);
    await d.expect.quorumLost([3]);
    await d.newLineage("promote AZ2 the wrong way: 3 rewritten and restarted, 4 and 5 started on their stale data", async () => {
      await d.rewriteConfig(3, { servers: [3, 4, 5] });
      await d.restart(3);
      await d.start([4, 5]); // the mistake: no wipeData
      // ZooKeeper elects by (epoch, zxid): the rehearsal's newer epoch wins, so a standby leads.
      await d.expect.leaderIn([4, 5]);
    });
    await d.expect.znodesAbsent(["/zk-permanent", "/test"], [3, 4, 5], "production's znodes are gone: the pitfall reproduced");
    await d.expect.znodesSurvive([3, 4, 5], [REHEARSAL[0], "/dr-rehearsal/after-restart"]);
  },
});
