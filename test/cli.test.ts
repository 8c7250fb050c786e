// The CLI as a user meets it: real processes, exit codes and messages.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker } from "../src/docker";
import { catalogTopologies } from "../src/topology";

const BIN = join(__dirname, "..", "bin", "zkdrill");
function run(timeoutMs: number, args: string[]) {
  const r = spawnSync(BIN, args, { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const zkdrill = (...args: string[]) => run(60_000, args);

describe("zkdrill CLI", function () {
  this.timeout(60_000);

  it("plan prints each catalog topology's survivability matrix", function () {
    // One process per catalog topology: on a loaded 2-core machine each start takes seconds.
    this.timeout(240_000);
    for (const name of catalogTopologies()) {
      const r = zkdrill("plan", name);
      expect(r.code, `${name}: ${r.err}`).to.equal(0);
      expect(r.out).to.include(`topology ${name}`).and.include("could lead");
    }
  });

  it("plan --json gives machines the analysis", () => {
    const r = zkdrill("plan", "p1-phantom-members", "--json");
    expect(r.code).to.equal(0);
    const json = JSON.parse(r.out);
    expect(json.survivability).to.include({ quorum: 3, toleratedFailures: 0 });
  });

  it("plan of a bad topology exits 2 naming the field and the fix", () => {
    const r = zkdrill("plan", join(__dirname, "fixtures", "bad-zone.yaml"));
    expect(r.code).to.equal(2);
    expect(r.err).to.include('topology.members[2].zone: "az3" is not a zone; zones are az1, az2');
  });

  it("plan of an unknown topology exits 2 listing the catalog", () => {
    const r = zkdrill("plan", "no-such-topology");
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/neither a file nor a catalog topology; catalog: .*p7-two-regions-three-centres/);
  });

  it("an unknown ZooKeeper version exits 2 and starts nothing", () => {
    const r = zkdrill("images", "build", "--zk-version", "3.1.0", "--no-pull");
    expect(r.code).to.equal(2);
    expect(r.err).to.include('zookeeper version "3.1.0" is not one zkdrill can build; use one of 3.9.5, 3.8.6');
  });

  it("run with an unknown ZooKeeper version exits 2 before anything starts", () => {
    const r = zkdrill("run", "quickstart-leader-failover", "--zk-version", "3.4.99", "--report-dir", join(tmpdir(), `zkdrill-badver-${process.pid}`));
    expect(r.code).to.equal(2);
    expect(r.err).to.include('zookeeper version "3.4.99" is not one zkdrill can build');
    expect(r.out).to.not.include("▶");
  });

  it("run of an unknown drill exits 2 pointing at the catalog, or at the drill it was close to", () => {
    const r = zkdrill("run", "p99-no-such-drill");
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/neither a file nor a catalog drill; the catalog: zkdrill list \(\d+ drills\)/);
    const near = zkdrill("run", "p2-two-az-standby-promotio");
    expect(near.code).to.equal(2);
    expect(near.err).to.include("did you mean p2-two-az-standby-promotion?");
  });

  it("run with a seed that is not a number exits 2 naming the flag", () => {
    const r = zkdrill("run", "quickstart-leader-failover", "--seed", "abc");
    expect(r.code).to.equal(2);
    expect(r.err).to.include('--seed: "abc" is not a whole number');
  });

  it("down without a run id or --all exits 2 and says which to give", () => {
    const r = zkdrill("down");
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/zkdrill down <run-id>.*zkdrill down --all/);
  });
});

describe("zkdrill CLI on the engine: up, down, doctor, report", function () {
  this.timeout(240_000);
  // These start containers (up builds nothing here, but waits for a quorum).
  const long = (...args: string[]) => run(200_000, args);

  it("up starts a two-zone topology with its gateways, prints how to reach it; down removes every container and network", async () => {
    const up = long("up", "p2-two-az-standby");
    expect(up.code, up.err).to.equal(0);
    const runId = /run id ([\w-]+)/.exec(up.out)?.[1];
    expect(runId, up.out).to.be.a("string");
    expect(up.out).to.match(/member \d leads/).and.include("connect string from zone az2: 127.0.0.1:").and.include(`zkdrill down ${runId}`);
    const names = (await docker().listContainers({ filters: { label: [`zkdrill.run=${runId}`] } })).map((c) => c.Names[0]);
    // 3 running members (4, 5 are standbys) and a gateway per member, standbys included.
    expect(names.filter((n) => /-zk\d$/.test(n))).to.have.length(3);
    expect(names.filter((n) => /-gw\d$/.test(n))).to.have.length(5);
    const down = long("down", runId!);
    expect(down.code, down.err).to.equal(0);
    expect(await docker().listContainers({ all: true, filters: { label: [`zkdrill.run=${runId}`] } })).to.deep.equal([]);
    expect(await docker().listNetworks({ filters: { label: [`zkdrill.run=${runId}`] } })).to.deep.equal([]);
  });

  it("run --dry-run prints the plan and starts nothing: the engine sees no container or network created", async () => {
    const since = Math.floor(Date.now() / 1000);
    const r = zkdrill("run", "p7-region-partition", "--dry-run");
    const until = Math.floor(Date.now() / 1000) + 1;
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include("steps[5] (isolate-zone): cut zone b1 off from every other zone (blackhole)").and.include("a quorum remains for zone(s) a1, a2");
    const stream = await docker().getEvents({ since, until, filters: { type: ["container", "network"] } });
    const events: string[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) events.push(...chunk.toString().split("\n").filter(Boolean));
    expect(events.map((e) => (JSON.parse(e) as { Type: string; Action: string }).Action).filter((a) => a === "create")).to.deep.equal([]);
  });

  it("doctor says ok for the engine and the images on a machine set up by scripts/setup.sh", () => {
    const r = long("doctor");
    expect(r.out).to.match(/^ok +docker engine/m).and.match(/^ok +image zkdrill\/zookeeper:/m).and.match(/^ok +image zkdrill\/toxiproxy:/m);
  });

  it("report verify of a missing folder exits 2 and says what to give", () => {
    const r = long("report", "verify", join(tmpdir(), "no-such-run-folder"));
    expect(r.code).to.equal(2);
    expect(r.err).to.include("does not exist; give a run folder");
  });
});
