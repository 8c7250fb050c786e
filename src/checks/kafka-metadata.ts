// The ZooKeeper-to-KRaft migration, judged (issue 29). The guide's promise is that the KRaft quorum
// takes over the cluster's metadata as ZooKeeper held it: every topic with its id, its partitions and
// their replicas in order, and its configuration overrides (and ACLs, where there are any). And that
// the migration got where the drill says it did: /migration records the copied metadata's offset and
// /controller names a KRaft controller; after a revert, a broker controls again. Pure: the drill reads
// ZooKeeper (src/kafka/zk-metadata.ts) and the cluster's own tools (src/kafka/metadata-lines.ts).
import { CheckResult, inconclusive, some, verdict } from "./result";

export interface TopicMetadata {
  readonly topic: string;
  /** Absent when the source does not show it. */
  readonly topicId?: string;
  /** Partition number -> its replicas in assignment order (the first is the preferred leader). */
  readonly partitions: Readonly<Record<string, readonly number[]>>;
  /** The topic's configuration overrides (not the brokers' defaults). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface KafkaMetadata {
  /** Where it was read ("ZooKeeper before the migration", "the KRaft brokers"...). */
  readonly source: string;
  readonly topics: readonly TopicMetadata[];
  /** ACL bindings, one text each (ZooKeeper: /kafka-acl paths' contents); empty when there are none. */
  readonly acls: readonly string[];
  /** What could not be read, by what. */
  readonly errors: Readonly<Record<string, string>>;
}

export interface MetadataInput {
  readonly before: KafkaMetadata;
  readonly after: KafkaMetadata;
}

/** Kafka's own topics (__consumer_offsets...) appear when a client first needs them: new ones are not a difference. */
const internal = (topic: string) => topic.startsWith("__");

const list = (xs: readonly number[]) => `[${xs.join(",")}]`;

/** Each difference between two readings of one topic, in words. */
function topicDifferences(b: TopicMetadata, a: TopicMetadata): string[] {
  const out: string[] = [];
  if (b.topicId && a.topicId && b.topicId !== a.topicId) out.push(`${b.topic}: topic id ${b.topicId} became ${a.topicId}`);
  const parts = new Set([...Object.keys(b.partitions), ...Object.keys(a.partitions)]);
  for (const p of [...parts].sort((x, y) => Number(x) - Number(y))) {
    const rb = b.partitions[p];
    const ra = a.partitions[p];
    if (!ra) out.push(`${b.topic}-${p}: gone`);
    else if (!rb) out.push(`${b.topic}-${p}: new, replicas ${list(ra)}`);
    else if (list(rb) !== list(ra)) out.push(`${b.topic}-${p}: replicas ${list(rb)} became ${list(ra)}`);
  }
  const keys = new Set([...Object.keys(b.configs), ...Object.keys(a.configs)]);
  for (const k of [...keys].sort()) {
    if (b.configs[k] !== a.configs[k]) out.push(`${b.topic}: config ${k} ${b.configs[k] ?? "(unset)"} became ${a.configs[k] ?? "(unset)"}`);
  }
  return out;
}

/** The metadata after equals the metadata before: topics, ids, partitions and replicas, configs, ACLs. */
export function metadataMatches(input: MetadataInput): CheckResult {
  const { before, after } = input;
  const name = `the metadata in ${after.source} equals ${before.source} (topics, partitions, replicas, configs, ACLs)`;
  const evidence = { before, after };
  if (Object.keys(before.errors).length > 0) return inconclusive(name, `${before.source} could not be read: ${JSON.stringify(before.errors)}`, evidence);
  if (Object.keys(after.errors).length > 0) return inconclusive(name, `${after.source} could not be read: ${JSON.stringify(after.errors)}`, evidence);
  if (before.topics.length === 0) return inconclusive(name, `${before.source} held no topic to compare`, evidence);
  const byName = new Map(after.topics.map((t) => [t.topic, t]));
  const differences: string[] = [];
  for (const b of before.topics) {
    const a = byName.get(b.topic);
    if (!a) differences.push(`${b.topic}: missing`);
    else differences.push(...topicDifferences(b, a));
  }
  const known = new Set(before.topics.map((t) => t.topic));
  for (const a of after.topics) if (!known.has(a.topic) && !internal(a.topic)) differences.push(`${a.topic}: not in ${before.source}`);
  const acls = new Set(after.acls);
  for (const acl of before.acls) if (!acls.has(acl)) differences.push(`ACL missing: ${acl}`);
  for (const acl of after.acls) if (!before.acls.includes(acl)) differences.push(`ACL added: ${acl}`);
  const partitions = before.topics.reduce((n, t) => n + Object.keys(t.partitions).length, 0);
  const configs = before.topics.reduce((n, t) => n + Object.keys(t.configs).length, 0);
  const figure = `${before.topics.length} topic(s), ${partitions} partition(s), ${configs} config override(s), ${before.acls.length} ACL(s)`;
  return verdict(name, differences.length === 0, differences.length === 0 ? `${figure}: the same` : `${differences.length} difference(s) over ${figure}: ${some(differences, 6)}`, { ...evidence, differences });
}

/** What ZooKeeper says of the migration: /controller's holder and /migration's record of the copy. */
export interface MigrationReading {
  /** /controller's brokerid (a KRaft controller's node id while it controls), null when absent. */
  readonly controller: number | null;
  /** /controller's kraftControllerEpoch: present and >= 0 only when a KRaft controller wrote it. */
  readonly kraftControllerEpoch: number | null;
  /** /migration as Kafka encodes it, null when absent (never migrated, or cleared by a revert). */
  readonly migration: { readonly kraftControllerId: number; readonly kraftMetadataOffset: number; readonly kraftMetadataEpoch: number } | null;
  readonly errors: Readonly<Record<string, string>>;
}

