import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTopology } from "../../topology";
import { DrillFileError, loadYamlDrill } from ".";
import { explainYamlDrill } from "./explain";
import { faultSpecs } from "../../faults/catalog";
import { runYamlSteps } from "./interpreter";
import { RecordingContext } from "./recording-context";

// Two zones, five voters; member 2 has a dataLogDir disk of its own.
const TOPOLOGY = {
  name: "two-rooms",
  zones: [
    { name: "r1", region: "x" },
    { name: "r2", region: "x" },
  ],
  members: [{ id: 1, zone: "r1" }, { id: 2, zone: "r1", datalogMb: 32 }, { id: 3, zone: "r1" }, { id: 4, zone: "r2" }, { id: 5, zone: "r2" }],
  latency: [{ zones: ["r1", "r2"], rttMs: 4 }],
};

const head = (steps: string) => `name: incidents
description: every incident verb once
procedure: the tests
topology: ${JSON.stringify(TOPOLOGY)}
steps:
${steps}`;

const EVERY_INCIDENT = head(`  - isolate-member: { member: 1, mode: reject }
  - heal-members: {}
  - partition-halves: { side: [1, 2] }
  - partition-bridge: { bridge: 3, side: [1, 2], other-side: [4, 5], mode: drop }
  - partition-ring: {}
  - cut-one-way: { from: [4], to: [1, 2] }
  - flap: { member: 5, every-seconds: 0.5, for-seconds: 3 }
  - packet-loss: { from: 1, percent: 20 }
  - degrade-links: { from: [r1], to: [r2], bandwidth-kbps: 64, slice-bytes: 100, slice-delay-us: 200, slow-close-ms: 500, extra-latency-ms: 10 }
  - restore-links: {}
  - fill-disk: { member: 2 }
  - expect-member-exits: { member: 2, log-line: "No space left", what: its disk filled, timeout-seconds: 30 }
  - free-disk: { member: 2 }
  - stop: { members: 3 }
  - corrupt-log: { member: 3, damage: bit-flip }
  - skew-clock: { members: [4, 5], seconds: -120 }
  - reset-clock: { members: [4, 5] }
  - upgrade: { members: [1], version: 3.9.5 }
  - rolling-upgrade: { members: [1, 2], wait-for: [1, 2, 4, 5] }
  - phase: { name: one disk slow }
  - slow-fsync: { members: [2], ms: 1200 }
  - expect-fsync-slow: { member: 2, min-ms: 1200, timeout-seconds: 20 }
  - expect-phase-latency: { phase: one disk slow, p99-below-ms: 1000 }
  - heal-disk: { members: [2] }
  - lying-fsync: { members: [3] }
  - power-cut: { members: [3] }
`);

const dir = mkdtempSync(join(tmpdir(), "zkdrill-incidents-"));
let n = 0;
const load = (text: string) => {
  const path = join(dir, `d${++n}.yaml`);
  writeFileSync(path, text);
  return loadYamlDrill(path);
};
const problems = (text: string): string[] => {
  try {
    load(text);
  } catch (err) {
    expect(err).to.be.instanceOf(DrillFileError);
    return [...(err as DrillFileError).problems];
  }
  return [];
};

