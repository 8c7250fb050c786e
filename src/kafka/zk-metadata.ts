// What the ZooKeeper-to-KRaft migration reads from ZooKeeper and what it leaves there, through the
// project's client (recorded in the history as evidence reads): the cluster id the controllers are
// formatted with, the topics with their ids, replicas and config overrides, the ACLs, and the
// migration's own znodes (/migration, /controller). The guide's `zookeeper-shell.sh` steps too (rmr
// /controller, get and rmr /migration). Paths are Kafka's (kafka.zk.ZkData), under the chroot.
import type { KafkaMetadata, MigrationReading, TopicMetadata } from "../checks";
import type { HistoryRecorder } from "../history";
import { errorKind, ZkClient } from "../zk";

export interface ZkPlace {
  readonly connectString: string;
  readonly members: readonly number[];
  readonly chroot: string;
  readonly history?: HistoryRecorder;
  readonly timeoutMs?: number;
}

function withClient<T>(p: ZkPlace, work: (c: ZkClient) => Promise<T>): Promise<T> {
  const timeoutMs = p.timeoutMs ?? 10_000;
  return ZkClient.with(p.connectString, work, { connectTimeoutMs: timeoutMs, opTimeoutMs: timeoutMs, ...(p.history ? { record: { history: p.history, role: "kafka evidence", members: p.members } } : {}) });
}

const json = async (c: ZkClient, path: string): Promise<Record<string, unknown>> => JSON.parse((await c.getData(path)).data.toString("utf8")) as Record<string, unknown>;

const why = (err: unknown) => (errorKind(err) === "OTHER" ? String((err as Error)?.message ?? err) : `${errorKind(err)}: ${String((err as Error)?.message ?? "")}`);

const isNoNode = (err: unknown) => errorKind(err) === "NO_NODE";

/** /cluster/id: the id the KRaft controllers must be formatted with ("Provisioning the KRaft controller quorum"). */
export async function readClusterId(p: ZkPlace): Promise<string> {
  const o = await withClient(p, (c) => json(c, `${p.chroot}/cluster/id`));
  if (typeof o.id !== "string") throw new Error(`${p.chroot}/cluster/id holds no id: ${JSON.stringify(o)}; has a broker ever started on this chroot?`);
  return o.id;
}

/** Every topic under /brokers/topics with its replicas and id, its overrides under /config/topics, the ACLs under /kafka-acl. */
export async function readZkMetadata(p: ZkPlace, source: string): Promise<KafkaMetadata> {
  const errors: Record<string, string> = {};
  const topics: TopicMetadata[] = [];
  const acls: string[] = [];
  await withClient(p, async (c) => {
    const names = (await c.getChildren(`${p.chroot}/brokers/topics`)).sort();
    for (const topic of names) {
      const t = await json(c, `${p.chroot}/brokers/topics/${topic}`);
      const cfg = await json(c, `${p.chroot}/config/topics/${topic}`).catch((err) => (isNoNode(err) ? { config: {} } : Promise.reject(err)));
      const partitions = (t.partitions ?? {}) as Record<string, number[]>;
      topics.push({ topic, ...(typeof t.topic_id === "string" ? { topicId: t.topic_id } : {}), partitions, configs: (cfg.config ?? {}) as Record<string, string> });
    }
    // /kafka-acl/<resource type>/<name>: {"version":1,"acls":[{principal, permissionType, operation, host}]} (kafka.zk.ZkAclStore).
    const types = await c.getChildren(`${p.chroot}/kafka-acl`).catch((err) => (isNoNode(err) ? [] : Promise.reject(err)));
    for (const type of types.sort()) {
      for (const resource of (await c.getChildren(`${p.chroot}/kafka-acl/${type}`)).sort()) {
        const a = await json(c, `${p.chroot}/kafka-acl/${type}/${resource}`);
        for (const e of (a.acls ?? []) as Array<Record<string, string>>) acls.push(`${e.principal} ${e.permissionType} ${e.operation} from ${e.host} on ${type}:${resource}`);
      }
    }
  }).catch((err) => {
    errors.zookeeper = why(err);
  });
  return { source, topics, acls: acls.sort(), errors };
}

/** /controller and /migration as Kafka writes them (ControllerZNode, MigrationZNode). */
export async function readMigration(p: ZkPlace): Promise<MigrationReading> {
  const errors: Record<string, string> = {};
  let controller: number | null = null;
  let kraftControllerEpoch: number | null = null;
  let migration: MigrationReading["migration"] = null;
  await withClient(p, async (c) => {
    const ctl = await json(c, `${p.chroot}/controller`).catch((err) => (isNoNode(err) ? null : Promise.reject(err)));
    if (ctl) {
      controller = Number(ctl.brokerid);
      kraftControllerEpoch = ctl.kraftControllerEpoch === undefined ? null : Number(ctl.kraftControllerEpoch);
    }
    const m = await json(c, `${p.chroot}/migration`).catch((err) => (isNoNode(err) ? null : Promise.reject(err)));
    if (m) migration = { kraftControllerId: Number(m.kraft_controller_id), kraftMetadataOffset: Number(m.kraft_metadata_offset), kraftMetadataEpoch: Number(m.kraft_metadata_epoch) };
  }).catch((err) => {
    errors.zookeeper = why(err);
  });
  return { controller, kraftControllerEpoch, migration, errors };
}

/**
 * The guide's revert by zookeeper-shell.sh: `rmr /controller` (a broker may then become the old-style
 * controller) and, when asked, `get /migration` then `rmr /migration`. Both are leaves. Returns what
 * /migration held, for the journal ("The data read from /migration can be useful for debugging").
 */
export async function removeMigrationZnodes(p: ZkPlace, o: { migration: boolean }): Promise<{ controllerRemoved: boolean; migration: string | null }> {
  return withClient(p, async (c) => {
    const controllerRemoved = await c.remove(`${p.chroot}/controller`).then(
      () => true,
      (err) => (isNoNode(err) ? false : Promise.reject(err)),
    );
    if (!o.migration) return { controllerRemoved, migration: null };
    const migration = await c.getData(`${p.chroot}/migration`).then(
      (r) => r.data.toString("utf8"),
      (err) => (isNoNode(err) ? null : Promise.reject(err)),
    );
    if (migration !== null) await c.remove(`${p.chroot}/migration`);
    return { controllerRemoved, migration };
  });
}
