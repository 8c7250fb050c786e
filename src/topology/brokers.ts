// Kafka brokers on the ensemble (seed 003: a Kafka cluster in the production centre), as data: the
// `kafka:` block of a topology, its validation, and the server.properties an operator writes. Only
// settings zkdrill knows are accepted, so a misspelt key is an error, never silently ignored. The shape
// (Broker, KafkaCluster) is in types.ts with the rest of the model.
import { z } from "zod";
import { Broker, BrokerId, hostnameOf, KafkaCluster, Topology, ZoneName } from "./types";
import { closest } from "../common";

type Kind = { readonly type: "int"; readonly min: number; readonly max: number } | { readonly type: "bool" } | { readonly type: "version" };

const int = (min: number, max: number): Kind => ({ type: "int", min, max });
const bool: Kind = { type: "bool" };
/** A MetadataVersion as Kafka parses it: "3.8" or "3.8-IV0". */
const version: Kind = { type: "version" };

/** The settings a drill may give (Kafka 3.9's names), each with the values Kafka accepts. */
export const KAFKA_SETTING_KEYS: Readonly<Record<string, Kind>> = {
  "zookeeper.session.timeout.ms": int(1_000, 600_000),
  "zookeeper.connection.timeout.ms": int(1_000, 600_000),
  "zookeeper.max.in.flight.requests": int(1, 1_000),
  "default.replication.factor": int(1, 100),
  "min.insync.replicas": int(1, 100),
  "num.partitions": int(1, 10_000),
  "unclean.leader.election.enable": bool,
  "auto.create.topics.enable": bool,
  "auto.leader.rebalance.enable": bool,
  "controlled.shutdown.enable": bool,
  "offsets.topic.replication.factor": int(1, 100),
  "offsets.topic.num.partitions": int(1, 1_000),
  "transaction.state.log.replication.factor": int(1, 100),
  "transaction.state.log.min.isr": int(1, 100),
  "replica.lag.time.max.ms": int(1_000, 600_000),
  "group.initial.rebalance.delay.ms": int(0, 600_000),
  "num.network.threads": int(1, 64),
  "num.io.threads": int(1, 64),
  "num.replica.fetchers": int(1, 64),
  "log.segment.bytes": int(14, 2 ** 31 - 1),
  // A cluster whose IBP was left behind (quote it in YAML: 3.10 would read as 3.1).
  "inter.broker.protocol.version": version,
};

/** Written by the harness from the topology; a drill giving them would break the wiring. */
const HARNESS_KEYS = ["broker.id", "zookeeper.connect", "listeners", "advertised.listeners", "log.dirs"];

/** Kafka's own default, used when a drill does not say. */
export const KAFKA_DEFAULT_SESSION_TIMEOUT_MS = 18_000;
export const KAFKA_PORT = 9092;
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";

const value = z.union([z.string(), z.number(), z.boolean()]);
const settingsSchema = z.record(z.string(), value).default({});

export const kafkaSchema = z.strictObject({
  chroot: z.string().default("/kafka"),
  settings: settingsSchema,
  brokers: z
    .array(
      z.strictObject({
        id: z.number().int("whole numbers").min(0, "must be 0..999 (Kafka's broker.id)").max(999, "must be 0..999 (Kafka's broker.id)"),
        zone: z.string({ error: "must name the broker's zone (one of the zones listed under zones)" }),
        heapMb: z.number().int("whole MB").min(128, "must be 128..8192 MB (a broker below 128 MB does not start)").max(8192, "must be 128..8192 MB").default(256),
        settings: settingsSchema,
      }),
    )
    .min(1, "list at least one broker, or leave the kafka block out"),
  // KRaft controllers for the migration off ZooKeeper (src/topology/kraft.ts): absent, none.
  controllers: z
    .array(
      z.strictObject({
        id: z.number().int("whole numbers").min(0, "must be 0..2147483647 (Kafka's node.id)").max(2 ** 31 - 1, "must be 0..2147483647 (Kafka's node.id)"),
        zone: z.string({ error: "must name the controller's zone (one of the zones listed under zones)" }),
        heapMb: z.number().int("whole MB").min(128, "must be 128..8192 MB").max(8192, "must be 128..8192 MB").default(256),
      }),
    )
    .default([]),
});

