// The preflight: everything a run refuses before it starts, --dry-run refuses with the same exit 2 and
// message. Pure: a dry run starts no container, and the engine's socket here does not exist.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drill, oneZoneTopology } from "../src/drill";
import { preflight } from "../src/drill/runner";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "zkdrill");
const NO_ENGINE = { ...process.env, DOCKER_HOST: "unix:///nonexistent/zkdrill-preflight-test.sock" };

interface Result {
  code: number | null;
  out: string;
  err: string;
}

function zkdrill(...args: string[]): Promise<Result> {
  return zkdrillIn(ROOT, ...args);
}

function zkdrillIn(cwd: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: NO_ENGINE, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (b: Buffer) => (out += b));
    p.stderr.on("data", (b: Buffer) => (err += b));
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** A folder that already holds a run. */
function usedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-preflight-"));
  writeFileSync(join(dir, "journal.jsonl"), "");
  return dir;
}

/** A YAML drill with a type mistake, a flow mistake and a topology mistake. */
function threeMistakes(): string {
  const path = join(mkdtempSync(join(tmpdir(), "zkdrill-preflight-")), "three-mistakes.yaml");
  const steps = ["  - wait-for-quorum: { timeout-seconds: soon }", "  - measure: { phase: baseline, seconds: 5 }", "  - stop: { members: { zone: nowhere } }"];
  writeFileSync(path, ["name: three-mistakes", "description: d", "procedure: p", "topology: p8-one-dc", "steps:", ...steps, ""].join("\n"));
  return path;
}

const MISTAKES: { what: string; args: () => string[]; says: RegExp }[] = [
  { what: "an unknown --zk-version", args: () => ["quickstart-leader-failover", "--zk-version", "9.9.9"], says: /zookeeper version "9\.9\.9" is not one zkdrill can build/ },
  { what: "a version below the drill's minimum", args: () => ["p4-observer-roles", "--zk-version", "3.4.14"], says: /p4-observer-roles runs on ZooKeeper 3\.5 or later .*; 3\.4\.14 is older/ },
  { what: "--from-version on a drill that is not an upgrade", args: () => ["quickstart-leader-failover", "--from-version", "3.8.6"], says: /--from-version and --to-version are for upgrade drills; quickstart-leader-failover is not one/ },
  { what: "a --report-dir already used", args: () => ["quickstart-leader-failover", "--report-dir", usedDir()], says: /--report-dir: .* already holds a run \(journal\.jsonl\)/ },
  { what: "a misspelt drill name", args: () => ["quickstart-leader-failovr"], says: /did you mean quickstart-leader-failover\?/ },
  {
    what: "a drill file with three mistakes of different kinds, all in one pass",
    args: () => [threeMistakes()],
    says: /steps\[0\] \(wait-for-quorum\)\.timeout-seconds: must be a number[\s\S]*steps\[1\] \(measure\): the workload is not running[\s\S]*steps\[2\] \(stop\)\.members: zone "nowhere" is not in topology/,
  },
  { what: "a TypeScript drill using a word the interface lacks", args: () => [join(__dirname, "fixtures", "preflight", "drill-old-word.ts")], says: /drill-old-word\.ts:10:\d+: "leaderElected": Property 'leaderElected' does not exist/ },
];

describe("preflight: --dry-run refuses what the run refuses (exit 2, same message, nothing started)", function () {
  this.timeout(120_000);

  for (const m of MISTAKES) {
    it(`${m.what}: --dry-run exits 2 saying so`, async () => {
      const r = await zkdrill("run", ...m.args(), "--dry-run");
      expect(r.code, r.err).to.equal(2);
      expect(r.err).to.match(m.says);
      expect(r.out).to.equal("");
    });
  }

  it("a sound drill's dry run exits 0 and prints the plan", async () => {
    const r = await zkdrill("run", "quickstart-leader-failover", "--dry-run");
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include("quickstart-leader-failover");
  });

  it("a disk fault's own disk (datalogMb) without root: refused by the check both paths call", () => {
    const def = drill({ name: "own-disk", description: "a member with its own dataLogDir disk", procedure: "test", topology: oneZoneTopology("own-disk", 3, { datalogMb: 32 }), async run() {} });
    const getuid = process.getuid;
    process.getuid = () => 1000;
    try {
      expect(() => preflight(def, {})).to.throw(/datalogMb: member\(s\) 1, 2, 3 need a dataLogDir disk of their own, which only root can mount/);
    } finally {
      process.getuid = getuid;
    }
  });
});

describe("a record from the first moment", function () {
  this.timeout(120_000);

  it("the run folder and run-start exist before the engine is asked; an engine that does not answer ends the journal with run-end", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "zkdrill-first-moment-")), "run");
    const r = await zkdrill("run", "quickstart-leader-failover", "--report-dir", dir);
    expect(r.code, r.err).to.equal(2);
    expect(r.err).to.match(/no Docker engine answers/);
    expect(existsSync(join(dir, "journal.jsonl")), "journal.jsonl").to.equal(true);
    const types = readFileSync(join(dir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).to.equal("run-start");
    expect(types[types.length - 1]).to.equal("run-end");
    const end = JSON.parse(readFileSync(join(dir, "journal.jsonl"), "utf8").trim().split("\n").pop()!) as { data: { environment?: boolean; error: string } };
    expect(end.data.environment).to.equal(true);
    expect(end.data.error).to.match(/no Docker engine answers/);
  });
});

describe("the report folder", function () {
  this.timeout(120_000);

  it("defaults to ./reports under the working directory, not the package's folder", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "zkdrill-cwd-"));
    const r = await zkdrillIn(cwd, "run", "quickstart-leader-failover");
    expect(r.code, r.err).to.equal(2);
    const runs = readdirSync(join(cwd, "reports"));
    expect(runs).to.have.length(1);
    expect(runs[0]).to.match(/^quickstart-leader-failover-\d{8}T\d{6}Z$/);
    expect(existsSync(join(cwd, "reports", runs[0], "journal.jsonl"))).to.equal(true);
  });
});

describe("the dry run shows the hypothesis and the stop rule", function () {
  this.timeout(60_000);

  it("steady state and abort-if are printed", async () => {
    const r = await zkdrill("run", "p2-two-az-standby-promotion", "--dry-run");
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^steady state \(before the first fault and after the last step\): exactly one leader among the running voters/m);
    expect(r.out).to.match(/^abort if: /m);
  });
});
