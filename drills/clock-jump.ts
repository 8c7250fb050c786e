// The leader's wall clock steps an hour forward, then two hours back (a bad NTP step, a VM resumed
// from a snapshot). ZooKeeper's timeouts run on the monotonic clock (ZOOKEEPER-1366, "Zookeeper should
// be tolerant of clock adjustments"): no election and no session expiry may follow. What the wall clock
// still reaches is data: a znode's mtime is the proposing leader's wall clock, measured as a finding.
import { drill, oneZoneTopology } from "../src/drill";

const HOUR = 3_600;
const SESSION_MS = 6_000;

export default drill({
  name: "clock-jump",
  description:
    "Three voters under load; a client holds a session on the leader alone. The leader's wall clock jumps an hour forward, then two hours " +
    "back (libfaketime; its monotonic clock untouched): the same leader in the same epoch, the session alive with its ephemeral its own, " +
    "writes acknowledged throughout. The mtime the skewed leader stamps on a write is measured against true time.",
  procedure: "ZOOKEEPER-1366 (timeouts on the monotonic clock); an NTP step or a resumed VM",
  origin: "zookeeper",
  headline: { outcome: "the leader and its epoch hold across a wall-clock jump, and a session on it lives", checks: ["clock-moved", "leader-held", "session-alive"] },
  topology: oneZoneTopology("three-members", 3),
  needs: { voters: 3 },
  clockFaults: true,
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    // libfaketime slows the members' first start on a loaded machine: the first election gets 3 minutes.
    const q = await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of 1, 2, 3", timeoutMs: 180_000 });
    await d.write(["/zk-permanent"]);
    await d.startWorkload();
    await d.measure("baseline", 5_000);
    const probe = await d.openClient("on-the-leader", [q.leader], SESSION_MS);
    const skews: Record<string, number> = {};

    for (const [phase, offset] of [
      ["the leader an hour ahead", HOUR],
      ["the leader an hour behind", -HOUR],
    ] as const) {
      probe.arm();
      await d.skewClock(q.leader, offset);
      // Past the session timeout (quick mode too): a wall-clock expiry would have struck by now.
      await d.measure(phase, SESSION_MS + 2_000, { outlast: "the session timeout" });
      skews[phase] = Math.round(await d.expect.clockMoved(probe, q.leader, offset, phase));
      await d.expect.sessionAlive(probe, phase);
      await d.expect.leaderHeld(phase, q);
      await d.writesSucceed(20);
    }

    await d.resetClock(q.leader);
    d.finding(
      "znode mtimes follow the leader's wall clock",
      "warning",
      `a write proposed by the skewed leader carried an mtime ${Object.entries(skews).map(([p, s]) => `${s >= 0 ? "+" : ""}${s} s off true time (${p})`).join(", ")}: ` +
        "anything that reads mtime/ctime as time (TTLs, audit, the 'stale lock' heuristics of recipes) inherits the leader's clock",
      { offsetSecondsByPhase: skews, clockOffsets: [HOUR, -HOUR] },
    );
    await d.measure("clock reset", 3_000);
    await d.expect.writesSurvive([1, 2, 3]);
  },
});
