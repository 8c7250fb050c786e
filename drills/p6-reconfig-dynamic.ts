// PROCEDURES.md P6 online: reconfig -add and -remove (ZooKeeper 3.5+), no restart.
import { drill } from "../src/drill/runner";
import { SUPERUSER_JVM_FLAG } from "../src/drill/superuser";
import { docker } from "../src/runtime/docker";

/** The config version and the server lines `get /zookeeper/config` prints. */
function parseConfig(out: string): { version: string; servers: string[] } {
  const lines = out.split("\n").map((l) => l.trim());
  return { version: lines.find((l) => l.startsWith("version="))?.slice(8) ?? "none", servers: lines.filter((l) => /^server\.\d+=/.test(l)) };
}

export default drill({
  name: "p6-reconfig-dynamic",
  description:
    "Voters 1-3 with a dynamic config under load. 4 and 5 start and are added online with reconfig -add as the digest superuser; " +
    "/zookeeper/config lists five voters and its version rises; then reconfig -remove 4,5 takes them out again. No member restarts; " +
    "the load sees at most an election's pause.",
  procedure: "PROCEDURES.md P6",
  topology: "p6-reconfig-dynamic",
  jvmFlags: SUPERUSER_JVM_FLAG,
  async run(d) {
    const base = [1, 2, 3];
    await d.step("wait for a quorum of 1, 2, 3", () => d.quorum(base));
    const startedAt = async (id: number) => (await docker().getContainer(d.ensemble.containerIdOf(id)).inspect()).State.StartedAt;
    const before = Object.fromEntries(await Promise.all(base.map(async (id) => [id, await startedAt(id)] as const)));
    const v0 = parseConfig(await d.zkCliAsSuperuser(1, ["get /zookeeper/config"]));
    await d.write(["/zk-permanent"], base);
    await d.startWorkload({ inFlight: 4 });
    await d.measure("baseline", 5_000);

    await d.start(4);
    await d.zkCliAsSuperuser(1, ["reconfig -add server.4=zk4:2888:3888:participant;2181"]);
    await d.start(5);
    await d.zkCliAsSuperuser(1, ["reconfig -add server.5=zk5:2888:3888:participant;2181"]);
    const all = [1, 2, 3, 4, 5];
    await d.step("all five agree on a leader", () => d.quorum(all, 90_000));
    const v1 = parseConfig(await d.zkCliAsSuperuser(2, ["get /zookeeper/config"]));
    d.expect.that(
      "after reconfig -add: /zookeeper/config lists five participants and a higher version",
      v1.servers.filter((l) => l.includes(":participant")).length === 5 && BigInt(`0x${v1.version}`) > BigInt(`0x${v0.version}`),
      `version ${v0.version} -> ${v1.version}: ${v1.servers.join(" | ")}`,
      { before: v0, after: v1 },
    );
    await d.measure("five voters", 5_000);

    await d.zkCliAsSuperuser(1, ["reconfig -remove 4,5"]);
    const v2 = parseConfig(await d.zkCliAsSuperuser(3, ["get /zookeeper/config"]));
    d.expect.that(
      "after reconfig -remove 4,5: three participants again, the version higher still",
      v2.servers.length === 3 && v2.servers.every((l) => /^server\.[123]=/.test(l)) && BigInt(`0x${v2.version}`) > BigInt(`0x${v1.version}`),
      `version ${v1.version} -> ${v2.version}: ${v2.servers.join(" | ")}`,
      { after: v2 },
    );
    await d.expect.leaderIn(base, base);
    await d.expect.unavailableAtMost(15_000);
    const after = Object.fromEntries(await Promise.all(base.map(async (id) => [id, await startedAt(id)] as const)));
    d.expect.that("no member of 1-3 restarted", JSON.stringify(before) === JSON.stringify(after), `container start times unchanged: ${JSON.stringify(after)}`, { before, after });
    await d.stopWorkload();
    await d.expect.znodesSurvive(base);
    await d.expect.writesSurvive(base);
    d.expect.noSplitBrain();
  },
});