export interface MigrationStateInput {
  /**
   * `migrated`: the KRaft quorum copied the metadata and controls; `reverted`: a ZooKeeper-mode broker
   * controls again; `stalled`: the copy never began, a ZooKeeper-mode broker still controls, and the
   * controllers said why (`waitingLines`).
   */
  readonly expect: "migrated" | "reverted" | "stalled";
  readonly reading: MigrationReading;
  readonly controllers: readonly number[];
  readonly brokers: readonly number[];
  /** The controllers' log lines "Completed migration of metadata from ZooKeeper to KRaft" (the guide's sign). */
  readonly completedLines: readonly string[];
  /** `stalled`: the controllers' lines that they wait for the brokers to register (KRaftMigrationDriver). */
  readonly waitingLines?: readonly string[];
  /** `stalled`: the controllers' lines refusing a broker's registration, when the reason is its IBP. */
  readonly refusedLines?: readonly string[];
  /** `stalled`: how long the copy was given. */
  readonly waitedMs?: number;
}

const NAMES: Record<MigrationStateInput["expect"], string> = {
  migrated: "the metadata migrated to KRaft: /migration holds its offset, a KRaft controller controls",
  reverted: "reverted to ZooKeeper mode: a broker controls, no KRaft controller in /controller",
  stalled: "the migration never began: no copy in /migration, a broker still controls, the controllers wait for the brokers",
};

/** A log line shortened to its message, for a summary. */
const cite = (line: string): string => {
  // "[time] LEVEL [Logger id=N] message (class)": the message.
  const m = line.replace(/^\[[^\]]*\]\s+\w+\s+(\[[^\]]*\]\s+)?/, "").replace(/ \([\w.$]+\)$/, "").trim();
  return m.length > 300 ? `${m.slice(0, 300)}...` : m;
};

export function migrationState(input: MigrationStateInput): CheckResult {
  const { reading: r } = input;
  const name = NAMES[input.expect];
  if (Object.keys(r.errors).length > 0 && r.controller === null && r.migration === null) return inconclusive(name, `ZooKeeper could not be read: ${JSON.stringify(r.errors)}`, { ...input });
  const kraftControls = r.controller !== null && (r.kraftControllerEpoch ?? -1) >= 0 && input.controllers.includes(r.controller);
  const holder = r.controller === null ? "no /controller" : `/controller names ${r.controller}${(r.kraftControllerEpoch ?? -1) >= 0 ? ` (KRaft controller epoch ${r.kraftControllerEpoch})` : ""}`;
  if (input.expect === "migrated") {
    // ZkMigrationLeadershipState.initialZkMigrationComplete(): the copy is done once the offset is above 0.
    const copied = r.migration !== null && r.migration.kraftMetadataOffset > 0;
    const problems = [...(copied ? [] : [r.migration ? `/migration's kraft_metadata_offset is ${r.migration.kraftMetadataOffset}` : "no /migration znode"]), ...(kraftControls ? [] : [`${holder}, not a KRaft controller of ${input.controllers.join(", ")}`])];
    const logged = input.completedLines.length > 0 ? "; the controller logged the migration's completion" : "; no controller log line of its completion read";
    return verdict(name, problems.length === 0, problems.length === 0 ? `/migration at offset ${r.migration!.kraftMetadataOffset} (epoch ${r.migration!.kraftMetadataEpoch}), ${holder}${logged}` : problems.join("; "), { ...input });
  }
  const brokerControls = r.controller !== null && input.brokers.includes(r.controller) && (r.kraftControllerEpoch ?? -1) < 0;
  if (input.expect === "stalled") {
    const copied = r.migration !== null && r.migration.kraftMetadataOffset > 0;
    const waiting = input.waitingLines ?? [];
    const refused = input.refusedLines ?? [];
    const within = input.waitedMs !== undefined ? ` within ${Math.round(input.waitedMs / 1000)} s` : "";
    // A stall without the controllers' reason could be anything (a dead quorum, a network cut): not this pitfall.
    const problems = [
      ...(copied ? [`the copy happened${within} (/migration at offset ${r.migration!.kraftMetadataOffset})`] : []),
      ...(brokerControls ? [] : [`${holder}, not a ZooKeeper-mode broker of ${input.brokers.join(", ")}`]),
      ...(waiting.length > 0 ? [] : ["no controller logged that it waits for the brokers to register with KRaft"]),
    ];
    if (problems.length > 0) return verdict(name, false, problems.join("; "), { ...input });
    const why = refused.length > 0 ? `; ${refused.length} registration(s) refused: "${cite(refused[refused.length - 1]!)}"` : "";
    return verdict(name, true, `no copy${within}, ${holder} (a ZooKeeper-mode broker); the controllers logged ${waiting.length} time(s) "${cite(waiting[waiting.length - 1]!)}"${why}`, { ...input });
  }
  const left = r.migration ? `; /migration left at offset ${r.migration.kraftMetadataOffset} (the guide clears it only when reverting from "Enter Migration Mode on the brokers")` : "; no /migration";
  return verdict(name, brokerControls, brokerControls ? `${holder}, a ZooKeeper-mode broker${left}` : `${holder}, not a ZooKeeper-mode broker of ${input.brokers.join(", ")}${left}`, { ...input });
}
