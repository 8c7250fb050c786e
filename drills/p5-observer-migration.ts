// PROCEDURES.md P5: zero-downtime migration to new hosts through observers.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p5-observer-migration",
  description:
    "Source 1-3 under load. Targets 4-6 join as observers and sync; the clients switch to them; their configs are rewritten to " +
    "participants of {4,5,6}; 4, then 5 (the new ensemble forms), then 6 restart; the source stops. Every acknowledged write is on " +
    "the targets, and the load saw no outage beyond one election.",
  procedure: "PROCEDURES.md P5",
  topology: "p5-observer-migration",
  async run(d) {
    const source = [1, 2, 3];
    const targets = [4, 5, 6];
    await d.step("wait for the source ensemble", () => d.quorum(source));
    await d.write(["/zk-permanent", "/test"], source);
    await d.startWorkload();
    await d.measure("baseline", 5_000);

    // Step 1: the targets join as observers and sync.
    await d.start(targets);
    const q = await d.step("the targets observe the source", () => d.quorum([...source, ...targets], 90_000));
    d.expect.that("4, 5, 6 observe; the source votes", targets.every((id) => q.observers.includes(id)) && q.observers.length === 3, `leader ${q.leader}, observers ${q.observers.join(", ")}`, { leader: q.leader, observers: q.observers });
    await d.expect.writesSurvive(targets);

    // Step 2: the clients switch to the targets (observers serve reads and forward writes).
    await d.moveClients(targets);
    await d.measure("clients on the observers", 5_000);

    // Steps 3-4: rewrite the targets as participants of {4,5,6}; restart 4, then 5 (leader), then 6 at once.
    await d.rewriteConfigs(Object.fromEntries(targets.map((id) => [id, { role: "participant" as const, servers: targets }])));
    d.phase("cut-over");
    await d.restart(4);
    await d.restart(5);
    await d.restart(6);
    await d.expect.leaderIn(targets, targets);
    await d.expect.unavailableAtMost(15_000, { sincePhase: "cut-over" });
    await d.measure("on the new ensemble", 5_000);

    // Step 5: watch, then stop the source.
    await d.stop(source);
    await d.writesSucceed(20);
    await d.stopWorkload();
    await d.expect.znodesSurvive(targets);
    await d.expect.writesSurvive(targets);
    d.expect.noSplitBrain();
  },
});
