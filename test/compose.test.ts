// The generated compose files run: brought up with the Compose this machine has (v1's docker-compose,
// Debian's 1.29.2, where present; else v2's docker compose), a quorum reached through the published
// ports, then taken down with nothing left. Needs the engine and the ZooKeeper image.
import { expect } from "chai";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeFor } from "../src/cli/compose";
import { docker } from "../src/docker";
import { loadTopology, resolveTopologyPath, Topology } from "../src/topology";
import { srvr, type ServerStatus } from "../src/zk";
import { zookeeperImage } from "./support";

const QUORUM_WITHIN_MS = 120_000;

/** docker-compose (v1) when on PATH, else the docker CLI's compose plugin (v2); neither fails the test. */
function composeCommand(): string[] {
  const works = (file: string, args: string[]) => {
    try {
      execFileSync(file, args, { stdio: "ignore", timeout: 30_000 });
      return true;
    } catch {
      return false;
    }
  };
  if (works("docker-compose", ["version"])) return ["docker-compose"];
  if (works("docker", ["compose", "version"])) return ["docker", "compose"];
  throw new Error("no Compose: neither docker-compose (Debian's docker-compose package) nor docker compose answers; scripts/test.sh installs it");
}

function run(cmd: string[], args: string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd[0], [...cmd.slice(1), ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${[...cmd, ...args].join(" ")}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leftovers(t: Topology, project: string): Promise<string[]> {
  const byLabel = { label: [`com.docker.compose.project=${project}`] };
  const containers = await docker().listContainers({ all: true, filters: byLabel });
  const networks = await docker().listNetworks({ filters: byLabel });
  const volumes = (await docker().listVolumes({ filters: byLabel })).Volumes ?? [];
  const ours = await docker().listContainers({ all: true, filters: { label: [`zkdrill.compose=${t.name}`] } });
  return [...containers, ...ours].map((c) => `container ${c.Names.join(",")}`).concat(networks.map((n) => `network ${n.Name}`), volumes.map((v) => `volume ${v.Name}`));
}

describe("compose files (generated) run with Compose v1 or v2", function () {
  this.timeout(600_000);

  // Static membership, and a dynamic config whose standbys (profile standby) stay down.
  for (const name of ["p1-listed-members-only", "p6-reconfig-dynamic"]) {
    it(`${name}: up -d, a quorum through the published ports, down -v leaves nothing`, async () => {
      const compose = composeCommand();
      const t = loadTopology(resolveTopologyPath(name));
      const image = await zookeeperImage();
      const file = join(mkdtempSync(join(tmpdir(), "zkdrill-compose-")), `${name}.yaml`);
      writeFileSync(file, composeFor(t, image.name));
      const project = `zkdrilltest${process.pid}${name.replace(/[^a-z0-9]/g, "")}`;
      const args = (...rest: string[]) => ["-p", project, "-f", file, ...rest];
      const running = t.members.filter((m) => !m.standby);
      try {
        await run(compose, args("up", "-d"));
        const ports = new Map<number, number>();
        for (const m of running) {
          const published = (await run(compose, args("port", `zk${m.id}`, String(t.settings.clientPort)))).trim();
          const port = Number(/:(\d+)$/.exec(published)?.[1]);
          expect(port, `zk${m.id}'s published port: ${JSON.stringify(published)}`).to.be.greaterThan(0);
          ports.set(m.id, port);
        }
        const deadline = Date.now() + QUORUM_WITHIN_MS;
        let statuses: Array<ServerStatus | Error> = [];
        for (let attempt = 0; attempt < 240 && Date.now() < deadline; attempt++) {
          statuses = await Promise.all(running.map((m) => srvr({ host: "127.0.0.1", port: ports.get(m.id)! }, 2_000).catch((err: Error) => err)));
          const modes = statuses.map((s) => (s instanceof Error || !s.serving ? "none" : s.mode));
          if (modes.filter((m) => m === "leader").length === 1 && modes.every((m) => m === "leader" || m === "follower" || m === "observer")) break;
          await sleep(1_000);
        }
        const modes = statuses.map((s) => (s instanceof Error ? s.message : s.serving ? s.mode : "not serving"));
        expect(modes.filter((m) => m === "leader"), `modes: ${modes.join("; ")}`).to.have.length(1);
        expect(modes.every((m) => ["leader", "follower", "observer"].includes(m)), `modes: ${modes.join("; ")}`).to.equal(true);
        // The standbys' profile kept them from starting.
        const started = await docker().listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
        expect(started).to.have.length(running.length);
      } finally {
        await run(compose, args("--profile", "standby", "down", "-v", "--remove-orphans"));
      }
      expect(await leftovers(t, project)).to.deep.equal([]);
    });
  }
});
