// ZOOKEEPER-2926 (https://issues.apache.org/jira/browse/ZOOKEEPER-2926): with local sessions on
// (localSessionsEnabled, localSessionsUpgradingEnabled), a session upgraded to a global one when it
// creates an ephemeral went into the member's database at once, before its createSession was
// committed: a follower that never got it to the leader keeps a global session nobody else knows.
// Elected next, it tracks that session as its own, so the client reconnects and its ephemeral is
// committed on every member, while no other member's database has the session. When the leadership
// moves on, the new leader neither knows nor expires it: it drops the znode from its own tree only
// (loadData's "dead sessions", no transaction), the followers keep it for good, and the client is
// told its session expired. Fixed in 3.6.0 (not in any 3.5): a session enters the database only when
// its createSession is committed; until then the leader only tracks it and a learner does nothing.
// The faults force the interleaving: the follower's link to its leader goes silent just before the
// create, the leader is killed (the follower, the higher id among equal zxids, is elected), then the
// follower is isolated so the leadership moves to a member that never had the session.
import { drill, oneZoneTopology } from "../../src/drill";

/** The probe client's session timeout; the session must outlive the follower's election. */
const SESSION_MS = 10_000;
/** Once its client is told the session expired, its ephemeral is gone everywhere within a moment; ten seconds is never. */
const BOUND_MS = 10_000;

export default drill({
  name: "zookeeper-2926",
  description:
    "ZOOKEEPER-2926 (https://issues.apache.org/jira/browse/ZOOKEEPER-2926), \"Data inconsistency issue due to the flaw in the session management\". " +
    "Three voters with local sessions; a client on the highest follower alone creates an ephemeral while that follower's link to the leader is " +
    "silent (its session upgrade never reaches the leader); the leader is killed, the follower elected, the client reconnects and creates the " +
    "ephemeral again; then the follower is isolated and the others elect a leader. Affected (3.5): the follower kept the session in its database " +
    "before it was committed, the ephemeral is committed on every member, and after the client is told its session expired the followers still " +
    "hold it (the new leader dropped it from its own tree only). Fixed (3.6.0+): the elected follower never had the session, the client is told " +
    "it expired at once, and no member ever holds the ephemeral.",
  procedure: "ZOOKEEPER-2926 (https://issues.apache.org/jira/browse/ZOOKEEPER-2926)",
  origin: "zookeeper",
  headline: { outcome: "once a client is told its session expired, no member still holds that session's ephemeral", checks: ["ephemeral-ends"] },
  knownBug: {
    jira: "ZOOKEEPER-2926",
    title: "Data inconsistency issue due to the flaw in the session management",
    // 3.5.9 first: the default run, the release the drill was first shown on (3.5.8 and 3.5.10 have the same session trackers).
    affects: ["3.5.9", "3.5.8", "3.5.10"],
    fixedIn: ["3.6.0"],
    symptom: {
      quote:
        "only add the global session tracker but not to ZKDb [...] Track global session, which will add to global session tracker on " +
        "leader and do nothing on learner.",
      source: "https://github.com/apache/zookeeper/commit/cd209456b67cde5aba771b1a240ebe5607398459",
    },
    evidence: {
      check: "ephemeral-ends",
      names: "the client was told its session expired, yet members still hold its ephemeral: \"/zkdrill/probes/owner (owner 0x...) outlives its session: member N still holds it ... s after\"",
    },
    note: "Needs local sessions (localSessionsEnabled and localSessionsUpgradingEnabled, set by the drill; 3.5+); the fix (PR 447) was never backported to 3.5",
  },
  topology: oneZoneTopology("three-voters-local-sessions", 3, { extra: { localSessionsEnabled: "true", localSessionsUpgradingEnabled: "true" } }),
  needs: { voters: 3 },
  versions: { min: "3.5.0", why: "local sessions came in 3.5 (ZOOKEEPER-1147): ZOOKEEPER-2926 cannot happen on 3.4" },
  async run(d) {
    const all = [1, 2, 3];
    const q = await d.waitForQuorum(all, { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"]);
    // The client's follower must win the next election among equal zxids: the higher id of the two.
    const leader = q.leader;
    const owner = Math.max(...q.followers);
    const other = q.followers.find((id) => id !== owner)!;

    // A local session on the follower: no transaction, the leader never hears of it.
    const p = await d.openClient("owner", [owner], SESSION_MS, { ephemeral: false });
    p.arm();
    // The follower's link to its leader goes silent: what it forwards from here on is lost.
    await d.partitionMembers({ kind: "halves", sides: [[owner], [leader]] }, "drop");
    const since = Date.now();
    await d.clientCreatesEphemeral(p, { wait: false });
    // The upgrade to a global session: 3.5 writes it into the follower's database here, uncommitted.
    await d.waitForLogLine(owner, new RegExp(`Upgrading session 0x${BigInt(`0x${p.sessionId}`).toString(16)}\\b`), since, { timeoutMs: 10_000 });
    // Killed before the cut heals, or the follower's buffered createSession would still reach it.
    await d.kill(leader);
    await d.healMembers();
    const elected = await d.waitForQuorum([owner, other], { name: `wait for ${owner} and ${other} to elect a leader` });
    if (elected.leader !== owner) throw new Error(`member ${elected.leader} leads, not the client's follower ${owner}: ZOOKEEPER-2926's condition was not met on this run`);

    // Affected: the new leader tracks the session it alone has, so the client is back and its ephemeral
    // commits. Fixed: it never had the session, and the client is told it expired.
    const settled = await d.clientSettles(p, 3 * SESSION_MS);
    if (settled === "connected") await d.clientCreatesEphemeral(p);
    await d.start(leader);
    await d.waitForQuorum(all, { name: `member ${leader} rejoins under member ${owner}` });

    // The leadership moves to a member that never had the session in its database: nobody expires it.
    await d.isolateMember(owner, "drop");
    await d.waitForQuorum([leader, other], { name: `wait for ${leader} and ${other} to elect a leader without ${owner}` });
    await d.healMembers();
    await d.waitForQuorum(all, { name: `member ${owner} rejoins` });
    // The client reconnects through its follower; the leader does not know the session: expired.
    await d.expect.ephemeralEnds(p, all, { boundMs: BOUND_MS, waitMs: 3 * SESSION_MS });
    await d.expect.znodesSurvive(all);
  },
});
