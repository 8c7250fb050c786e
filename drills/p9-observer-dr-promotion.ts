// P9: production runs the voters, the DR centre only observers; production is lost;
// the operator promotes the observers to participants and they form a new ensemble from their data.
import { drill } from "../src/drill";

export default drill({
  name: "p9-observer-dr-promotion",
  description:
    "Voters 1-3 in production, observers 4-6 in the DR centre 30 ms away, a load running throughout. Production is lost (killed): the " +
    "observers stop serving. Promotion: their configs are rewritten to participants listing 4-6, they restart, and the clients move " +
    "to them. A leader among 4-6; the writes the observers had not received when production died are measured against the RPO objective.",
  procedure: "P9 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "the DR observers, promoted to participants, form an ensemble that lost at most the last second of writes", checks: ["leader-in", "rpo-objective"] },
  topology: "p9-observer-dr",
  needs: { zones: ["prod", "dr"], observers: 3 },
  versions: { seed: "3.5.9" },
  // Observers are outside the commit quorum: writes production acknowledged in the last round trip
  // to DR before it died can be lost on promotion (ZooKeeper does not promise otherwise). The
  // objective: nothing acknowledged more than 1 s before the loss is lost.
  objectives: { rtoMs: 120_000, rpoMs: 1_000 },
  // Before the first fault and after the last step: one leader among the running voters, writes acknowledged.
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [...d.membersIn("prod"), ...d.membersIn("dr")];
    const dr = d.membersIn("dr");
    await d.waitForQuorum(all, { name: "wait for the voters and the DR observers" });
    await d.expect.roles(all, { leaderAmong: d.membersIn("prod"), observers: dr });
    await d.write(["/zk-permanent", "/test"], all);
    await d.startWorkload({ fromZone: "prod" });
    await d.startRecipes(["ids", "counter", "lock", "election", "queue"], { fromZone: "prod" });
    await d.measure("baseline", 6_000);

    await d.zoneOutage("prod", "kill");
    await d.expect.quorumLost(dr);
    await d.newLineage("promote the DR observers 4-6 to participants of a new ensemble", async () => {
      await d.rewriteConfigs(Object.fromEntries(dr.map((id) => [id, { role: "participant" as const, servers: dr }])));
      // One at a time, as an operator would: two of three already make the new ensemble.
      for (const id of dr) await d.restart(id);
      // Which observer leads is ZooKeeper's choice: the one that had received the most.
      await d.expect.leaderIn(dr);
      await d.moveClients(dr, "dr");
    });
    await d.writesSucceed(20);
    await d.measure("on the promoted ensemble", 3_000);
    await d.expect.writesSurvive(dr);
  },
});
