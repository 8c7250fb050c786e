// P5's rollback: a target fails to restart during the cut-over; the clients go back
// to the source, which never stopped serving.
import { drill } from "../src/drill";

export default drill({
  name: "p5-observer-migration-rollback",
  description:
    "P5 up to the cut-over: targets 4-6 observe, the clients are on them, their configs rewritten as participants. Restarting 4 fails " +
    "(a broken zoo.cfg). Rollback: the clients switch back to the source, the targets' configs go back to observers, 4 rejoins. " +
    "The source keeps its leader, no acknowledged write is lost, and the load's outage stays within one election window.",
  procedure: "P5 (docs/procedures.md): the rollback",
  origin: "field procedure",
  headline: { outcome: "a failed cut-over rolled back: the source keeps its leader and nothing acknowledged is lost", checks: ["log-mentions", "roles", "set-survives"] },
  topology: "p5-observer-migration",
  needs: { members: [1, 2, 3, 4, 5, 6] },
  objectives: { rtoMs: 15_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const source = [1, 2, 3];
    const targets = [4, 5, 6];
    const all = [...source, ...targets];
    await d.waitForQuorum(source, { name: "wait for the source ensemble" });
    await d.write(["/zk-permanent"], source);
    await d.startWorkload();
    await d.measure("baseline", 4_000);
    await d.start(targets);
    await d.waitForQuorum(all, { name: "the targets observe the source", timeoutMs: 90_000 });
    await d.moveClients(targets);
    await d.rewriteConfigs(Object.fromEntries(targets.map((id) => [id, { role: "participant" as const, servers: targets }])));

    // The failure: 4's restart meets a config ZooKeeper refuses (an operator's typo).
    await d.stop(4);
    await d.writeConfigByHand(4, "an operator's typo lands in member 4's zoo.cfg", (cfg) => cfg.replace(/server\.4=zk4:2888:3888/, "server.4=zk4:2888:3888:participnt"));
    await d.start(4);
    d.phase("rollback");
    await d.waitUntilStopped(4);
    await d.expect.logMentions(4, /Invalid config|ConfigException/, "the refused config (the failure injected)");

    // Rollback: clients back to the source; the targets become observers again; 4 rejoins.
    await d.moveClients(source);
    await d.rewriteConfigs(Object.fromEntries(targets.map((id) => [id, { role: "observer" as const, servers: all }])));
    await d.start(4);
    await d.waitForQuorum(all, { name: "the source leads; 4, 5, 6 observe again", timeoutMs: 90_000 });
    await d.expect.roles(all, { leaderAmong: source, observers: targets });
    await d.measure("rolled back", 4_000);
    await d.expect.writesSurvive(all);
  },
});