describe("YAML incident verbs", () => {
  it("covers every fault verb of the catalog in this test or interpreter.test.ts", () => {
    const used = [...EVERY_INCIDENT.matchAll(/^ {2}- ([a-z-]+):/gm)].map((m) => m[1]);
    const elsewhere = ["kill", "start", "restart", "pause", "unpause", "partition", "isolate-zone", "heal", "rewrite-config", "lose-host" /* src/faults/host.test.ts */];
    expect(faultSpecs().map((s) => s.verb).filter((v) => !used.includes(v) && !elsewhere.includes(v))).to.deep.equal([]);
  });

  it("calls the drill words with the members and figures the steps give", async () => {
    const def = load(EVERY_INCIDENT);
    expect(def.clockFaults, "a skew-clock step asks for libfaketime").to.equal(true);
    expect(def.diskFaults, "a slow-fsync step asks for the disk shim").to.equal(true);
    const d = new RecordingContext(parseTopology(TOPOLOGY), [{ leader: 1, followers: [2, 3, 4, 5], observers: [], epoch: 1 }]);
    await runYamlSteps(def.yaml.steps, d);
    expect(d.calls.filter(([w]) => w !== "step" && w !== "step-end")).to.deep.equal([
      ["isolate-member", { member: 1, mode: "reject" }],
      ["heal-members", {}],
      ["partition-halves", { side: [1, 2] }],
      ["partition-bridge", { bridge: 3, side: [1, 2], "other-side": [4, 5], mode: "drop" }],
      ["partition-ring", {}],
      ["cut-one-way", { from: [4], to: [1, 2] }],
      ["flap", { member: 5, "every-seconds": 0.5, "for-seconds": 3 }],
      ["packet-loss", { from: 1, percent: 20 }],
      ["degrade-links", { from: ["r1"], to: ["r2"], "bandwidth-kbps": 64, "slice-bytes": 100, "slice-delay-us": 200, "slow-close-ms": 500, "extra-latency-ms": 10 }],
      ["restore-links", {}],
      ["fill-disk", { member: 2 }],
      ["expect.memberExits", 2, /No space left/, "its disk filled", 30_000],
      ["free-disk", { member: 2 }],
      ["stop", { members: [3] }],
      ["corrupt-log", { member: 3, damage: "bit-flip" }],
      ["skew-clock", { members: [4, 5], seconds: -120 }],
      ["reset-clock", { members: [4, 5] }],
      ["upgrade", { members: [1], version: "3.9.5" }],
      ["rollingUpgrade", [1, 2], [1, 2, 4, 5], undefined],
      ["phase", "one disk slow"],
      ["slow-fsync", { members: [2], ms: 1200 }],
      ["expect.fsyncSlow", 2, 1200, 20_000],
      ["expect.phaseLatency", "one disk slow", 1000],
      ["heal-disk", { members: [2] }],
      ["lying-fsync", { members: [3] }],
      ["power-cut", { members: [3] }],
    ]);
  });

  it("tells each step in a dry run", () => {
    const lines = explainYamlDrill(load(EVERY_INCIDENT), parseTopology(TOPOLOGY)).join("\n");
    expect(lines).to.include("steps[0] (isolate-member): cut member 1 off from every other member (connections reset; its clients still reach it)");
    expect(lines).to.include("the planner does not model cuts between members");
    expect(lines).to.include("steps[8] (degrade-links): degrade the links r1 <-> r2: 64 KB/s, sliced into ~100 B chunks, closes 500 ms late, +10 ms round trip");
    expect(lines).to.include("steps[14] (corrupt-log): flip a byte in a record of member 3's newest transaction log (it must be stopped)");
    expect(lines).to.include("steps[15] (skew-clock): move members 4, 5's wall clock back 120 s (monotonic time untouched)");
    expect(lines).to.include("steps[20] (slow-fsync): delay every fsync of member 2's transaction log by 1200 ms");
    expect(lines).to.include("steps[25] (power-cut): cut member 3's power: kill -9, and each transaction log loses what its disk had not really synced");
  });

  it("refuses what cannot be done, naming the step, the field and the fix", () => {
    const cases: Array<[string, RegExp]> = [
      ["  - packet-loss: { from: 1, percent: 100 }", /steps\[0\] \(packet-loss\)\.percent: must be below 100 % \(100 % is a cut: use isolate-member\)/],
      ["  - skew-clock: { members: [1], seconds: 0 }", /steps\[0\] \(skew-clock\)\.seconds: must not be 0 \(use reset-clock\)/],
      ["  - skew-clock: { members: [1], seconds: 1.5 }", /steps\[0\] \(skew-clock\)\.seconds: whole seconds/],
      ["  - corrupt-log: { member: 1, damage: zap }", /steps\[0\] \(corrupt-log\)\.damage: must be "torn-tail" .*, "bit-flip" .* or "emptied"/],
      ["  - expect-member-exits: { member: 1, log-line: '(unclosed', what: x }", /steps\[0\] \(expect-member-exits\)\.log-line: must be a valid regular expression/],
      ["  - isolate-member: { member: 1, mode: blackhole }", /steps\[0\] \(isolate-member\)\.mode: must be "drop" .* or "reject"/],
      ["  - fill-disk: { member: 1 }", /steps\[0\] \(fill-disk\)\.member: member 1 has no dataLogDir disk of its own in topology "two-rooms"; give it datalogMb/],
      ["  - degrade-links: { from: [r1], to: [r9], bandwidth-kbps: 8 }", /steps\[0\] \(degrade-links\)\.to: .*r9/],
      ["  - upgrade: { members: [1], version: latest }", /steps\[0\] \(upgrade\)\.version: must be a ZooKeeper version like "3\.9\.5"/],
      ["  - isolate-member: { member: 9 }", /steps\[0\] \(isolate-member\)\.member: member 9 is not in topology "two-rooms"/],
      ["  - slow-fsync: { members: [1], ms: 0 }", /steps\[0\] \(slow-fsync\)\.ms: must be more than 0 ms/],
      ["  - expect-fsync-slow: { member: 1, min-ms: 500 }", /steps\[0\] \(expect-fsync-slow\)\.min-ms: at least 1000 ms: ZooKeeper warns only past fsync\.warningthresholdms/],
      ["  - expect-phase-latency: { phase: slow, p99-below-ms: 100 }", /steps\[0\] \(expect-phase-latency\)\.phase: "slow" is not a phase marked before this step/],
    ];
    for (const [step, message] of cases) expect(problems(head(step)).join("\n"), step).to.match(message);
  });
});
