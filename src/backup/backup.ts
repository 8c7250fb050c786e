// P3 (docs/procedures.md): a backup is the snapshot and transaction logs (dataDir and dataLogDir
// version-2) copied from a member that reports healthy, under timestamped names.
import { Readable } from "node:stream";
import { archiveOf, entryNames, underPrefix } from "../docker";
import { monoNow } from "../history";
import type { StartedEnsemble } from "../runtime";
import { hostnameOf, MemberId, ZK_PATHS } from "../topology";
import { srvr } from "../zk";
import type { BackupStore } from "./store";

export interface Backup {
  readonly member: MemberId;
  /** When the copy started and ended (ms since the epoch). Everything acknowledged before `startedAt` is in it. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The same moments on the history's monotonic clock: what the restore check compares writes with. */
  readonly startedMono: number;
  readonly endedMono: number;
  /** The member's last zxid just before the copy. */
  readonly zxid: string;
  readonly files: { readonly data: string; readonly datalog: string };
  readonly bytes: number;
  readonly location: string;
}

const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.(\d+)Z$/, "$1Z");

/** Copies `member`'s version-2 folders into `store`; refuses a member that does not serve. */
export async function takeBackup(e: StartedEnsemble, member: MemberId, store: BackupStore): Promise<Backup> {
  const status = await srvr(e.endpoint(member));
  if (!status.serving) throw new Error(`member ${member} does not serve (${status.raw.trim()}); back up from a healthy member`);
  const containerId = e.containerIdOf(member);
  const startedAt = Date.now();
  const startedMono = monoNow();
  const data = await archiveOf(containerId, `${ZK_PATHS.dataDir}/version-2`);
  const datalog = await archiveOf(containerId, `${ZK_PATHS.dataLogDir}/version-2`);
  const endedAt = Date.now();
  const endedMono = monoNow();
  const base = `${hostnameOf(member)}-${stamp(startedAt)}`;
  const files = { data: `${base}-data.tar`, datalog: `${base}-datalog.tar` };
  await store.put(files.data, data);
  await store.put(files.datalog, datalog);
  return { member, startedAt, endedAt, startedMono, endedMono, zxid: `0x${status.zxid.toString(16)}`, files, bytes: data.length + datalog.length, location: store.location };
}

/** The archives a member restores from, staged under /zkdrill/restore; zk-run.sh moves them into place before start. */
export async function restoreArchives(backup: Backup, store: BackupStore): Promise<Array<{ tar: () => Readable; target: string }>> {
  const archives = { data: await store.get(backup.files.data), datalog: await store.get(backup.files.datalog) };
  // A backup with no snapshot and no transaction log would start an empty ensemble that looks restored.
  const held = [...(await entryNames(archives.data)), ...(await entryNames(archives.datalog))].filter((n) => /(^|\/)(snapshot|log)\.[0-9a-f]+$/.test(n));
  if (held.length === 0) throw new Error(`backup ${backup.files.data} + ${backup.files.datalog} in ${store.location} holds no snapshot and no transaction log (version-2 is empty or missing): nothing to restore; take the backup again from a member that serves`);
  const data = await underPrefix(archives.data, "restore/data");
  const datalog = await underPrefix(archives.datalog, "restore/datalog");
  return [
    { tar: () => Readable.from(data), target: "/zkdrill" },
    { tar: () => Readable.from(datalog), target: "/zkdrill" },
  ];
}
