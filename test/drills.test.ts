// Every catalog drill on real containers, in quick mode; and drills that must fail, failing for the right reason.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { catalogDrills, loadDrill } from "../src/cli/run";
import { buildableVersions } from "../src/drill/known-bug";
import { readHistory } from "../src/history";
import { readJournal, verifyJournal } from "../src/journal";
import { recomputeChecks, verifyReportDir } from "../src/report";
import { MUTATIONS } from "./support/mutations";
import { behindTheDrillsBack } from "../src/drill/context";
import { drill, runDrill } from "../src/drill/runner";
import { ZkClient } from "../src/zk";
import { oneZone, reportDir, zookeeperImage } from "./support";


describe("catalog drills on real containers (quick mode)", function () {
  this.timeout(600_000);
  before(async () => {
    await zookeeperImage();
  });

  // Known-bug drills fail on their default (affected) version by design: they are run both ways below.
  for (const name of catalogDrills().filter((n) => !loadDrill(n).knownBug)) {
    it(`${name} passes and leaves a journal and report.json`, async () => {
      const dir = reportDir(name);
      const r = await runDrill(loadDrill(name), { quick: true, seed: 42, reportDir: dir });
      const failed = [
        ...r.report.checks.filter((c) => c.status !== "passed").map((c) => `check ${c.name} ${c.status}: ${c.summary}`),
        ...r.report.steps.filter((s) => s.status !== "passed").map((s) => `step ${s.name} ${s.status}: ${s.error ?? ""}`),
      ];
      const why = `${failed.join("\n")}\n(see ${dir})`;
      expect(r.report.error, `${r.report.error}\n${why}`).to.equal(null);
      expect(r.status, why).to.equal("passed");
      expect(r.report.checks.length).to.be.greaterThan(0);
      expect(r.report.checks.filter((c) => c.status !== "passed").map((c) => `${c.name}: ${c.summary}`), "no check fails or is inconclusive").to.deep.equal([]);
      expect(r.report.steps.every((s) => s.status === "passed")).to.equal(true);
      expect(r.report.seed).to.equal(42);
      expect(verifyJournal(join(dir, "journal.jsonl")).ok).to.equal(true);
      for (const f of ["report.json", "report.md", "report.html", "junit.xml", "SHA256SUMS"]) expect(existsSync(join(dir, f)), f).to.equal(true);
      const verified = verifyReportDir(dir);
      expect(verified.problems).to.deep.equal([]);
      expect(verified.checksRecomputed, "every check recomputed from the run folder").to.equal(r.report.checks.length);
      expect(existsSync(join(dir, "logs", "zk1.log"))).to.equal(true);
      brokenHeadlineFails(name, dir);
    });
  }
});

/**
 * The drill's headline outcome broken in its own evidence, one check kind at a time (MUTATIONS says
 * how): recomputed as `report verify` does, no check of that kind may still pass.
 */
function brokenHeadlineFails(name: string, dir: string): void {
  const def = loadDrill(name);
  expect(def.origin, `${name} says where its runbook comes from (origin)`).to.be.a("string");
  expect(def.headline?.checks.length ?? 0, `${name} declares its headline outcome and the checks that carry it`).to.be.greaterThan(0);
  const run = { events: readJournal(join(dir, "journal.jsonl")), history: readHistory(join(dir, "history.jsonl")) };
  const checks = run.events.filter((e) => e.type === "check");
  // Faults proven on the wire: a round trip per zone pair with a declared latency, a probe across every cut.
  const start = run.events[0].data as { topology: { links: Array<{ zones: string[]; rttMs: number }> } };
  const pairs = start.topology.links.filter((l) => l.rttMs > 0 && l.zones[0] !== l.zones[1]).length;
  expect(checks.filter((e) => e.data.kind === "round-trip").length, `${name}: a round-trip check per zone pair with latency`).to.equal(pairs);
  const cuts = run.events.filter((e) => e.type === "fault" && e.data.kind === "partition").length;
  expect(checks.filter((e) => e.data.kind === "cut-holds").length, `${name}: a cut-holds check per partition`).to.equal(cuts);
  // Throughput is judged while a fault happens: every throughput check's phase holds a fault's start.
  const faultTimes = run.events.filter((e) => e.type === "fault").map((e) => Date.parse(e.ts));
  for (const c of checks.filter((e) => e.data.kind === "throughput" || e.data.kind === "kafka-throughput")) {
    const phase = (c.data.input as { phase: { name: string; start: number; end: number } }).phase;
    expect(faultTimes.some((t) => t >= phase.start && t <= phase.end), `${name}: phase "${phase.name}" holds a fault`).to.equal(true);
  }
  for (const kind of new Set(def.headline!.checks)) {
    const m = MUTATIONS[kind];
    expect(m, `a mutation that breaks what a ${kind} check protects (test/support/mutations.ts)`).to.not.equal(undefined);
    const again = recomputeChecks(...(Object.values(m.mutate(run)) as [typeof run.events, typeof run.history])).filter((c) => c.kind === kind);
    expect(again.length, `${name}: a ${kind} check to recompute`).to.be.greaterThan(0);
    const still = again.filter((c) => c.status === "passed");
    expect(still.map((c) => `${c.name}: ${c.summary}`), `${name}, ${m.breaks}: the ${kind} check(s) must not pass`).to.deep.equal([]);
  }
}

