// Shared set-up for integration tests: real images, real ensembles, nothing left behind.
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_ZOOKEEPER_VERSION, ensureToxiproxyImage, ensureZookeeperImage, ImageRef } from "../src/images";
import { checkEngine } from "../src/docker";
import { newRunId, StartedEnsemble } from "../src/runtime";
import { parseTopology, Topology, TopologyInput } from "../src/topology";
import { oneZoneTopology } from "../src/drill/definition";

const images = new Map<string, ImageRef>();

/** The engine must answer: a missing one fails the suite (scripts/setup.sh provides it). */
export async function zookeeperImage(version = process.env.ZKDRILL_ZK_VERSION ?? DEFAULT_ZOOKEEPER_VERSION): Promise<ImageRef> {
  await checkEngine();
  if (!images.has(version)) images.set(version, await ensureZookeeperImage(version, { pull: false }));
  return images.get(version)!;
}

let toxiproxy: ImageRef | undefined;

export async function toxiproxyImage(): Promise<ImageRef> {
  await checkEngine();
  toxiproxy ??= await ensureToxiproxyImage({ pull: false });
  return toxiproxy;
}

export function oneZone(n: number, name = "test"): TopologyInput {
  return oneZoneTopology(name, n);
}

/** A topology as written (validated here) or already loaded (e.g. from the catalog). */
export async function startEnsemble(input: TopologyInput | Topology, version?: string): Promise<StartedEnsemble> {
  const topology = "links" in input ? (input as Topology) : parseTopology(input);
  const runId = newRunId("test");
  const toxi = topology.zones.length > 1 ? await toxiproxyImage() : undefined;
  return StartedEnsemble.start({ runId, topology, image: await zookeeperImage(version), version: version ?? process.env.ZKDRILL_ZK_VERSION ?? DEFAULT_ZOOKEEPER_VERSION, toxiproxyImage: toxi, logDir: join("reports", "test-logs", runId) });
}

/** A run folder under reports/test-runs (CI uploads them with the rest). */
export function reportDir(name: string): string {
  mkdirSync(join("reports", "test-runs"), { recursive: true });
  return mkdtempSync(join("reports", "test-runs", `${name}-`));
}
