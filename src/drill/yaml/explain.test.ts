import { expect } from "chai";
import { resolve } from "node:path";
import { loadTopology, parseTopology, resolveTopologyPath } from "../../topology";
import { explainYamlDrill, loadYamlDrill, parseYamlDrillText } from ".";

const EXAMPLE = resolve(__dirname, "..", "..", "..", "examples", "leader-failover.yaml");

describe("YAML drills: the dry run (explainYamlDrill)", () => {
  it("explains the example step by step, with the planner's quorum after the kill", () => {
    const def = loadYamlDrill(EXAMPLE);
    expect(explainYamlDrill(def, parseTopology(def.topology))).to.deep.equal([
      "drill leader-failover: README quick start (P7 (docs/procedures.md)'s 'stop the current leader'), as a YAML drill",
      "topology three-members: voters 1, 2, 3; quorum 2; 1 failure(s) tolerated; objectives: RTO (the clients' outage) at most 15 s",
      "steps[0] (wait-for-quorum): wait until the running members (1, 2, 3) agree on one leader; saved as before (leader, followers, observers, epoch)",
      "steps[1] (write): write znodes /zk-permanent, /test through the running members (1, 2, 3)",
      "steps[2] (start-workload): start the Kafka-style workload (8 operations in flight) against the running members (1, 2, 3)",
      'steps[3] (measure): measure phase "baseline" for 5 s',
      "steps[4] (kill): kill -9 the leader saved as before",
      "  → planner: 2 of 3 voters running, quorum 2: a quorum remains, 0 more failure(s) tolerated",
      "steps[5] (expect-leader-in): expect exactly one leader, among all members except the leader saved as before (2 of 1, 2, 3): the plan keeps a quorum (2 of 3 voters, quorum 2): expected to pass",
      "steps[6] (writes-succeed): wait for 20 more acknowledged writes",
      'steps[7] (measure): measure phase "after failover" for 5 s',
      "steps[8] (stop-workload): stop the workload",
      "steps[9] (expect-epoch-rose): expect the epoch to have risen from the quorum saved as before to the quorum of all members except the leader saved as before (2 of 1, 2, 3), waited for now (a new leader was elected)",
      "steps[10] (expect-writes-survive): expect every acknowledged write (and znodes /zk-permanent, /test) on all members except the leader saved as before (2 of 1, 2, 3)",
      'steps[11] (expect-throughput-holds): expect phase "after failover" to keep at least 50% of phase "baseline"\'s throughput',
    ]);
  });

  it("follows P2 through the loss of az1 and the promotion, and warns where an expectation contradicts the plan", () => {
    const drill = parseYamlDrillText(`
name: p2-in-yaml
description: P2's loss of az1, then a cut the drill misjudges
procedure: P2 (docs/procedures.md)
topology: p2-two-az-standby
steps:
  - stop: { members: { zone: az1 } }
  - expect-quorum-lost: { members: [3] }
  - new-lineage:
      name: promote az2
      steps:
        - rewrite-config: { members: 3, servers: [3, 4, 5] }
        - restart: { members: 3 }
        - start: { members: [4, 5], wipe-data: true }
        - expect-leader-in: { members: 3 }
  - expect-planned-quorum: { stage: promoted, voters: 5 }
  - isolate-zone: { zone: az1, mode: blackhole }
  - expect-quorum-lost: { members: [3] }
  - kill: { members: followers }
  - expect-leader-in: {}
`);
    const lines = explainYamlDrill(drill, loadTopology(resolveTopologyPath("p2-two-az-standby")));
    expect(lines.slice(2)).to.deep.equal([
      "steps[0] (stop): stop (SIGTERM, in order) zone az1's members (1, 2)",
      "  → planner: 1 of 3 voters running, quorum 2: no quorum, the ensemble stops serving",
      "steps[1] (expect-quorum-lost): expect member 3 to stop serving: the plan agrees: 1 of 3 voters running, quorum 2: no quorum, the ensemble stops serving",
      `steps[2] (new-lineage): new lineage "promote az2": ZooKeeper's guarantees do not span it; what it loses is measured against the RPO`,
      "  steps[2] (new-lineage).steps[0] (rewrite-config): rewrite the config of member 3: servers 3, 4, 5 (each takes effect at its next start)",
      "  steps[2] (new-lineage).steps[1] (restart): restart member 3",
      "  steps[2] (new-lineage).steps[2] (start): start members 4, 5 with empty version-2 folders",
      "    → planner: 3 of 3 voters running, quorum 2: a quorum remains, 1 more failure(s) tolerated",
      "  steps[2] (new-lineage).steps[3] (expect-leader-in): expect exactly one leader, among member 3: the plan keeps a quorum (3 of 3 voters, quorum 2): expected to pass",
      'steps[3] (expect-planned-quorum): expect the planner and the leader\'s config to count 5 voters at "promoted": ⚠ the plan counts 3 voters here, not 5: expected to fail',
      "steps[4] (isolate-zone): cut zone az1 off from every other zone (blackhole)",
      "  → planner: 3 of 3 voters running, quorum 2; cut az1 | az2: a leader reaches at most 3: a quorum remains for zone(s) az2",
      "steps[5] (expect-quorum-lost): expect member 3 to stop serving: ⚠ the plan says it can still serve (3 of 3 voters running, quorum 2; cut az1 | az2: a leader reaches at most 3: a quorum remains for zone(s) az2): expected to fail",
      "steps[6] (kill): kill -9 the followers at that moment",
      "  → planner: 1 of 3 voters running, quorum 2; cut az1 | az2: a leader reaches at most 1: no side holds a quorum",
      "steps[7] (expect-leader-in): expect exactly one leader, among the running members: ⚠ the plan has no quorum here (1 of 3 voters running, quorum 2; cut az1 | az2: a leader reaches at most 1: no side holds a quorum): expected to fail",
    ]);
  });

  it("counts P1's phantom members: killing one of three running voters of five configured loses quorum", () => {
    const drill = parseYamlDrillText(`
name: p1-in-yaml
description: P1's pitfall
procedure: P1 (docs/procedures.md)
topology: p1-phantom-members
steps:
  - wait-for-quorum: { members: [1, 2, 3], save: q }
  - kill: { members: random-follower }
  - expect-quorum-lost: { members: { except: $q.leader, of: [1, 2, 3] } }
`);
    const lines = explainYamlDrill(drill, loadTopology(resolveTopologyPath("p1-phantom-members")));
    expect(lines[1]).to.equal("topology p1-phantom-members: voters 1, 2, 3, 4, 5; quorum 3; 0 failure(s) tolerated");
    expect(lines.slice(3)).to.deep.equal([
      "steps[1] (kill): kill -9 a follower picked at random (seeded)",
      "  → planner: 2 of 5 voters running, quorum 3: no quorum, the ensemble stops serving",
      "steps[2] (expect-quorum-lost): expect members 1, 2, 3 except the leader saved as q (2 of 1, 2, 3) to stop serving: the plan agrees: 2 of 5 voters running, quorum 3: no quorum, the ensemble stops serving",
    ]);
  });

  it("names the recipe workloads a start-workload step starts", () => {
    const def = parseYamlDrillText("name: recipes\ndescription: d\nprocedure: p\ntopology: p8-three-dc-same-city\nsteps:\n  - start-workload: { recipes: [ids, counter] }\n");
    expect(explainYamlDrill(def, loadTopology(resolveTopologyPath("p8-three-dc-same-city"))).pop()).to.equal(
      "steps[0] (start-workload): start the Kafka-style workload (8 operations in flight) and the recipe workloads ids, counter (each judged by its own check at the end) against the running members (1, 2, 3, 4, 5)",
    );
  });

  describe("an expect-leader-in after a cut: the planner with the cuts the steps before made", () => {
    const t = () => loadTopology(resolveTopologyPath("p8-three-dc-same-city"));
    const drillWith = (steps: string) =>
      parseYamlDrillText(`name: cut-leader\ndescription: d\nprocedure: p\ntopology: p8-three-dc-same-city\nsteps:\n${steps}\n`);

    it("a leader expected in the zone the step before cut off is expected to fail", () => {
      const lines = explainYamlDrill(drillWith("  - isolate-zone: { zone: dc1, mode: blackhole }\n  - expect-leader-in: { members: { zone: dc1 } }"), t());
      expect(lines[lines.length - 1]).to.equal(
        "steps[1] (expect-leader-in): expect exactly one leader, among zone dc1's members (1, 2): ⚠ by the plan none of them can lead: only members 3, 4, 5 reach a quorum (5 of 5 voters running, quorum 3; cut dc1 | dc2+dc3: a leader reaches at most 3: a quorum remains for zone(s) dc2, dc3): expected to fail",
      );
    });

    it("a heal in between makes it expected to pass again", () => {
      const lines = explainYamlDrill(drillWith("  - isolate-zone: { zone: dc1, mode: blackhole }\n  - heal: {}\n  - expect-leader-in: { members: { zone: dc1 } }"), t());
      expect(lines[lines.length - 1]).to.equal(
        "steps[2] (expect-leader-in): expect exactly one leader, among zone dc1's members (1, 2): the plan keeps a quorum (5 of 5 voters, quorum 3): expected to pass",
      );
    });

    it("a leader expected among members on the quorum's side of the cut is expected to pass", () => {
      const lines = explainYamlDrill(drillWith("  - isolate-zone: { zone: dc1, mode: blackhole }\n  - expect-leader-in: { members: [1, 3] }"), t());
      expect(lines[lines.length - 1]).to.match(/among members 1, 3: the plan keeps a quorum .*: expected to pass$/);
    });
  });
});
