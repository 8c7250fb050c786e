// The Docker engine stops in the middle of a drill: the run says so and exits 2 (host trouble, not a
// check that failed), its journal still verifies, and once the engine is back `zkdrill down --stale`
// removes what it left. Runs near the end of the suite: it stops and starts the machine's engine.
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../src/common";
import { docker } from "../src/docker";
import { readJournal, verifyJournal } from "../src/journal";
import { zookeeperImage } from "./support";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "zkdrill");
const managedBySystemd = () => spawnSync("systemctl", ["is-active", "--quiet", "docker"]).status === 0;
const engineAnswers = () => spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0;

function stopEngine(): void {
  if (managedBySystemd()) spawnSync("systemctl", ["stop", "docker", "docker.socket"], { stdio: "ignore" });
  else spawnSync("pkill", ["-TERM", "-x", "dockerd"], { stdio: "ignore" });
}

function startEngine(): void {
  if (spawnSync("systemctl", ["cat", "docker"], { stdio: "ignore" }).status === 0 && !engineAnswers()) spawnSync("systemctl", ["start", "docker"], { stdio: "ignore" });
  const r = spawnSync("bash", [join(ROOT, "scripts", "ensure-docker.sh")], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the engine did not come back: ${r.stderr}`);
}

describe("the Docker engine stops mid-run", function () {
  this.timeout(400_000);
  before(async () => {
    await zookeeperImage();
  });
  after(() => {
    if (!engineAnswers()) startEngine();
  });

  it("the run says the engine stopped answering and exits 2; down --stale cleans up once it is back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-engine-"));
    const journal = join(dir, "journal.jsonl");
    const child = spawn(BIN, ["run", "quickstart-leader-failover", "--quick", "--report-dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waitFor("the first workload sample", async () => (existsSync(journal) && readFileSync(journal, "utf8").includes('"type":"sample"') ? { done: true, value: undefined } : { done: false, seen: "no sample yet" }), { timeoutMs: 120_000, intervalMs: 100 });
    const runId = String(readJournal(journal)[0].data.runId);
    stopEngine();
    await waitFor("the engine to stop", async () => (engineAnswers() ? { done: false, seen: "still answering" } : { done: true, value: undefined }), { timeoutMs: 60_000, intervalMs: 500 });
    // The bound is cleared once the run exits: a pending 3-minute timer would hold mocha open after the suite.
    let bound: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<"hung">((r) => (bound = setTimeout(() => r("hung"), 180_000)))]).finally(() => clearTimeout(bound));
    startEngine();
    expect(code, out).to.equal(2);
    expect(out).to.include("the Docker engine stopped answering");
    expect(out, "a message, not a stack").to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(verifyJournal(journal).ok).to.equal(true);
    const end = readJournal(journal).find((e) => e.type === "run-end");
    expect(end?.data).to.include({ environment: true });
    const down = spawnSync(BIN, ["down", "--stale"], { encoding: "utf8", timeout: 120_000 });
    expect(down.status, down.stderr).to.equal(0);
    expect((await docker().listContainers({ all: true, filters: { label: [`zkdrill.run=${runId}`] } })).length).to.equal(0);
    expect((await docker().listNetworks({ filters: { label: [`zkdrill.run=${runId}`] } })).length).to.equal(0);
  });
});
