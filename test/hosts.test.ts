// Zones on separate Docker hosts, for real: two more engines on this machine, each in a network
// namespace of its own (scripts/local-hosts.sh), joined with this machine's engine in one swarm; P7's
// drill with a1 here, a2 and b1 on the other two; then nothing left on any engine, and the engines,
// namespaces and links gone too, whatever happened.
import { expect } from "chai";
import { waitFor } from "../src/common";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDrill } from "../src/cli/run";
import { engineAt, engineFacts, forgetEngines, formSwarm, leaveSwarm, LOCAL_ENGINE, RUN_LABEL } from "../src/docker";
import { runDrill } from "../src/drill/runner";
import { readJournal } from "../src/journal";
import { reportDir, zookeeperImage } from "./support";

const SCRIPT = join(__dirname, "..", "scripts", "local-hosts.sh");
const H1 = "unix:///run/zkdh1/docker.sock";
const H2 = "unix:///run/zkdh2/docker.sock";
const ENGINES = [LOCAL_ENGINE, H1, H2];
const hostsScript = (...args: string[]) => execFileSync("bash", [SCRIPT, ...args], { stdio: ["ignore", "inherit", "inherit"], timeout: 180_000 });

/** What a run left on an engine (its own label only: another run may share this machine). */
async function labelled(endpoint: string, runId: string): Promise<string[]> {
  const d = engineAt(endpoint);
  const label = [`${RUN_LABEL}=${runId}`];
  const containers = (await d.listContainers({ all: true, filters: { label } })).map((c) => `container ${c.Names.join(",")}`);
  return [...containers, ...(await d.listNetworks({ filters: { label } })).map((n) => `network ${n.Name}`)];
}

const runIdIn = (dir: string) => String(readJournal(join(dir, "journal.jsonl")).find((e) => e.type === "run-start")!.data.runId);

describe("zones on three Docker hosts joined by a swarm (engines in network namespaces)", function () {
  this.timeout(900_000);
  let localWasInSwarm = false;

  before(async () => {
    // The user's own hosts file is not ours to write.
    process.env.ZKDRILL_HOSTS_FILE = join(mkdtempSync(join(tmpdir(), "zkdrill-hosts-")), "hosts");
    await zookeeperImage();
    localWasInSwarm = (await engineFacts(LOCAL_ENGINE)).swarm !== "inactive";
    expect(localWasInSwarm, "this machine's engine is already in a swarm: this test forms its own and would change it; run it where the engine is in none").to.equal(false);
    hostsScript("up", "2");
    const changes = await formSwarm({ endpoint: LOCAL_ENGINE, advertiseAddr: "10.199.77.1" }, [
      { endpoint: H1, advertiseAddr: "10.199.77.2" },
      { endpoint: H2, advertiseAddr: "10.199.77.3" },
    ]);
    expect(changes.join("\n")).to.match(/swarm initialised/).and.match(/zkdh1\/docker.sock: joined/).and.match(/zkdh2\/docker.sock: joined/);
  });

  after(async () => {
    try {
      if (!localWasInSwarm) await leaveSwarm([H1, H2, LOCAL_ENGINE]);
    } finally {
      hostsScript("down");
      // Gone: later tests of this process reap on this machine's engine alone.
      forgetEngines([H1, H2]);
      delete process.env.ZKDRILL_HOSTS_FILE;
    }
  });

  it("refuses a host that does not answer, before anything starts (exit 2, naming it)", async () => {
    const dir = reportDir("hosts-unreachable");
    const err = await runDrill(loadDrill("p7-two-regions-three-centres"), { quick: true, hosts: { b1: "unix:///run/zkdh-none/docker.sock" }, reportDir: dir }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).to.equal("EngineError");
    expect(err?.message).to.include("host unix:///run/zkdh-none/docker.sock: its Docker engine does not answer");
    const events = readJournal(join(dir, "journal.jsonl"));
    expect(events.map((e) => e.type), "the record says the run began and how it ended").to.include.members(["run-start", "run-end"]);
    expect(events.some((e) => e.type === "note" && e.data.what === "ensemble started"), "nothing started").to.equal(false);
    for (const e of ENGINES) expect(await labelled(e, runIdIn(dir)), `left on ${e}`).to.deep.equal([]);
  });

  it("runs P7 with a1 here, a2 and b1 on two other engines: passes, measures the wire, leaves nothing on any", async () => {
    const dir = reportDir("p7-on-three-hosts");
    const r = await runDrill(loadDrill("p7-two-regions-three-centres"), { quick: true, seed: 42, reportDir: dir, hosts: { a2: H1, b1: H2 } });
    const failed = r.report.checks.filter((c) => c.status !== "passed").map((c) => `${c.name}: ${c.summary}`);
    expect(r.report.error, `${r.report.error}\n${failed.join("\n")}\n(see ${dir})`).to.equal(null);
    expect(r.status).to.equal("passed");
    const events = readJournal(join(dir, "journal.jsonl"));
    const start = events.find((e) => e.type === "run-start")!.data as { topology: { zones: Array<{ name: string; host?: string }> } };
    expect(start.topology.zones.map((z) => `${z.name}@${z.host ?? "local"}`)).to.deep.equal(["a1@local", `a2@${H1}`, `b1@${H2}`]);
    const ready = events.find((e) => e.type === "note" && e.data.what === "engine and images")!.data as { hosts?: { images: Array<{ endpoint: string }> } };
    expect(ready.hosts?.images.map((i) => i.endpoint).sort(), "ZooKeeper's image on each other host").to.deep.equal([H1, H2].sort());
    // The members really ran elsewhere: each engine held its zone's members.
    const placement = events.find((e) => e.type === "note" && e.data.what === "ensemble started")!.data.placement;
    expect(placement).to.deep.equal({ 1: LOCAL_ENGINE, 2: LOCAL_ENGINE, 3: H1, 4: H2, 5: H2 });
    const ran = events.filter((e) => e.type === "check" && e.data.kind === "round-trip");
    expect(ran.length, "each zone pair's round trip measured on the wire").to.be.greaterThan(0);
    // A worker drops its copy of an overlay when the manager's removal reaches it, a moment after the
    // run's teardown: awaited (bounded), then whatever is still there is named.
    for (const e of ENGINES) {
      const left = await waitFor(`nothing of the run left on ${e}`, async () => {
        const l = await labelled(e, r.runId);
        return l.length === 0 ? { done: true, value: l } : { done: false, seen: l.join(", ") };
      }, { timeoutMs: 30_000, intervalMs: 500 }).catch(async () => labelled(e, r.runId));
      expect(left, `left on ${e}`).to.deep.equal([]);
    }
    expect(readFileSync(process.env.ZKDRILL_HOSTS_FILE!, "utf8")).to.include(H1);
  });
});
