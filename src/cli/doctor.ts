// zkdrill doctor: can this machine run drills? Each line ok, or what to do.
import { Command } from "commander";
import { statfsSync } from "node:fs";
import { freemem, totalmem } from "node:os";
import { DEFAULT_ZOOKEEPER_VERSION, toxiproxyImageNames, zookeeperImageNames } from "../images";
import { checkEngine, checkRunEngines, docker, engineFacts, freeLoopbackPort, isLocal, knownEngines } from "../docker";

interface Finding {
  readonly ok: boolean;
  readonly what: string;
  readonly detail: string;
}

const GiB = 1024 ** 3;

async function findings(): Promise<Finding[]> {
  const out: Finding[] = [];
  let engine = false;
  try {
    const v = await checkEngine();
    engine = true;
    out.push({ ok: true, what: "docker engine", detail: `${v.version} (API ${v.apiVersion})` });
  } catch (err) {
    out.push({ ok: false, what: "docker engine", detail: (err as Error).message });
  }
  for (const name of [zookeeperImageNames(DEFAULT_ZOOKEEPER_VERSION).built, toxiproxyImageNames().built]) {
    if (!engine) {
      out.push({ ok: false, what: `image ${name}`, detail: "unknown without an engine" });
      continue;
    }
    const found = await docker()
      .getImage(name)
      .inspect()
      .then(() => true)
      .catch(() => false);
    out.push({ ok: found, what: `image ${name}`, detail: found ? "present" : "missing; run: zkdrill images build (about 2 min, offline-capable)" });
  }
  let dockerRoot = "/var/lib/docker";
  if (engine) dockerRoot = ((await docker().info()) as { DockerRootDir?: string }).DockerRootDir ?? dockerRoot;
  try {
    const fs = statfsSync(dockerRoot);
    const free = (fs.bavail * fs.bsize) / GiB;
    out.push({ ok: free >= 3, what: "disk", detail: `${free.toFixed(1)} GiB free under ${dockerRoot}${free < 3 ? "; images and runs need about 3 GiB: free some space (docker image prune)" : ""}` });
  } catch (err) {
    out.push({ ok: false, what: "disk", detail: `cannot read ${dockerRoot}: ${(err as Error).message}` });
  }
  const mem = freemem() / GiB;
  out.push({ ok: mem >= 2, what: "memory", detail: `${mem.toFixed(1)} of ${(totalmem() / GiB).toFixed(1)} GiB free${mem < 2 ? "; a 5-member drill needs about 1.5 GiB: close something" : ""}` });
  try {
    const port = await freeLoopbackPort();
    out.push({ ok: true, what: "loopback ports", detail: `127.0.0.1 can bind (e.g. ${port}); members publish there only` });
  } catch (err) {
    out.push({ ok: false, what: "loopback ports", detail: `cannot bind on 127.0.0.1: ${(err as Error).message}` });
  }
  if (engine) {
    const left = await docker().listContainers({ all: true, filters: { label: ["zkdrill.run"] } });
    out.push({ ok: left.length === 0, what: "leftovers", detail: left.length === 0 ? "no zkdrill containers" : `${left.length} zkdrill container(s) exist (a --keep or up run?); remove with: zkdrill down --all` });
  }
  return out;
}

/**
 * Every other host's engine (--hosts, or those `hosts init` recorded): reachable, its version, in this
 * machine's swarm (which also shows 2377/tcp answered between them), its free memory.
 */
async function hostFindings(hosts: readonly string[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const endpoint of hosts) {
    try {
      const f = await engineFacts(endpoint);
      out.push({ ok: true, what: `host ${endpoint}`, detail: `Docker ${f.version}, ${f.cpus} CPUs, ${(f.memoryBytes / GiB).toFixed(1)} GiB` });
      out.push({ ok: f.swarm === "active", what: `host ${endpoint} swarm`, detail: f.swarm === "active" ? `a swarm node at ${f.nodeAddr}` : `swarm ${f.swarm}; run: zkdrill hosts init ${endpoint}@ADDR` });
    } catch (err) {
      out.push({ ok: false, what: `host ${endpoint}`, detail: (err as Error).message });
    }
  }
  if (hosts.length > 0) {
    try {
      await checkRunEngines(hosts);
      out.push({ ok: true, what: "one swarm", detail: `this machine's engine manages a swarm with ${hosts.join(", ")} in it: a run may place zones there` });
    } catch (err) {
      out.push({ ok: false, what: "one swarm", detail: (err as Error).message });
    }
  }
  return out;
}

export function doctorCommand(): Command {
  return new Command("doctor")
    .description("check the engine, images, disk, memory and ports (and other hosts' engines); each line ok or what to do")
    .option("--hosts", "also check every other host's engine zkdrill knows (zkdrill hosts init)")
    .action(async (opts: { hosts?: boolean }) => {
      const all = [...(await findings()), ...(opts.hosts ? await hostFindings(knownEngines().filter((e) => !isLocal(e))) : [])];
      for (const f of all) console.log(`${f.ok ? "ok  " : "FIX "} ${f.what.padEnd(34)} ${f.detail}`);
      const bad = all.filter((f) => !f.ok);
      if (bad.length) {
        console.log(`${bad.length} thing(s) to fix`);
        process.exitCode = 2;
      } else console.log("ready to drill");
    });
}