export type KafkaInput = z.input<typeof kafkaSchema>;
type KafkaParsed = z.output<typeof kafkaSchema>;

export function brokerHostname(id: BrokerId): string {
  return `kafka${id}`;
}

function settingProblems(where: string, settings: Readonly<Record<string, string | number | boolean>>): string[] {
  const problems: string[] = [];
  const known = Object.keys(KAFKA_SETTING_KEYS);
  for (const [key, raw] of Object.entries(settings)) {
    if (HARNESS_KEYS.includes(key)) {
      problems.push(`${where}."${key}": zkdrill writes ${key} itself from the topology (ids, zones, the ensemble's hostnames); remove it`);
      continue;
    }
    const kind = KAFKA_SETTING_KEYS[key];
    if (!kind) {
      const near = closest(key, known);
      const hint = near ? `did you mean "${near}"? ` : "";
      problems.push(`${where}."${key}": not a Kafka setting zkdrill knows; ${hint}known settings: ${known.join(", ")}`);
      continue;
    }
    const text = String(raw).trim();
    if (kind.type === "bool" && !/^(true|false)$/.test(text)) problems.push(`${where}."${key}": must be true or false, not ${JSON.stringify(raw)}`);
    if (kind.type === "version" && !/^\d+\.\d+(-IV\d+)?$/.test(text)) problems.push(`${where}."${key}": must be a Kafka version such as "3.8" or "3.8-IV0", not ${JSON.stringify(raw)}`);
    if (kind.type === "int" && (!/^-?\d+$/.test(text) || Number(text) < kind.min || Number(text) > kind.max)) {
      problems.push(`${where}."${key}": must be a whole number ${kind.min}..${kind.max}, not ${JSON.stringify(raw)}`);
    }
  }
  return problems;
}

const asText = (s: Readonly<Record<string, string | number | boolean>>): Record<string, string> => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v).trim()]));

/** The cross-field rules for the kafka block: zones, ids, settings, and replication that the brokers can hold. */
export function kafkaProblems(k: KafkaParsed, zones: readonly ZoneName[]): string[] {
  const problems: string[] = [];
  if (!/^\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(k.chroot)) problems.push(`topology.kafka.chroot: "${k.chroot}" must be an absolute znode path without a trailing slash, e.g. /kafka`);
  problems.push(...settingProblems("topology.kafka.settings", k.settings));
  const ids = new Set<number>();
  k.brokers.forEach((b, i) => {
    if (ids.has(b.id)) problems.push(`topology.kafka.brokers[${i}].id: ${b.id} is used twice; give every broker its own id`);
    ids.add(b.id);
    if (!zones.includes(b.zone)) problems.push(`topology.kafka.brokers[${i}].zone: "${b.zone}" is not a zone; zones are ${zones.join(", ")}`);
    problems.push(...settingProblems(`topology.kafka.brokers[${i}].settings`, b.settings));
  });
  const first = k.brokers[0]?.zone;
  k.brokers.forEach((b, i) => {
    // Broker-to-broker and client traffic has no gateway between zones: only ZooKeeper's ports do.
    if (b.zone !== first) problems.push(`topology.kafka.brokers[${i}].zone: "${b.zone}" differs from broker ${k.brokers[0].id}'s "${first}"; zkdrill puts every broker of a cluster in one zone (their connections to ZooKeeper cross the gateways; broker and client traffic has none yet)`);
  });
  k.controllers.forEach((c, i) => {
    // KRaft: brokers and controllers share the node id space (Kafka's migration guide, "Provisioning the KRaft controller quorum").
    if (ids.has(c.id)) problems.push(`topology.kafka.controllers[${i}].id: ${c.id} is already a broker's or another controller's id; brokers and controllers share one node id space in KRaft`);
    ids.add(c.id);
    if (!zones.includes(c.zone)) problems.push(`topology.kafka.controllers[${i}].zone: "${c.zone}" is not a zone; zones are ${zones.join(", ")}`);
    else if (first !== undefined && c.zone !== first) problems.push(`topology.kafka.controllers[${i}].zone: "${c.zone}" differs from the brokers' "${first}"; controller and broker traffic has no gateway between zones yet, so zkdrill puts the controllers with the brokers`);
  });
  const n = k.brokers.length;
  for (const b of k.brokers) {
    const s = { ...asText(k.settings), ...asText(b.settings) };
    const rf = Number(s["default.replication.factor"] ?? 1);
    const isr = Number(s["min.insync.replicas"] ?? 1);
    for (const key of ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"]) {
      if (s[key] !== undefined && Number(s[key]) > n) problems.push(`topology.kafka.settings."${key}": ${s[key]} is more than the ${n} broker(s); lower it or add brokers`);
    }
    if (s["min.insync.replicas"] !== undefined && isr > rf) problems.push(`topology.kafka.settings."min.insync.replicas": ${isr} is above default.replication.factor ${rf}; acks=all writes could never succeed`);
  }
  return [...new Set(problems)];
}

