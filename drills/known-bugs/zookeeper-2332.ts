// ZOOKEEPER-2332 (https://issues.apache.org/jira/browse/ZOOKEEPER-2332): ZooKeeper creates a new
// transaction log file before it writes the file's header. A member that stops in between (a crash, a
// disk that filled as the log rolled) is left with an empty newest log, and will not start again: its
// log reader takes the 0-byte file for a log, reads no header (java.io.EOFException), and the member
// exits ("Unable to load database on disk"). Fixed in 3.9.3 (never in 3.8): an empty log at the tail
// is deleted ("Delete empty tail log file to recover from corruption file") and the member loads from
// what it has and syncs the rest from the leader; an empty log in the middle is still refused.
// The drill empties the newest log of a stopped follower (0 bytes, as the crash leaves it) and starts it.
import { drill, oneZoneTopology } from "../../src/drill";

/** The failure a restarted member must not show: its database refused. */
const REFUSED = /Unable to load database on disk|java\.io\.EOFException/;

export default drill({
  name: "zookeeper-2332",
  description:
    "ZOOKEEPER-2332 (https://issues.apache.org/jira/browse/ZOOKEEPER-2332), \"Zookeeper failed to start for empty txn log\". Three voters; a " +
    "follower is stopped and its newest transaction log left empty (0 bytes: created, then the process or the disk gave out before its header), " +
    "then started again. Affected (3.8 and before): it exits, \"Unable to load database on disk\" (java.io.EOFException). Fixed (3.9.3+): it " +
    "deletes the empty tail log, rejoins and resyncs; a write then reaches all three.",
  procedure: "ZOOKEEPER-2332 (https://issues.apache.org/jira/browse/ZOOKEEPER-2332)",
  origin: "zookeeper",
  headline: { outcome: "a member whose newest transaction log is empty (a crash as the log rolled) starts again and rejoins", checks: ["member-rejoins"] },
  knownBug: {
    jira: "ZOOKEEPER-2332",
    title: "Zookeeper failed to start for empty txn log",
    affects: ["3.8.6"],
    fixedIn: ["3.9.3"],
    symptom: {
      quote:
        "When a new txn log is created, it encounters a failure before writing to the file header. The txn log file is empty at this moment, the " +
        "server starts up again, reads the file, and fails to load the database because the header is not recognized.",
      source: "https://github.com/apache/zookeeper/pull/2141",
    },
    evidence: { check: "member-rejoins", names: "the follower started with an empty newest log exits: \"Unable to load database on disk\", java.io.EOFException" },
    note: "3.9.3 is the first release with the fix (PR 2141; 3.8 has no backport); every older line reads an empty log the same way (FileTxnLog's goToNextLog unchanged since 3.4)",
  },
  topology: oneZoneTopology("three-members", 3),
  needs: { voters: 3 },
  async run(d) {
    const all = [1, 2, 3];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"]);
    const victim = q.followers[0];

    await d.stop(victim);
    await d.corruptLog(victim, "emptied");
    const newest = (await d.dataLogFiles(victim)).at(-1);
    if (!newest || newest.bytes !== 0) throw new Error(`member ${victim}'s newest transaction log is ${newest ? `${newest.name} (${newest.bytes} bytes)` : "missing"}, not an empty one: ZOOKEEPER-2332's condition was not met`);
    const since = Date.now();
    await d.start(victim);
    await d.expect.memberRejoins(victim, { what: `started again with its newest transaction log ${newest.name} empty (0 bytes)`, pattern: REFUSED, since });

    // Serving is not yet synced with a quorum around it (seen on 3.9.5: the next write lost its
    // connection 4.9 s in): the first write waits for all three to agree on a leader, bounded.
    await d.waitForQuorum(all, { name: `wait for 1, 2, 3 to agree on a leader after member ${victim}'s start`, timeoutMs: 60_000 });
    await d.write(["/first-write-after-restart"]);
    await d.expect.znodesSurvive(all);
  },
});
