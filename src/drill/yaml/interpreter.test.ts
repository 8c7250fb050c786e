import { expect } from "chai";
import { resolve } from "node:path";
import { SeededRandom } from "../../common/random";
import { parseTopology } from "../../topology";
import { loadYamlDrill, parseYamlDrillText } from ".";
import { runYamlSteps } from "./interpreter";
import { RecordingContext } from "./recording-context";

const EXAMPLE = resolve(__dirname, "..", "..", "..", "examples", "leader-failover.yaml");

// P2's layout: az1 {1, 2}, az2 {3 + standbys 4, 5}.
const p2 = parseTopology({
  name: "p2",
  zones: [
    { name: "az1", region: "r" },
    { name: "az2", region: "r" },
  ],
  members: [
    { id: 1, zone: "az1", servers: [1, 2, 3] },
    { id: 2, zone: "az1", servers: [1, 2, 3] },
    { id: 3, zone: "az2", servers: [1, 2, 3] },
    { id: 4, zone: "az2", standby: true, servers: [3, 4, 5] },
    { id: 5, zone: "az2", standby: true, servers: [3, 4, 5] },
  ],
  latency: [{ zones: ["az1", "az2"], rttMs: 2 }],
});

const EVERY_VERB = `
name: every-verb
description: each verb once, to check what it calls
procedure: the tests
topology: p2-two-az-standby
steps:
  - wait-for-quorum: { members: [1, 2, 3], timeout-seconds: 90, save: q }
  - expect-roles: { members: [1, 2, 3], leader-among: { zone: az1 }, followers: 2 }
  - write: { paths: [/a], members: [1, 2], remember: false, save: writers }
  - write: { paths: [/zk-permanent] }
  - start-workload: { from-zone: az1, in-flight: 4, rate: 100 }
  - phase: { name: warm }
  - measure: { phase: baseline, seconds: 2.5 }
  - measure: { phase: past the session timeout, seconds: 8, outlast: the session timeout }
  - backup: { member: $q.followers, save: nightly }
  - stop: { members: { except: $q.leader, of: { zone: az1 } } }
  - pause: { members: random-follower, seconds: 1 }
  - unpause: { members: 3 }
  - partition: { from: [az1], to: [az2], mode: blackhole, one-way: true }
  - heal: { from: [az1], to: [az2], mode: blackhole, one-way: true }
  - isolate-zone: { zone: az2 }
  - heal: {}
  - expect-quorum-lost: { members: [3], timeout-seconds: 45 }
  - expect-ruok-without-quorum: { members: $writers }
  - new-lineage:
      name: promote az2
      steps:
        - rewrite-config: { members: 3, servers: { zone: az2 }, standby: false }
        - restart: { members: [3] }
        - start: { members: [4, 5], wipe-data: true }
        - expect-leader-in: { members: [3], timeout-seconds: 30, save: new-leader }
        - move-clients: { to: { zone: az2 }, from-zone: az2 }
  - restore: { backup: $nightly, members: [4] }
  - rolling-restart: { members: { zone: az2 }, wait-for: { zone: az2 } }
  - writes-succeed: { count: 20, timeout-seconds: 45 }
  - step: { name: checks, steps: [{ expect-planned-quorum: { stage: after, voters: 3 } }] }
  - wait-for-quorum: { members: { zone: az2 }, save: after }
  - stop-workload: {}
  - expect-epoch-rose: { before: $q, after: $after }
  - expect-znodes-survive: { members: $new-leader, paths: [/a] }
  - expect-znodes-survive: { members: $new-leader }
  - expect-znodes-absent: { paths: [/b], members: { zone: az2 }, why: written later }
  - expect-writes-survive: { members: { zone: az2 } }
  - expect-reconciled: { members: { zone: az2 } }
  - expect-reconciled: {}
  - expect-throughput-holds: { phase: baseline, baseline: warm, min-ratio: 0.3 }
  - kill: { members: leader-zone-mate }
`;

