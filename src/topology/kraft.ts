// The ZooKeeper-to-KRaft migration as configuration (Apache Kafka 3.9 documentation, "ZooKeeper to KRaft
// Migration", docs/ops.html#kraft_zk_migration): the properties a broker runs with in each phase, and a
// KRaft controller's before and after the migration is finalized. Pure: what an operator writes at each
// step of the guide, so the drill's restarts are the guide's restarts and the unit tests read the guide.
import { brokerById, brokerHostname, effectiveSettings, KAFKA_DATA_DIR, KAFKA_PORT, zookeeperConnect } from "./brokers";
import type { BrokerId, KraftController, Topology } from "./types";

/** The controllers' listener, as the guide's samples name and number it. */
export const CONTROLLER_LISTENER = "CONTROLLER";
export const CONTROLLER_PORT = 9093;
/**
 * "Preparing for migration": the brokers run 3.9 with inter.broker.protocol.version=3.9 before anything
 * else, and it is never changed during the migration ("Limitations").
 */
export const MIGRATION_IBP = "3.9";
const IBP = "inter.broker.protocol.version";

/**
 * Where a broker is in the guide: `zookeeper` (ZooKeeper mode, IBP set for the migration), `migration`
 * ("Enter Migration Mode on the Brokers": still ZooKeeper mode, talking to the controllers), `kraft`
 * ("Migrating brokers to KRaft": process.roles=broker, no ZooKeeper at all).
 */
export type BrokerMode = "zookeeper" | "migration" | "kraft";

/** A controller in migration mode (it reads and dual-writes ZooKeeper), or after "Finalizing the migration". */
export type ControllerMode = "migration" | "finalized";

export function controllerHostname(id: BrokerId): string {
  return `kraft${id}`;
}

export function controllersOf(t: Topology): readonly KraftController[] {
  return t.kafka?.controllers ?? [];
}

export function controllerById(t: Topology, id: BrokerId): KraftController {
  const c = controllersOf(t).find((x) => x.id === id);
  if (!c) throw new Error(`KRaft controller ${id} is not in topology "${t.name}"; controllers are ${controllersOf(t).map((x) => x.id).join(", ") || "none (add kafka.controllers to the topology)"}`);
  return c;
}

/**
 * controller.quorum.voters: every controller as id@host:port. A static quorum, not the guide's sample
 * controller.quorum.bootstrap.servers: three controllers formatted alike need no --initial-controllers
 * directory ids, and KafkaConfig accepts either for the migration (validateQuorumVotersAndQuorumBootstrapServerForMigration).
 */
export function quorumVoters(t: Topology): string {
  const cs = controllersOf(t);
  if (cs.length === 0) throw new Error(`topology "${t.name}" has no KRaft controllers; add kafka.controllers (ids apart from the brokers', in the brokers' zone) to migrate`);
  return cs.map((c) => `${c.id}@${controllerHostname(c.id)}:${CONTROLLER_PORT}`).join(",");
}

const lines = (header: string, entries: ReadonlyArray<readonly [string, string]>): string => `${[header, ...entries.map(([k, v]) => `${k}=${v}`)].join("\n")}\n`;

const sorted = (o: Record<string, string>): Array<[string, string]> => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));

/**
 * The cluster's broker settings a broker keeps in `mode`, without the IBP (brokerIbp places it): in KRaft
 * mode no ZooKeeper client setting is left.
 */
function settingsFor(t: Topology, id: BrokerId, mode: BrokerMode): Record<string, string> {
  const s = Object.fromEntries(Object.entries(effectiveSettings(t, id)).filter(([k]) => k !== IBP));
  if (mode !== "kraft") return s;
  return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith("zookeeper.")));
}

/**
 * The IBP a ZooKeeper-mode broker runs with: the operator's value at this restart, else the topology's
 * (a cluster whose IBP was left behind, the pitfall the guide's "Preparing for migration" prevents), else
 * the guide's 3.9 when there are controllers to migrate to; none for the plain ZooKeeper-mode broker.
 */
