// P1: "3 running, 5 configured". The pitfall first, then the fix.
import { drill } from "../src/drill";

export default drill({
  name: "p1-phantom-members",
  description:
    "zoo.cfg lists 5 servers but 3 run: killing one follower stops the ensemble (ruok still says imok). Then the fix: list only the members that run (1, 3, 4); killing one keeps quorum.",
  procedure: "P1 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "with 5 configured and 3 running, one kill loses the quorum although ruok says imok; listing only the running members keeps it", checks: ["quorum-lost", "ruok-without-quorum", "leader-in"] },
  topology: "p1-phantom-members",
  needs: { members: [1, 2, 3, 4, 5], standbys: 2 },
  versions: { seed: "3.4.14" },
  async run(d) {
    // Elections with two configured voters absent are slow here (11-60 s seen: the members keep
    // trying to reach zk4 and zk5), so this wait gets a longer deadline than the others.
    const q = await d.waitForQuorum([1, 2, 3], { name: "wait for a quorum of the 3 running members (3 of 5 configured)", timeoutMs: 180_000 });
    await d.write(["/zk-permanent"]);
    const follower = d.random.pick(q.followers);
    await d.kill(follower);
    const survivors = [1, 2, 3].filter((id) => id !== follower);
    // The pitfall: 2 of 5 alive is no quorum, although 2 of the 3 running members are up.
    await d.expect.quorumLost(survivors);
    await d.expect.ruokWithoutQuorum(survivors);

    await d.step("fix: list only the members that run (server.1, 3, 4) and restart them", async () => {
      await d.stop(survivors);
      await d.rewriteConfigs({ 1: { servers: [1, 3, 4], standby: false }, 3: { servers: [1, 3, 4], standby: false }, 4: { servers: [1, 3, 4], standby: false } });
      await d.start([1, 3, 4]);
    });
    // /zk-permanent needed all of 1, 2, 3 (3 of 5): 1 and 3 hold it, and any 2 of {1, 3, 4} include one of them.
    const fixed = await d.expect.leaderIn([1, 3, 4]);
    const victim = d.random.pick([1, 3, 4].filter((id) => id !== fixed));
    await d.kill(victim);
    const left = [1, 3, 4].filter((id) => id !== victim);
    await d.expect.leaderIn(left);
    await d.write(["/written-after-the-fix"], left);
    await d.expect.znodesSurvive(left);
  },
});