describe("YAML drills: the interpreter calls the drill words", () => {
  it("runs the example as drills/quickstart-leader-failover.ts does", async () => {
    const def = loadYamlDrill(EXAMPLE);
    const three = parseTopology(def.topology);
    const d = new RecordingContext(three, [
      { leader: 2, followers: [1, 3], observers: [], epoch: 4 },
      { leader: 3, followers: [1], observers: [], epoch: 5 },
    ]);
    await runYamlSteps(def.yaml.steps, d);
    expect(d.calls).to.deep.equal([
      ["step", "wait for a quorum"],
      ["quorum", undefined, undefined],
      ["step-end", "wait for a quorum"],
      ["write", ["/zk-permanent", "/test"], undefined, {}],
      ["startWorkload", {}],
      ["measure", "baseline", 5_000],
      ["kill", { members: [2] }],
      ["expect.leaderIn", [1, 3], undefined],
      ["writesSucceed", 20, undefined],
      ["measure", "after failover", 5_000],
      ["stopWorkload"],
      ["quorum", [1, 3], undefined],
      ["expect.epochRose", 4, 5],
      ["expect.writesSurvive", [1, 3]],
      ["expect.throughputHolds", "after failover", "baseline", 0.5],
    ]);
  });

  it("maps every verb onto its word, with selectors resolved when the step runs", async () => {
    const drill = parseYamlDrillText(EVERY_VERB);
    const before = { leader: 2, followers: [1, 3], observers: [], epoch: 1 };
    const after = { leader: 3, followers: [4, 5], observers: [], epoch: 2 };
    const d = new RecordingContext(p2, [before, before, after, after]);
    await runYamlSteps(drill.steps, d);
    const follower = new SeededRandom(7).pick(before.followers);
    expect(d.calls).to.deep.equal([
      ["step", "wait for a quorum of 1, 2, 3"],
      ["quorum", [1, 2, 3], 90_000],
      ["step-end", "wait for a quorum of 1, 2, 3"],
      ["expect.roles", [1, 2, 3], { leaderAmong: [1, 2], followers: 2 }],
      ["write", ["/a"], [1, 2], { remember: false }],
      ["write", ["/zk-permanent"], undefined, {}],
      ["startWorkload", { fromZone: "az1", inFlight: 4, targetRate: 100 }],
      ["phase", "warm"],
      ["measure", "baseline", 2_500],
      ["measure", "past the session timeout", 8_000, { outlast: "the session timeout" }],
      ["backup", 1],
      ["stop", { members: [1] }],
      ["quorum", undefined, undefined],
      ["pause", { members: [follower], seconds: 1 }],
      ["unpause", { members: [3] }],
      ["partition", { from: ["az1"], to: ["az2"], mode: "blackhole", "one-way": true }],
      ["heal", { from: ["az1"], to: ["az2"], mode: "blackhole", "one-way": true }],
      ["isolate-zone", { zone: "az2" }],
      ["heal", {}],
      ["expect.quorumLost", [3], 45_000],
      ["expect.ruokWithoutQuorum", [1, 2]],
      ["newLineage", "promote az2"],
      ["rewrite-config", { members: [3], servers: [3, 4, 5], standby: false }],
      ["restart", { members: [3] }],
      ["start", { members: [4, 5], "wipe-data": true }],
      ["expect.leaderIn", [3], 30_000],
      ["moveClients", [3, 4, 5], "az2"],
      ["newLineage-end", "promote az2"],
      ["restore", 1, [4]],
      ["rollingRestart", [3, 4, 5], [3, 4, 5]],
      ["writesSucceed", 20, 45_000],
      ["step", "checks"],
      ["expect.plannedQuorum", "after", 3],
      ["step-end", "checks"],
      ["step", "wait for a quorum of 3, 4, 5"],
      ["quorum", [3, 4, 5], undefined],
      ["step-end", "wait for a quorum of 3, 4, 5"],
      ["stopWorkload"],
      ["expect.epochRose", 1, 2],
      ["expect.znodesSurvive", [3], ["/a"]],
      ["expect.znodesSurvive", [3]],
      ["expect.znodesAbsent", ["/b"], [3, 4, 5], "written later"],
      ["expect.writesSurvive", [3, 4, 5]],
      ["expect.reconciled", [3, 4, 5]],
      ["expect.reconciled", undefined],
      ["expect.throughputHolds", "baseline", "warm", 0.3],
      ["quorum", undefined, undefined],
      ["kill", { members: [4] }],
    ]);
  });

  it("starts the recipe workloads beside the Kafka-style one, their clients in the same zone", async () => {
    const drill = parseYamlDrillText(EVERY_VERB.replace(/steps:\n[\s\S]*$/, "steps:\n  - start-workload: { from-zone: az2, recipes: [lock, election, queue] }\n  - stop-workload: {}\n"));
    const d = new RecordingContext(p2, [{ leader: 3, followers: [1, 2], observers: [], epoch: 1 }]);
    await runYamlSteps(drill.steps, d);
    expect(d.calls).to.deep.equal([["startWorkload", { fromZone: "az2" }], ["startRecipes", ["lock", "election", "queue"], { fromZone: "az2" }], ["stopWorkload"]]);
  });

  it("stops with the step, the field and the selector when a selector finds nobody", async () => {
    const drill = parseYamlDrillText(EVERY_VERB.replace(/steps:\n[\s\S]*$/, "steps:\n  - kill: { members: followers }\n"));
    const d = new RecordingContext(p2, [{ leader: 3, followers: [], observers: [], epoch: 1 }]);
    await runYamlSteps(drill.steps, d).then(
      () => expect.fail("expected the step to fail"),
      (err) => expect((err as Error).message).to.equal('steps[0] (kill).members: "followers" selects no member at this moment; the step has nobody to act on'),
    );
    expect(d.calls.map((c) => c[0])).to.deep.equal(["quorum"]);
  });
});
