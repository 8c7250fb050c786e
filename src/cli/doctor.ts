// zkdrill doctor: can this machine run drills? Each line ok, or what to do.
import { Command } from "commander";
import { statfsSync } from "node:fs";
import { freemem, totalmem } from "node:os";
import { DEFAULT_ZOOKEEPER_VERSION, toxiproxyImageNames, zookeeperImageNames } from "../images";
import { checkEngine, docker, freeLoopbackPort } from "../docker";

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

export function doctorCommand(): Command {
  return new Command("doctor").description("check the engine, images, disk, memory and ports; each line ok or what to do").action(async () => {
    const all = await findings();
    for (const f of all) console.log(`${f.ok ? "ok  " : "FIX "} ${f.what.padEnd(34)} ${f.detail}`);
    const bad = all.filter((f) => !f.ok);
    if (bad.length) {
      console.log(`${bad.length} thing(s) to fix`);
      process.exitCode = 2;
    } else console.log("ready to drill");
  });
}
