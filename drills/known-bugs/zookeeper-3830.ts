// ZOOKEEPER-3830 (https://issues.apache.org/jira/browse/ZOOKEEPER-3830): a voter added the static way
// (P6: the new member configured with the longer list, then every old one rewritten and restarted,
// the leader last), with dynamic reconfig off (3.5's default). 3.5 still passes the old ensemble's
// config on to the new member when it joins; when the new member is then elected, the leader it
// becomes takes itself for one that is "not the designated leader" and sets allowedToCommit = false:
// it serves, every member says who leads, and no write is ever acknowledged. Fixed in 3.5.9 and 3.6.2
// by ZOOKEEPER-3829's patch (no config is propagated or acted on while reconfig is disabled).
import { drill } from "../../src/drill";

const NEW = 4;
/** A healthy ensemble acknowledges a write in milliseconds; ten seconds is no leader at all. */
const BOUND_MS = 10_000;

export default drill({
  name: "zookeeper-3830",
  description:
    "ZOOKEEPER-3830 (https://issues.apache.org/jira/browse/ZOOKEEPER-3830), \"After add a new node, zookeeper cluster won't commit any proposal if this " +
    "new node is leader\". Voters 1-3 list 1-3; member 4 starts with the list 1-4 and joins; 1-3 are rewritten to 1-4 and rolling-restarted, the leader " +
    "last, so 4 (the highest id) is elected. Affected (3.5.8): 4 reports Mode: leader and a write is not acknowledged within 10 s. Fixed (3.5.9): the " +
    "write is acknowledged and the leader's log says \"Dynamic reconfig feature is disabled, skip designatedLeader calculation\".",
  procedure: "ZOOKEEPER-3830 (https://issues.apache.org/jira/browse/ZOOKEEPER-3830); P6's static scale-out",
  origin: "zookeeper",
  headline: { outcome: "after a static scale-out in which the new member is elected, the leader commits writes", checks: ["write-commits"] },
  knownBug: {
    jira: "ZOOKEEPER-3830",
    title: "After add a new node, zookeeper cluster won't commit any proposal if this new node is leader",
    affects: ["3.5.8"],
    fixedIn: ["3.5.9", "3.6.2"],
    symptom: {
      quote:
        "In worst case the rolling restart leads to the scenario that we had an elected leader which was up but unable to commit any changes. " +
        "[...] at this point leader is server.4, but it can not commit any transaction",
      source: "https://github.com/apache/zookeeper/pull/1370",
    },
    evidence: { check: "write-commits", names: "member 4 reports Mode: leader, yet a write through 1-4 is not acknowledged within 10 s: the leader commits nothing" },
    note: "3.4 has no dynamic configuration to propagate (the drill needs 3.5); the same patch fixed ZOOKEEPER-3829, -3814 and -3842",
  },
  topology: {
    name: "three-voters-and-one-new",
    zones: [{ name: "dc1", region: "r1" }],
    members: [
      { id: 1, zone: "dc1", servers: [1, 2, 3] },
      { id: 2, zone: "dc1", servers: [1, 2, 3] },
      { id: 3, zone: "dc1", servers: [1, 2, 3] },
      { id: NEW, zone: "dc1", standby: true, servers: [1, 2, 3, NEW] },
    ],
  },
  needs: { members: [1, 2, 3, NEW] },
  versions: { min: "3.5.0", why: "3.4 has no dynamic configuration: ZOOKEEPER-3830 cannot happen there" },
  async run(d) {
    const old = [1, 2, 3];
    const all = [...old, NEW];
    await d.waitForQuorum(old, { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"], old);
    await d.start(NEW);
    await d.waitForQuorum(all, { name: `member ${NEW} joins with the list 1-4` });
    await d.rewriteConfigs(Object.fromEntries(old.map((id) => [id, { servers: all }])));
    const since = Date.now();
    await d.rollingRestart(old, all);
    // The condition: the new member leads. Among equal zxids ZooKeeper elects the highest id;
    // should another lead, restarting it hands the election to 4 (bounded).
    let q = await d.quorum(all);
    for (let i = 0; i < 3 && q.leader !== NEW; i++) {
      await d.restart(q.leader);
      q = await d.waitForQuorum(all, { name: `wait for ${all.join(", ")} to agree on a leader again` });
    }
    if (q.leader !== NEW) throw new Error(`member ${q.leader} leads, not the new member ${NEW}: ZOOKEEPER-3830's condition was not met on this run`);
    await d.expect.writeCommits(all, { boundMs: BOUND_MS, since, patterns: [/Dynamic reconfig feature is disabled/, /designated leader/, /Have quorum of supporters/] });
    await d.expect.znodesSurvive(all);
  },
});
