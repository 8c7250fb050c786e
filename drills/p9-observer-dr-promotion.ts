// PROCEDURES.md P9: production runs the voters, the DR centre only observers; production is lost;
// the operator promotes the observers to participants and they form a new ensemble from their data.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p9-observer-dr-promotion",
  description:
    "Voters 1-3 in production, observers 4-6 in the DR centre 30 ms away, a load running. Production is lost (killed): the observers " +
    "stop serving. Promotion: their configs are rewritten to participants listing 4-6 and they restart; a leader among 4-6 and every " +
    "znode they had synced is there.",
  procedure: "PROCEDURES.md P9",
  topology: "p9-observer-dr",
  async run(d) {
    const all = [1, 2, 3, 4, 5, 6];
    const dr = d.membersIn("dr");
    const q = await d.step("wait for the voters and the DR observers", () => d.quorum(all));
    d.expect.that("production votes; the DR centre only observes", q.observers.length === 3 && q.observers.every((id) => dr.includes(id)), `leader ${q.leader}, observers ${q.observers.join(", ")}`, { leader: q.leader, observers: q.observers });
    await d.write(["/zk-permanent", "/test"], all);
    await d.startWorkload();
    await d.measure("baseline", 6_000);
    // The observers hold every acknowledged write so far: the promotion must keep them.
    await d.expect.writesSurvive(dr);

    await d.zoneOutage("prod", "kill");
    await d.expect.quorumLost(dr);
    await d.stopWorkload();

    await d.rewriteConfigs(Object.fromEntries(dr.map((id) => [id, { role: "participant" as const, servers: dr }])));
    // One at a time, as an operator would: two of three already make the new ensemble.
    for (const id of dr) await d.restart(id);
    await d.expect.leaderIn(dr, dr);
    await d.expect.znodesSurvive(dr);
    await d.expect.writesSurvive(dr);
    d.expect.noSplitBrain();
  },
});
