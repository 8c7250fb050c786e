// ZOOKEEPER-3781 (https://issues.apache.org/jira/browse/ZOOKEEPER-3781): the 3.4 -> 3.5 upgrade as the
// documentation gives it. A 3.4 follower synced by DIFF holds transaction logs and no snapshot, so 3.5
// refuses it (ZOOKEEPER-3056, drills/upgrade-no-snapshot.ts) until it starts with snapshot.trust.empty=
// true. That flag is meant for the upgrade only; but 3.5 before 3.5.10 writes a snapshot only on a
// leader or on a follower sent a SNAP, so a follower synced by DIFF still has none when the flag goes:
// restarted without it, it refuses to start again ("No snapshot found, but there are log entries.
// Something is broken!"). Fixed in 3.5.10, 3.6.4 and 3.7.0: a follower with the flag and no snapshot
// writes one when it syncs ("Forcing a snapshot write as part of upgrading from an older Zookeeper").
import { drill, oneZoneTopology } from "../../src/drill";
import type { MemberId } from "../../src/drill";

const TRUST_EMPTY = "snapshot.trust.empty";
const REFUSED = /No snapshot found, but there are log entries\. Something is broken/;

export default drill({
  name: "zookeeper-3781",
  description:
    "ZOOKEEPER-3781 (https://issues.apache.org/jira/browse/ZOOKEEPER-3781), \"Zookeeper 3.5.7 not creating snapshot\". Three voters on 3.4.14 are " +
    "upgraded one at a time (followers first) to the version under test (default 3.5.9; --zk-version names another); a member 3.5 refuses for logs " +
    "without a snapshot gets snapshot.trust.empty=true and rejoins. Then the flag is taken out again and each such member restarted. Affected " +
    "(3.5.8, 3.5.9): a follower synced by DIFF still has no snapshot and exits (\"No snapshot found, but there are log entries. Something is " +
    "broken!\"). Fixed (3.5.10): it wrote one when it synced, and rejoins.",
  procedure: "ZOOKEEPER-3781 (https://issues.apache.org/jira/browse/ZOOKEEPER-3781); ZOOKEEPER-3056's snapshot.trust.empty",
  origin: "zookeeper",
  headline: { outcome: "after a 3.4 -> 3.5 upgrade with snapshot.trust.empty, the flag can be taken out again: every member restarts without it", checks: ["member-rejoins"] },
  knownBug: {
    jira: "ZOOKEEPER-3781",
    title: "Zookeeper 3.5.7 not creating snapshot",
    affects: ["3.5.8", "3.5.9"],
    fixedIn: ["3.5.10", "3.6.4", "3.7.0"],
    symptom: {
      quote:
        "Prior to this PR, a node would only write a snapshot locally if it became leader, or if it had fallen so far behind the leader that the " +
        "leader sent a SNAP message instead of a DIFF. This made the upgrade process inconvenient, as not all nodes would create a snapshot when " +
        "snapshot.trust.empty was true, meaning that the safety check could not be flipped back on.",
      source: "https://github.com/apache/zookeeper/pull/1581",
    },
    evidence: { check: "member-rejoins", names: "a follower restarted without snapshot.trust.empty exits: \"No snapshot found, but there are log entries. Something is broken!\"" },
    note: "An upgrade drill: the version under test is the one it upgrades to (--zk-version sets it, from 3.4.14); 3.6.0-3.6.3 are affected too",
  },
  topology: oneZoneTopology("three-members", 3),
  needs: { voters: 3 },
  upgrade: { from: "3.4.14", to: "3.5.9" },
  async run(d) {
    const all = [1, 2, 3];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of 1, 2, 3 on 3.4" });
    await d.write(["/zk-permanent"]);

    // The documented upgrade: followers first, the leader last; a member refused for logs without a
    // snapshot (ZOOKEEPER-3056) starts again with snapshot.trust.empty=true.
    const trusted: MemberId[] = [];
    for (const id of [...q.followers, q.leader]) {
      const held = await d.dataFiles(id);
      await d.upgrade(id);
      if (held.snapshots.length === 0 && held.logs.length > 0) {
        await d.waitUntilStopped(id);
        await d.rewriteConfig(id, { extra: { [TRUST_EMPTY]: "true" } });
        await d.start(id);
        trusted.push(id);
      }
      await d.waitForQuorum(all, { name: `member ${id} serves on ${d.versionOf(id)}` });
    }
    if (trusted.length === 0) throw new Error("no 3.4 member held logs without a snapshot: snapshot.trust.empty was never needed, so ZOOKEEPER-3781 cannot show on this run");
    await d.write(["/after-upgrade"]);

    // The flag is for the upgrade only: out again, each member that had it restarted, followers first.
    const now = await d.quorum(all);
    for (const id of [...trusted.filter((x) => x !== now.leader), ...trusted.filter((x) => x === now.leader)]) {
      const files = await d.dataFiles(id);
      await d.rewriteConfig(id, { extra: { [TRUST_EMPTY]: null } });
      const since = Date.now();
      await d.restart(id);
      await d.expect.memberRejoins(id, { what: `restarted without ${TRUST_EMPTY}`, pattern: REFUSED, since, files });
      await d.waitForQuorum(all, { name: `wait for 1, 2, 3 after member ${id}'s restart` });
    }
    await d.expect.znodesSurvive(all);
  },
});
