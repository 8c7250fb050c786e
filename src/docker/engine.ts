// The Docker engine: one dockerode client, the labels every object of a run carries, and the reaper.
import Docker from "dockerode";

/** Every container and network a run creates carries this label, valued with the run id. */
export const RUN_LABEL = "zkdrill.run";

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
  return { containers: containers.length, networks: networks.length };
}
