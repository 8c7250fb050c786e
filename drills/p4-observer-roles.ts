// PROCEDURES.md P4: three participants and an observer; what each role does.
import { drill } from "../src/drill/runner";

export default drill({
  name: "p4-observer-roles",
  description:
    "One leader, two followers, one observer; /zookeeper/config lists the roles; the observer serves reads and forwards writes; killing it keeps quorum; killing two participants loses quorum even with the observer up.",
  procedure: "PROCEDURES.md P4",
  topology: "p4-observer-pseudo-cluster",
  async run(d) {
    const q = await d.step("wait for a quorum of all four", () => d.quorum([1, 2, 3, 4]));
    d.expect.that("one leader, two followers, one observer", q.followers.length === 2 && q.observers.length === 1 && q.observers[0] === 4, `leader ${q.leader}, followers ${q.followers.join(", ")}, observers ${q.observers.join(", ")}`, {
      leader: q.leader,
      followers: q.followers,
      observers: q.observers,
    });
    const config = await d.step("get /zookeeper/config on the observer", async () => (await d.ensemble.zkCli(4, ["get", "/zookeeper/config"])).stdout);
    const lines = config.split("\n").filter((l) => l.startsWith("server.") || l.startsWith("version="));
    const rolesRight =
      [1, 2, 3].every((id) => lines.some((l) => l.startsWith(`server.${id}=zk${id}:2888:3888:participant`))) &&
      lines.some((l) => l.startsWith("server.4=zk4:2888:3888:observer")) &&
      lines.some((l) => l.startsWith("version="));
    d.expect.that("/zookeeper/config lists 1-3 as participant, 4 as observer, and a version", rolesRight, lines.join(" | "), { lines });

    // The observer serves reads and forwards writes: write through it alone, read from the leader alone.
    await d.write(["/written-through-the-observer"], [4]);
    await d.expect.znodesSurvive([q.leader, 4]);

    await d.kill(4);
    await d.expect.leaderIn([1, 2, 3], [1, 2, 3]);
    await d.start(4);
    await d.quorum([1, 2, 3, 4]);
    const two = [1, 2, 3].filter((id) => id !== q.leader).slice(0, 1).concat([q.leader]);
    await d.kill(two);
    const left = [1, 2, 3, 4].filter((id) => !two.includes(id));
    await d.expect.quorumLost(left);
  },
});