// The seeds' own ZooKeeper versions, on a subset (the scheduled workflow runs every drill on every
// version it applies to): 3.4.14 for P1 and P2's pitfall (3.4 diverges there: the history checker must
// find it), 3.5.8 for P4, 3.5.9 for P6's reconfig.
const SEED_VERSIONS: ReadonlyArray<readonly [string, string]> = [
  ["p1-phantom-members", "3.4.14"],
  ["p2-stale-standby-data", "3.4.14"],
  ["p4-observer-roles", "3.5.8"],
  ["p6-reconfig-dynamic", "3.5.9"],
];

describe("catalog drills on their seeds' ZooKeeper versions (quick mode)", function () {
  this.timeout(600_000);
  for (const [name, version] of SEED_VERSIONS) {
    it(`${name} on ZooKeeper ${version} passes, the audit header naming the version`, async () => {
      await zookeeperImage(version);
      const dir = reportDir(`${name}-${version}`);
      const r = await runDrill(loadDrill(name), { quick: true, seed: 42, reportDir: dir, zkVersion: version });
      const failed = r.report.checks.filter((c) => c.status !== "passed").map((c) => `${c.name}: ${c.summary}`);
      expect(r.status, `${r.report.error}\n${failed.join("\n")}\n(see ${dir})`).to.equal("passed");
      expect(r.report.zookeeperVersion).to.equal(version);
      // Issue 26: the ending compares the members. P2-stale on 3.4 ends diverged on purpose: the
      // reconciliation names member 3's paths as the drill's expected finding, and passes on it.
      const reconciled = r.report.checks.find((c) => c.kind === "reconciled");
      if (name === "p2-stale-standby-data") {
        expect(reconciled?.status, reconciled?.summary).to.equal("passed");
        expect(reconciled?.summary).to.match(/^members reconciled: \d+ znodes, [1-9]\d* divergences?, as the drill expects \(3\.4: .*\): members 3 diverged: member 3: \//);
        expect((reconciled?.evidence as { divergences: Array<{ member: number; path: string }> }).divergences.map((d) => d.path)).to.include.members(["/zk-permanent", "/test"]);
        expect(reconciled?.summary).to.match(/ZooKeeper's digest: none on 3, 4, 5 \(3\.4\.14 keeps no digest/);
      } else if (reconciled) {
        expect(reconciled.summary).to.match(/^members reconciled: \d+ znodes, 0 divergences/);
      }
    });
  }
});

describe("known-bug drills: FAILED naming the symptom on an affected version, passed where the fix is (quick mode)", function () {
  this.timeout(900_000);
  for (const name of catalogDrills().filter((n) => loadDrill(n).knownBug)) {
    const def = loadDrill(name);
    const bug = def.knownBug!;
    const { affected, fixed } = buildableVersions(bug);
    // An upgrade drill tests the version it upgrades to; --zk-version (zkVersion here) names it.
    const affectedVersion = def.upgrade?.to ?? affected[0];
    it(`${name} on ${affectedVersion}: FAILED, ${bug.jira} reproduced by its ${bug.evidence.check} check`, async () => {
      await zookeeperImage(affectedVersion);
      const dir = reportDir(`${name}-${affectedVersion}`);
      const r = await runDrill(def, { quick: true, seed: 42, reportDir: dir });
      const symptom = r.report.checks.find((c) => c.kind === bug.evidence.check && c.status === "failed");
      expect(symptom, `${r.report.statusReason}\n${r.report.error}\n(see ${dir})`).to.not.equal(undefined);
      expect(r.status).to.equal("failed");
      expect(r.report.statusReason).to.match(new RegExp(`^${bug.jira} reproduced on ${affectedVersion.replace(/\./g, "\\.")}: `));
      expect(r.report.knownBug).to.deep.include({ version: affectedVersion, stance: "affected", outcome: "reproduced" });
      expect(verifyReportDir(dir).problems).to.deep.equal([]);
    });
    it(`${name} on ${fixed[0]}: passes, ${bug.jira} not reproduced`, async () => {
      await zookeeperImage(fixed[0]);
      const dir = reportDir(`${name}-${fixed[0]}`);
      const r = await runDrill(def, { quick: true, seed: 42, reportDir: dir, zkVersion: fixed[0] });
      const notPassed = r.report.checks.filter((c) => c.status !== "passed").map((c) => `${c.name}: ${c.summary}`);
      expect(r.status, `${r.report.error}\n${notPassed.join("\n")}\n(see ${dir})`).to.equal("passed");
      expect(r.report.knownBug).to.deep.include({ version: fixed[0], stance: "fixed", outcome: "not reproduced" });
    });
  }
});

describe("drills that must fail do fail, for the right reason", function () {
  this.timeout(300_000);

  it("Kafka: acknowledged minus consumed names the records deleted behind the check's back", async () => {
    const r = await runDrill(
      drill({
        name: "kafka-records-deleted",
        description: "acknowledged records of a partition deleted with kafka-delete-records before the read-back",
        procedure: "test",
        topology: "kafka-three-brokers",
        async run(d) {
          await d.quorum();
          await d.kafka.createTopic("orders", { partitions: 1, replicationFactor: 3 });
          await d.kafka.startVerifiable("orders", 200);
          await d.kafka.awaitAcked(100);
          await d.kafka.deleteRecords("orders", 0, 50);
          await d.kafka.expect.everyAckedConsumed();
        },
      }),
      { quick: true, reportDir: reportDir("kafka-deleted") },
    );
    expect(r.status).to.equal("failed");
    const check = r.report.checks.find((c) => c.kind === "kafka-delivery");
    expect(check?.status, JSON.stringify(r.report.checks.map((c) => [c.name, c.status]))).to.equal("failed");
    expect(check?.summary).to.match(/^50 of \d+ acknowledged record\(s\) lost: value \S+ \(partition 0, offset 0\)/);
  });

  it("the survival check names a znode deleted behind the drill's back", async () => {
    const r = await runDrill(
      drill({
        name: "deleted-znode",
        description: "writes /zk-permanent, deletes it with another client, expects it to survive",
        procedure: "test",
        topology: oneZone(3, "deleted-znode"),
        async run(d) {
          await d.quorum();
          await d.write(["/zk-permanent", "/test"]);
          const c = await ZkClient.connect(behindTheDrillsBack(d).connectString());
          await c.remove("/zk-permanent");
          c.close();
          await d.expect.znodesSurvive([1, 2, 3]);
        },
      }),
      { quick: true, reportDir: reportDir("deleted") },
    );
    expect(r.status).to.equal("failed");
    const check = r.report.checks.find((c) => c.name.startsWith("znodes"));
    expect(check?.status).to.equal("failed");
    expect(check?.summary).to.include("/zk-permanent missing on 1");
    expect(check?.summary).to.not.include("/test missing");
  });

  it("an abort condition stops a drill early with a clear verdict (no leader for longer than it allows)", async () => {
    const started = Date.now();
    const r = await runDrill(
      drill({
        name: "abort-no-leader",
        description: "kills two of three, then waits for a quorum that cannot come; its abort condition stops it",
        procedure: "test",
        topology: oneZone(3, "abort-no-leader"),
        abortIf: { noLeaderForMs: 3_000 },
        async run(d) {
          const q = await d.quorum();
          await d.write(["/zk-permanent"]);
          await d.expect.znodesSurvive([1, 2, 3]);
          await d.kill(q.followers);
          await d.step("wait for a quorum that cannot come", () => d.quorum([1, 2, 3], 120_000));
        },
      }),
      { quick: true, reportDir: reportDir("abort-no-leader") },
    );
    expect(r.status).to.equal("failed");
    expect(r.report.error).to.match(/stopped: the drill's abort condition: no leader for more than 3 s/);
    expect(Date.now() - started, "stopped well before the step's own 120 s bound").to.be.below(60_000);
  });

  it("the quorum-lost check fails while a quorum is still there", async () => {
    const r = await runDrill(
      drill({
        name: "quorum-not-lost",
        description: "kills one of three and wrongly expects quorum lost",
        procedure: "test",
        topology: oneZone(3, "quorum-not-lost"),
        async run(d) {
          const q = await d.quorum();
          await d.kill(q.followers[0]);
          const left = [1, 2, 3].filter((id) => id !== q.followers[0]);
          await d.expect.quorumLost(left, 5_000);
        },
      }),
      { quick: true, reportDir: reportDir("not-lost") },
    );
    expect(r.status).to.equal("failed");
    const check = r.report.checks.find((c) => c.name === "quorum lost");
    expect(check?.status).to.equal("failed");
    expect(check?.summary).to.match(/still serving: \d/);
  });
});

describe("drills as data, on your own layout, and planned before anything starts", function () {
  this.timeout(300_000);
  before(async () => {
    await zookeeperImage();
  });

  it("a drill written only in YAML (examples/, not the catalog) runs and passes", async () => {
    const dir = reportDir("yaml-example");
    const r = await runDrill(loadDrill(join(__dirname, "..", "examples", "leader-failover.yaml")), { quick: true, seed: 11, reportDir: dir });
    expect(r.report.statusReason).to.match(/check\(s\) passed/);
    expect(r.status).to.equal("passed");
    expect(r.report.faults.map((f) => f.kind)).to.deep.equal(["kill"]);
    expect(verifyReportDir(dir).problems).to.deep.equal([]);
  });

  it("a catalog drill runs on a user topology given with --topology (its own ids and zones)", async () => {
    const r = await runDrill(loadDrill("quickstart-leader-failover"), { quick: true, seed: 12, reportDir: reportDir("on-my-layout"), topology: join(__dirname, "fixtures", "topologies", "my-three-rooms.yaml") });
    expect(r.status, r.report.statusReason).to.equal("passed");
    const leaders = r.report.checks.filter((c) => c.kind === "leader-in").map((c) => c.summary);
    expect(leaders.join(" ")).to.match(/member 1[123] leads/);
  });
});
