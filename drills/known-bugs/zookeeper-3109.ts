// ZOOKEEPER-3109 (https://issues.apache.org/jira/browse/ZOOKEEPER-3109): a voter that helped elect a
// leader and then failed to follow it is LOOKING again, in a later election round. It cannot rejoin:
// a LOOKING member joins an established leader only when a quorum of the others say FOLLOWING or
// LEADING, and with three survivors of five that is two, not three. The leader, short of the quorum
// of followers it was elected by, waits initLimit x tickTime before it gives up and a new election
// takes everyone: the ensemble is unavailable that long. This is what p7-kafka-seed-003 saw on 3.4.14
// (member 1 LOOKING in round 4, 3 and 4 FOLLOWING and LEADING in round 3). The fix (3.6.0) lets the
// leader give up as soon as such a voter is LOOKING again, after zookeeper.leader.maxTimeToWaitForEpoch:
// opt-in (its default -1 keeps the old wait), so the drill sets it; releases before 3.6 ignore it.
// The faults force the interleaving: the voter's connections to the others' quorum port are reset
// (it still votes on the election port), so it gives up on the leader it voted for; then the cut heals.
import { drill, oneZoneTopology } from "../../src/drill";

const INIT_LIMIT = 15;
const TICK_MS = 2_000;
/** Well under initLimit x tickTime (30 s), well over what a re-election takes once the leader gives up. */
const BOUND_MS = 12_000;
const MAX_TIME_TO_WAIT_FOR_EPOCH_MS = 1_000;
/**
 * The killed members' addresses are gone: a connect to them waits out zookeeper.cnxTimeout (5 s by
 * default), so a re-election can take seconds on every version alike, and on the fixed line a member
 * that lags its election by more than maxTimeToWaitForEpoch makes the new leader quit again (seen: a
 * minute of re-elections on 3.6.4). A short connect timeout leaves the figure to the leader's wait.
 */
const CONNECT_TIMEOUT_MS = 300;

export default drill({
  name: "zookeeper-3109",
  description:
    "ZOOKEEPER-3109 (https://issues.apache.org/jira/browse/ZOOKEEPER-3109), \"Avoid long unavailable time due to voter changed mind when activating " +
    "the leader during election\". Five voters (initLimit 15 x tickTime 2 s); the lowest survivor-to-be cannot reach the others' quorum port " +
    "(reset; it still votes); the leader and one follower are killed. The survivors elect a leader, the cut voter fails to follow it and is " +
    "LOOKING again in a later round; the cut heals. Affected (3.4, 3.5): the leader waits initLimit x tickTime (\"Timeout while waiting for epoch " +
    "from quorum\") before the three serve again. Fixed (3.6+, zookeeper.leader.maxTimeToWaitForEpoch=1000 set by the drill): \"Quit leading due " +
    "to voter changed mind\" and they serve within 12 s of the heal.",
  procedure: "ZOOKEEPER-3109 (https://issues.apache.org/jira/browse/ZOOKEEPER-3109)",
  origin: "zookeeper",
  headline: { outcome: "three survivors of five serve again soon after a voter that gave up on their leader can reach it again", checks: ["quorum-after-heal"] },
  knownBug: {
    jira: "ZOOKEEPER-3109",
    title: "Avoid long unavailable time due to voter changed mind when activating the leader during election",
    affects: ["3.4.14", "3.5.8", "3.5.9", "3.5.10"],
    fixedIn: ["3.6.0"],
    symptom: {
      quote:
        "If leader received a LOOKING notification from one of it's voters, and it hasn't received epoch packets from majority within " +
        "maxTimeToWaitForEpoch, then it will goto LOOKING and elect leader again. This can be tuned to reduce the quorum or server unavailable " +
        "time, it can be set to be much smaller than initLimit * tickTime.",
      source: "https://github.com/apache/zookeeper/commit/4d7b9e8f34775261fed517d232094f0247a4d3cf",
    },
    evidence: {
      check: "quorum-after-heal",
      names: "the survivors serve again only about initLimit x tickTime after the leader began waiting; the leader's log: \"Timeout while waiting for epoch from quorum\"",
    },
    note: "The fix is opt-in: zookeeper.leader.maxTimeToWaitForEpoch (default -1, the old wait) is set to 1000 ms by this drill on every version; 3.5's backport (ZOOKEEPER-4432) was closed unmerged",
  },
  topology: { ...oneZoneTopology("five-voters-initlimit-15", 5), settings: { tickTime: TICK_MS, initLimit: INIT_LIMIT } },
  jvmFlags: `-Dzookeeper.leader.maxTimeToWaitForEpoch=${MAX_TIME_TO_WAIT_FOR_EPOCH_MS} -Dzookeeper.cnxTimeout=${CONNECT_TIMEOUT_MS}`,
  needs: { voters: 5 },
  async run(d) {
    const all = [1, 2, 3, 4, 5];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of all five" });
    await d.write(["/zk-permanent"]);

    // Three survivors: the leader and the highest follower go. With equal zxids ZooKeeper elects the
    // highest id, so the lowest survivor votes for another: it is the voter that will change its mind.
    const lost = [q.leader, Math.max(...q.followers)];
    const survivors = all.filter((id) => !lost.includes(id));
    const [voter, ...others] = survivors;
    await d.partitionMembers({ kind: "one-way", from: [voter], to: others }, "reject", "quorum");
    const since = Date.now();
    await d.kill(lost);
    // Its first "Exception when following" is the old leader's death; the second, giving up on the new one.
    await d.waitForLogLine(voter, /Exception when following the leader/, since, { count: 2, timeoutMs: 60_000 });
    await d.healMembers();
    await d.expect.quorumAfterHeal(survivors, {
      healed: `member ${voter}'s quorum-port cut`,
      healedAt: Date.now(),
      boundMs: BOUND_MS,
      watchMs: INIT_LIMIT * TICK_MS + 30_000,
      since,
      patterns: [/Timeout while waiting for epoch from quorum/, /Quit leading due to voter changed mind/, /Exception when following the leader/, /LEADER ELECTION TOOK/],
    });
    await d.expect.znodesSurvive(survivors);
  },
});
