// The Docker engine: one dockerode client, the labels every object of a run carries, and the reaper.
import Docker from "dockerode";
import { diskRuns, removeDisks } from "./loop-disks";
import { ownerId, ownerState } from "./owner";

/** Every container and network a run creates carries this label, valued with the run id. */
export const RUN_LABEL = "zkdrill.run";
/** The process that owns the run (host:pid:start), so a stale run can be told from a live one. */
export const OWNER_LABEL = "zkdrill.owner";
/** Set on runs left up on purpose (zkdrill up, run --keep): never stale, removed by zkdrill down <run id>. */
export const KEEP_LABEL = "zkdrill.keep";

/** The labels every container and network of a run carries. */
export function runLabels(runId: string, keep = false): Record<string, string> {
  return { [RUN_LABEL]: runId, [OWNER_LABEL]: ownerId(), ...(keep ? { [KEEP_LABEL]: "true" } : {}) };
}

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export class EngineError extends Error {
  override name = "EngineError";
}

/** Fails with what to do when no engine answers. */
export async function checkEngine(): Promise<{ version: string; apiVersion: string }> {
  try {
    const v = await docker().version();
    return { version: v.Version, apiVersion: v.ApiVersion };
  } catch (err) {
    throw new EngineError(`no Docker engine answers (${(err as Error).message}); run scripts/ensure-docker.sh (as root on Debian it installs and starts one)`);
  }
}

/** testcontainers needs these on machines without Ryuk's image (ENVIRONMENT.md). */
export function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";
}

export interface ReapResult {
  readonly containers: number;
  readonly networks: number;
  /** Members' own disks (datalogMb) unmounted and deleted. */
  readonly disks: number;
}

/** Removes every container and network labelled with `runId`, or with any run id when undefined. */
export async function reap(runId?: string): Promise<ReapResult> {
  const label = runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL;
  const d = docker();
  const containers = await d.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    containers.map((c) =>
      d
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((err: { statusCode?: number }) => {
          // Already gone (removed by a parallel reaper): nothing to do.
          if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
        }),
    ),
  );
  const networks = await d.listNetworks({ filters: { label: [label] } });
  for (const n of networks) {
    await d
      .getNetwork(n.Id)
      .remove()
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
  }
  // Host disks last: their containers are gone, so they unmount.
  let disks = 0;
  for (const r of runId ? [{ runId }] : diskRuns()) disks += await removeDisks(r.runId);
  return { containers: containers.length, networks: networks.length, disks };
}

export interface StaleRun {
  readonly runId: string;
  readonly owner: string;
  readonly containers: number;
  readonly networks: number;
}

/**
 * Runs whose owning process is gone from this host (killed with SIGKILL, a crashed runner): found by
 * label, and removed unless `dryRun`. Runs kept on purpose, runs of live processes and runs owned on
 * other hosts are left alone.
 */
export async function reapStale(dryRun = false): Promise<StaleRun[]> {
  const d = docker();
  const containers = await d.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  const networks = await d.listNetworks({ filters: { label: [RUN_LABEL] } });
  const runs = new Map<string, { owner: string; keep: boolean; containers: number; networks: number }>();
  const note = (labels: Record<string, string> | undefined, kind: "containers" | "networks") => {
    const runId = labels?.[RUN_LABEL];
    if (!runId) return;
    const r = runs.get(runId) ?? { owner: labels?.[OWNER_LABEL] ?? "", keep: labels?.[KEEP_LABEL] === "true", containers: 0, networks: 0 };
    r[kind]++;
    runs.set(runId, r);
  };
  for (const c of containers) note(c.Labels, "containers");
  for (const n of networks) note(n.Labels, "networks");
  // A run killed after its containers went but before its disks did: known by its disk folder alone.
  for (const disk of diskRuns()) if (!runs.has(disk.runId)) runs.set(disk.runId, { owner: disk.owner, keep: disk.keep, containers: 0, networks: 0 });
  const stale = [...runs].filter(([, r]) => !r.keep && ownerState(r.owner) === "gone").map(([runId, r]) => ({ runId, owner: r.owner, containers: r.containers, networks: r.networks }));
  if (!dryRun) for (const s of stale) await reap(s.runId);
  return stale;
}
