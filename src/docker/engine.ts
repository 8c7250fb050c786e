// The Docker engine: one dockerode client and the labels every object of a run carries (reaper.ts removes by them).
import Docker from "dockerode";
import { ownerId } from "./owner";

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
export async function checkEngine(): Promise<{ version: string; apiVersion: string; kernel: string }> {
  try {
    const v = await docker().version();
    // The kernel the containers run on (the engine's host: a VM's on Docker Desktop), for the audit header.
    return { version: v.Version, apiVersion: v.ApiVersion, kernel: v.KernelVersion ?? "unknown" };
  } catch (err) {
    throw new EngineError(`no Docker engine answers (${(err as Error).message}); run scripts/ensure-docker.sh (as root on Debian it installs and starts one)`);
  }
}

/** testcontainers needs these on machines without Ryuk's image (ENVIRONMENT.md). */
export function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";
}
