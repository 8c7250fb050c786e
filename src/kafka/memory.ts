// Resident memory of a run's containers, as `docker stats` shows it (the brokers, the ensemble, the
// gateways and the clients must fit the 2-core, 24 GiB machine CI runs on).
import { docker, RUN_LABEL } from "../docker";

interface MemoryStats {
  readonly usage?: number;
  readonly stats?: { readonly rss?: number; readonly anon?: number; readonly total_inactive_file?: number; readonly inactive_file?: number };
}

/** MiB each running container of `runId` holds resident (cgroup v1 rss, v2 anon; else usage less inactive file cache). */
export async function residentMemory(runId: string): Promise<Record<string, number>> {
  const list = await docker().listContainers({ filters: { label: [`${RUN_LABEL}=${runId}`] } });
  const out: Record<string, number> = {};
  await Promise.all(
    list.map(async (c) => {
      const s = (await docker().getContainer(c.Id).stats({ stream: false })) as unknown as { memory_stats?: MemoryStats };
      const m = s.memory_stats ?? {};
      const bytes = m.stats?.rss ?? m.stats?.anon ?? (m.usage ?? 0) - (m.stats?.total_inactive_file ?? m.stats?.inactive_file ?? 0);
      out[(c.Names[0] ?? c.Id).replace(`/zkdrill-${runId}-`, "")] = Math.round(bytes / 1024 / 1024);
    }),
  );
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