export function brokerIbp(t: Topology, id: BrokerId, ibp?: string): string | undefined {
  return ibp ?? effectiveSettings(t, id)[IBP] ?? (controllersOf(t).length > 0 ? MIGRATION_IBP : undefined);
}

/** server.properties of broker `id` at a step of the migration guide; `ibp` overrides its IBP (ZooKeeper and migration mode). */
export function brokerProperties(t: Topology, id: BrokerId, mode: BrokerMode, ibp?: string): string {
  const b = brokerById(t, id);
  const header = `# server.properties of broker ${id} (${brokerHostname(id)}, zone ${b.zone}), topology ${t.name}, ${mode} mode; written by zkdrill`;
  const listeners: Array<[string, string]> = [
    ["listeners", `PLAINTEXT://0.0.0.0:${KAFKA_PORT}`],
    ["advertised.listeners", `PLAINTEXT://${brokerHostname(id)}:${KAFKA_PORT}`],
    ["log.dirs", KAFKA_DATA_DIR],
  ];
  // "Enter Migration Mode on the Brokers" and "Migrating brokers to KRaft": the controller listener known to the broker.
  const toControllers = (): Array<[string, string]> => [
    ["listener.security.protocol.map", `PLAINTEXT:PLAINTEXT,${CONTROLLER_LISTENER}:PLAINTEXT`],
    ["controller.quorum.voters", quorumVoters(t)],
    ["controller.listener.names", CONTROLLER_LISTENER],
  ];
  const settings = sorted(settingsFor(t, id, mode));
  const version = brokerIbp(t, id, ibp);
  if (mode === "zookeeper") {
    const ibpLine: Array<[string, string]> = version !== undefined ? [[IBP, version]] : [];
    return lines(header, [["broker.id", String(id)], ["zookeeper.connect", zookeeperConnect(t)], ...listeners, ...ibpLine, ...settings]);
  }
  if (mode === "migration") {
    return lines(header, [["broker.id", String(id)], ["zookeeper.connect", zookeeperConnect(t)], ...listeners, [IBP, version ?? MIGRATION_IBP], ["zookeeper.metadata.migration.enable", "true"], ...toControllers(), ...settings]);
  }
  // The guide: broker.id becomes node.id (the same id), process.roles=broker; no IBP (metadata.version
  // rules now), no migration flag, no zookeeper.connect.
  return lines(header, [["process.roles", "broker"], ["node.id", String(id)], ...listeners, ...toControllers(), ...settings]);
}

/** controller.properties of KRaft controller `id`: the guide's sample, in migration mode or finalized. */
export function controllerProperties(t: Topology, id: BrokerId, mode: ControllerMode): string {
  const c = controllerById(t, id);
  const session = t.kafka!.settings["zookeeper.session.timeout.ms"];
  const zk: Array<[string, string]> =
    mode === "migration"
      ? [
          ["zookeeper.metadata.migration.enable", "true"],
          ["zookeeper.connect", zookeeperConnect(t)],
          ...(session !== undefined ? ([["zookeeper.session.timeout.ms", session]] as Array<[string, string]>) : []),
        ]
      : [];
  return lines(`# controller.properties of KRaft controller ${id} (${controllerHostname(id)}, zone ${c.zone}), topology ${t.name}, ${mode}; written by zkdrill`, [
    ["process.roles", "controller"],
    ["node.id", String(id)],
    ["controller.quorum.voters", quorumVoters(t)],
    ["controller.listener.names", CONTROLLER_LISTENER],
    ["listeners", `${CONTROLLER_LISTENER}://0.0.0.0:${CONTROLLER_PORT}`],
    ["advertised.listeners", `${CONTROLLER_LISTENER}://${controllerHostname(id)}:${CONTROLLER_PORT}`],
    ["listener.security.protocol.map", `${CONTROLLER_LISTENER}:PLAINTEXT,PLAINTEXT:PLAINTEXT`],
    // The guide's sample: the listener the controller uses to send controller RPCs to the ZooKeeper-mode brokers.
    ["inter.broker.listener.name", "PLAINTEXT"],
    ["log.dirs", KAFKA_DATA_DIR],
    ...zk,
  ]);
}
