// P4: three participants and an observer; what each role does.
import { drill } from "../src/drill";

export default drill({
  name: "p4-observer-roles",
  description:
    "One leader, two followers, one observer; /zookeeper/config lists the roles; the observer serves reads and forwards writes; killing it keeps quorum; killing two participants loses quorum even with the observer up.",
  procedure: "P4 (docs/procedures.md)",
  origin: "field procedure",
  headline: { outcome: "one leader, two followers and one observer; /zookeeper/config lists 4 as observer; the observer does not vote", checks: ["roles", "dynamic-config", "quorum-lost"] },
  topology: "p4-observer-pseudo-cluster",
  needs: { members: [1, 2, 3, 4], observers: 1 },
  versions: { min: "3.5", why: "it reads /zookeeper/config, which 3.4 does not have", seed: "3.5.8" },
  async run(d) {
    const q = await d.waitForQuorum([1, 2, 3, 4], { name: "wait for a quorum of all four" });
    await d.expect.roles([1, 2, 3, 4], { leaderAmong: [1, 2, 3], followers: 2, observers: [4] });
    await d.expect.dynamicConfig(4, [
      { id: 1, role: "participant" },
      { id: 2, role: "participant" },
      { id: 3, role: "participant" },
      { id: 4, role: "observer" },
    ]);

    // The observer serves reads and forwards writes: write through it alone, read from the leader and it.
    await d.write(["/written-through-the-observer"], [4]);
    await d.expect.znodesSurvive([q.leader, 4]);

    await d.kill(4);
    await d.expect.leaderIn([1, 2, 3]);
    await d.start(4);
    await d.quorum([1, 2, 3, 4]);
    const two = [1, 2, 3].filter((id) => id !== q.leader).slice(0, 1).concat([q.leader]);
    await d.kill(two);
    await d.expect.quorumLost([1, 2, 3, 4].filter((id) => !two.includes(id)));
  },
});
