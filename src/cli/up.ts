// zkdrill up <topology>: an ensemble (with its zone gateways) to poke at by hand; zkdrill down removes it.
import { Command } from "commander";
import { resolve } from "node:path";
import { ensureImages, checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION } from "../images";
import { installCrashReaper, untrackRun, checkEngine } from "../docker";
import { newRunId, StartedEnsemble } from "../runtime";
import { loadTopology, resolveTopologyPath } from "../topology";
import { removeStaleRuns } from "./down";

export function upCommand(): Command {
  return new Command("up")
    .description("start a topology's ensemble (and its Toxiproxy gateways) and leave it running")
    .argument("<topology>", "a topology file or catalog name (zkdrill plan shows what it survives)")
    .option("--zk-version <version>", "ZooKeeper version", DEFAULT_ZOOKEEPER_VERSION)
    .option("--client-ports <base>", "pin client ports: member N listens on 127.0.0.1:<base + N> (default: free ports)")
    .action(async (ref: string, opts: { zkVersion: string; clientPorts?: string }) => {
      const base = opts.clientPorts === undefined ? undefined : Number(opts.clientPorts);
      if (base !== undefined && !(Number.isInteger(base) && base >= 1024 && base <= 65000)) {
        throw Object.assign(new Error(`--client-ports: "${opts.clientPorts}" is not a port base from 1024 to 65000; give e.g. --client-ports 21800`), { name: "InputError" });
      }
      const topology = loadTopology(resolveTopologyPath(ref));
      checkZookeeperVersion(opts.zkVersion);
      await checkEngine();
      const images = await ensureImages(opts.zkVersion, { progress: (l) => console.log(l) });
      // Ctrl-C or a crash while starting removes what was started; once up, it stays.
      installCrashReaper();
      await removeStaleRuns();
      const runId = newRunId(`up-${topology.name}`.slice(0, 24));
      // Kept on purpose: labelled so, never taken for a stale run once this process exits.
      const e = await StartedEnsemble.start({ runId, topology, image: images.zookeeper, version: opts.zkVersion, toxiproxyImage: images.toxiproxy, logDir: resolve("reports", `up-${runId}`, "logs"), keep: true, clientPortBase: base });
      const q = await e.waitForQuorum({ timeoutMs: 180_000 }).catch((err: Error) => {
        console.log(`no quorum yet (${err.message}); the members run, inspect them with docker logs`);
        return undefined;
      });
      untrackRun(runId);
      const running = await e.running();
      console.log(`ensemble ${topology.name} is up: run id ${runId}${q ? `, member ${q.leader} leads (epoch ${q.epoch})` : ""}`);
      for (const m of topology.members) {
        const ep = e.endpoint(m.id);
        console.log(`  zk${m.id} (zone ${m.zone}, ${m.role}${m.standby ? ", standby, not started" : ""}): ${running.includes(m.id) ? `127.0.0.1:${ep.port}` : "-"}  container ${e.containerName(m.id)}`);
      }
      console.log(`connect string (direct): ${e.connectString(running)}`);
      for (const z of topology.zones.map((x) => x.name)) if (topology.zones.length > 1) console.log(`connect string from zone ${z}: ${e.connectString(running, z)}`);
      console.log(`zkCli: docker exec -it ${e.containerName(running[0] ?? topology.members[0].id)} sh /zkdrill/zk-cli.sh`);
      console.log(`remove: zkdrill down ${runId}`);
    });
}
