// Side by side on one engine: two drills at once and an ensemble left up with `zkdrill up`. No names,
// ports or networks are shared, both verdicts stand, and each cleanup touches only its own run.
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker } from "../src/docker";
import { readJournal } from "../src/journal";
import { zookeeperImage } from "./support";

const BIN = join(__dirname, "..", "bin", "zkdrill");

function drillProcess(seed: number): Promise<{ code: number | null; dir: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-side-"));
  return new Promise((resolve) => {
    const child = spawn(BIN, ["run", "quickstart-leader-failover", "--quick", "--seed", String(seed), "--report-dir", dir], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), 240_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, dir, err });
    });
  });
}

const labelled = async (runId: string) => (await docker().listContainers({ all: true, filters: { label: [`zkdrill.run=${runId}`] } })).length;

describe("side by side on one engine", function () {
  this.timeout(400_000);
  before(async () => {
    await zookeeperImage();
  });

  it("two drills and a `zkdrill up` at once: both drills pass, no shared port or network, each cleanup removes only its own run", async () => {
    const up = spawnSync(BIN, ["up", "p8-one-dc"], { encoding: "utf8", timeout: 200_000 });
    expect(up.status, up.stderr).to.equal(0);
    const upRun = /run id ([\w-]+)/.exec(up.stdout)![1];
    try {
      const [a, b] = await Promise.all([drillProcess(21), drillProcess(22)]);
      expect([a.code, b.code], `${a.err}\n${b.err}`).to.deep.equal([0, 0]);
      const started = (dir: string) => {
        const j = readJournal(join(dir, "journal.jsonl"));
        const note = j.find((e) => e.type === "note" && e.data.what === "ensemble started")!.data as { ports: Record<string, number>; network: { networks: Record<string, string> } };
        return { runId: String(j[0].data.runId), ports: Object.values(note.ports), networks: Object.values(note.network.networks) };
      };
      const [sa, sb] = [started(a.dir), started(b.dir)];
      expect(sa.runId).to.not.equal(sb.runId);
      expect(sa.ports.filter((p) => sb.ports.includes(p)), "shared host ports").to.deep.equal([]);
      expect(sa.networks.filter((n) => sb.networks.includes(n)), "shared networks").to.deep.equal([]);
      expect([await labelled(sa.runId), await labelled(sb.runId)], "each drill removed its own run").to.deep.equal([0, 0]);
      expect(await labelled(upRun), "the ensemble left up is untouched by both drills' cleanups and stale sweeps").to.equal(5);
    } finally {
      const down = spawnSync(BIN, ["down", upRun], { encoding: "utf8", timeout: 120_000 });
      expect(down.status, down.stderr).to.equal(0);
    }
    expect(await labelled(upRun)).to.equal(0);
  });
});