/** The parsed block as the topology carries it (values as server.properties text). */
export function kafkaOf(k: KafkaParsed): KafkaCluster {
  return {
    chroot: k.chroot,
    settings: asText(k.settings),
    brokers: k.brokers.map((b) => ({ id: b.id, zone: b.zone, heapMb: b.heapMb, settings: asText(b.settings) })),
    controllers: k.controllers.map((c) => ({ id: c.id, zone: c.zone, heapMb: c.heapMb })),
  };
}

export function brokerById(t: Topology, id: BrokerId): Broker {
  const b = t.kafka?.brokers.find((x) => x.id === id);
  if (!b) throw new Error(`broker ${id} is not in topology "${t.name}"; brokers are ${t.kafka?.brokers.map((x) => x.id).join(", ") || "none (the topology has no kafka block)"}`);
  return b;
}

/** zookeeper.connect: the ensemble's real hostnames (every running member), then the chroot. */
export function zookeeperConnect(t: Topology): string {
  if (!t.kafka) throw new Error(`topology ${t.name} has no kafka block`);
  const hosts = t.members.filter((m) => !m.standby).map((m) => `${hostnameOf(m.id)}:${t.settings.clientPort}`);
  return `${hosts.join(",")}${t.kafka.chroot}`;
}

/**
 * What a broker runs with: the harness's defaults for a small cluster (internal topics replicated as
 * far as the brokers allow, no rebalance delay), then the cluster's settings, then the broker's own.
 */
export function effectiveSettings(t: Topology, id: BrokerId): Record<string, string> {
  const b = brokerById(t, id);
  const n = t.kafka!.brokers.length;
  const defaults: Record<string, string> = {
    "offsets.topic.replication.factor": String(Math.min(3, n)),
    "transaction.state.log.replication.factor": String(Math.min(3, n)),
    "transaction.state.log.min.isr": String(Math.min(2, n)),
    "group.initial.rebalance.delay.ms": "0",
  };
  return { ...defaults, ...t.kafka!.settings, ...b.settings };
}

/** The ZooKeeper session timeout the broker asks for (Kafka's default when not set). */
export function brokerSessionTimeoutMs(t: Topology, id: BrokerId): number {
  return Number(effectiveSettings(t, id)["zookeeper.session.timeout.ms"] ?? KAFKA_DEFAULT_SESSION_TIMEOUT_MS);
}

/** The servers' bounds on a session timeout: ZooKeeper negotiates any request into 2..20 ticks. */
export function negotiatedSessionTimeoutMs(requestedMs: number, tickTime: number): number {
  return Math.min(Math.max(requestedMs, 2 * tickTime), 20 * tickTime);
}

/** server.properties as an operator writes it for broker `id`. */
export function serverProperties(t: Topology, id: BrokerId): string {
  const b = brokerById(t, id);
  const lines = [
    `# server.properties of broker ${id} (${brokerHostname(id)}, zone ${b.zone}), topology ${t.name}; written by zkdrill`,
    `broker.id=${id}`,
    `zookeeper.connect=${zookeeperConnect(t)}`,
    `listeners=PLAINTEXT://0.0.0.0:${KAFKA_PORT}`,
    `advertised.listeners=PLAINTEXT://${brokerHostname(id)}:${KAFKA_PORT}`,
    `log.dirs=${KAFKA_DATA_DIR}`,
    ...Object.entries(effectiveSettings(t, id))
      .sort(([a], [b2]) => a.localeCompare(b2))
      .map(([k, v]) => `${k}=${v}`),
  ];
  return `${lines.join("\n")}\n`;
}
