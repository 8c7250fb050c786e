// What Kafka keeps in ZooKeeper, read through the project's client (recorded in the history as the
// drill's evidence reads): the brokers' ephemeral registrations, the controller and its epoch, and
// each partition's leader and ISR. The checks in src/checks/kafka.ts judge what is read here.
import type { HistoryRecorder } from "../history";
import { errorKind, ZkClient } from "../zk";

export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
  readonly isr: readonly number[];
  readonly leaderEpoch: number | null;
}

export interface KafkaZkState {
  /** Wall ms the reads finished. */
  readonly at: number;
  /** Broker ids registered under <chroot>/brokers/ids (ephemeral znodes). */
  readonly registered: readonly number[];
  /** The broker <chroot>/controller names, null when the znode is absent. */
  readonly controller: number | null;
  readonly controllerEpoch: number | null;
  readonly partitions: readonly PartitionState[];
  /** Reads that failed (no quorum, no node), by path. */
  readonly errors: Readonly<Record<string, string>>;
}

export interface ReadPlan {
  readonly connectString: string;
  /** The members the connect string names, in its order (for the history). */
  readonly members: readonly number[];
  readonly chroot: string;
  readonly topics?: readonly string[];
  readonly history?: HistoryRecorder;
  readonly timeoutMs?: number;
}

/** One session, bounded: what Kafka's znodes hold now. Failed reads are listed, not thrown. */
export async function readKafkaState(p: ReadPlan): Promise<KafkaZkState> {
  const errors: Record<string, string> = {};
  const timeoutMs = p.timeoutMs ?? 5_000;
  let registered: number[] = [];
  let controller: number | null = null;
  let controllerEpoch: number | null = null;
  const partitions: PartitionState[] = [];
  const text = async (c: ZkClient, path: string): Promise<string | null> => {
    try {
      return (await c.getData(path)).data.toString("utf8");
    } catch (err) {
      errors[path] = errorKind(err);
      return null;
    }
  };
  await ZkClient.with(
    p.connectString,
    async (c) => {
      const ids = `${p.chroot}/brokers/ids`;
      registered = await c.getChildren(ids).then(
        (xs) => xs.map(Number).sort((a, b) => a - b),
        (err) => ((errors[ids] = errorKind(err)), []),
      );
      const ctl = await text(c, `${p.chroot}/controller`);
      controller = ctl === null ? null : ((JSON.parse(ctl) as { brokerid?: number }).brokerid ?? null);
      const epoch = await text(c, `${p.chroot}/controller_epoch`);
      controllerEpoch = epoch === null ? null : Number(epoch);
      for (const topic of p.topics ?? []) {
        const dir = `${p.chroot}/brokers/topics/${topic}/partitions`;
        const ns = await c.getChildren(dir).then(
          (xs) => xs.map(Number).sort((a, b) => a - b),
          (err) => ((errors[dir] = errorKind(err)), [] as number[]),
        );
        for (const n of ns) {
          const raw = await text(c, `${dir}/${n}/state`);
          if (raw === null) continue;
          const s = JSON.parse(raw) as { leader: number; isr: number[]; leader_epoch?: number };
          partitions.push({ topic, partition: n, leader: s.leader, isr: [...s.isr].sort((a, b) => a - b), leaderEpoch: s.leader_epoch ?? null });
        }
      }
    },
    { connectTimeoutMs: timeoutMs, opTimeoutMs: timeoutMs, ...(p.history ? { record: { history: p.history, role: "kafka evidence", members: p.members } } : {}) },
  ).catch((err) => {
    errors.session = errorKind(err);
  });
  return { at: Date.now(), registered, controller, controllerEpoch, partitions, errors };
}
