// Parses and validates a topology (YAML, JSON or an object built in code).
// Every error names the field and says how to fix it; nothing downstream sees an invalid topology.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DEFAULT_SETTINGS, Link, Member, Topology, Zone } from "./types";
import { kafkaOf, kafkaProblems, kafkaSchema } from "./brokers";

export class TopologyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid topology ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TopologyError";
  }
}

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lowercase letters, digits and dashes, starting with a letter (it becomes a Docker network name)");

const zoneSchema = z.strictObject({
  name,
  region: name,
  // The Docker engine the zone's members run on: unix:///path, tcp://HOST:PORT, ssh://USER@HOST or a Docker context; default this machine's.
  host: z.string().min(1, "must name a Docker engine: unix:///var/run/docker.sock, tcp://HOST:2376, ssh://USER@HOST or a Docker context name").optional(),
});

const memberSchema = z.strictObject({
  id: z.number().int().min(1, "must be 1..255 (ZooKeeper's myid)").max(255, "must be 1..255 (ZooKeeper's myid)"),
  zone: z.string({ error: "must name the member's zone (one of the zones listed under zones)" }),
  role: z.enum(["participant", "observer"], { error: 'must be "participant" (votes) or "observer" (does not vote)' }).default("participant"),
  standby: z.boolean({ error: "must be true (configured, not started) or false" }).default(false),
  servers: z.array(z.number().int("must be member ids")).min(1, "list at least one server id").optional(),
  marksOnlyItself: z.boolean({ error: "must be true or false" }).optional(),
  extra: z.record(z.string(), z.union([z.string(), z.number()]).transform(String), { error: "must map zoo.cfg keys to values, e.g. {maxClientCnxns: 10}" }).optional(),
  datalogMb: z
    .number({ error: "must be the dataLogDir's size in whole MB, e.g. 64" })
    .int("whole MB")
    .min(8, "must be 8..4096 MB (ext4 needs a few MB of its own)")
    .max(4096, "must be 8..4096 MB")
    .optional(),
});

const linkSchema = z.strictObject({
  zones: z.tuple([z.string(), z.string()]),
  rttMs: z.number({ error: "must be the round trip in whole milliseconds, e.g. 30" }).int("whole milliseconds (Toxiproxy's unit); round it").min(0, "must be 0..10000 ms (a round trip cannot be negative)").max(10_000, "must be 0..10000 ms"),
  jitterMs: z.number().int("whole milliseconds (Toxiproxy's unit); round it").min(0, "must be 0..10000 ms").max(10_000, "must be 0..10000 ms").default(0),
  bandwidthKBps: z.number().int("whole KB/s").positive("must be more than 0 KB/s; leave it out for no limit").optional(),
});

const settingsSchema = z.strictObject({
  tickTime: z.number().int("whole milliseconds").min(100, "must be 100..60000 ms (ZooKeeper's tick; 2000 is its default)").max(60_000, "must be 100..60000 ms").default(DEFAULT_SETTINGS.tickTime),
  initLimit: z.number().int("whole ticks").min(1, "must be 1..1000 ticks (10 is ZooKeeper's default)").max(1000, "must be 1..1000 ticks").default(DEFAULT_SETTINGS.initLimit),
  syncLimit: z.number().int("whole ticks").min(1, "must be 1..1000 ticks (5 is ZooKeeper's default)").max(1000, "must be 1..1000 ticks").default(DEFAULT_SETTINGS.syncLimit),
  membership: z.enum(["static", "dynamic"], { error: 'must be "static" (zoo.cfg lists the servers) or "dynamic" (a dynamic config file, reconfig)' }).default(DEFAULT_SETTINGS.membership),
  clientPort: z.number().int().min(1, "must be a TCP port, 1..65535").max(65535, "must be a TCP port, 1..65535").default(DEFAULT_SETTINGS.clientPort),
  quorumPort: z.number().int().min(1, "must be a TCP port, 1..65535").max(65535, "must be a TCP port, 1..65535").default(DEFAULT_SETTINGS.quorumPort),
  electionPort: z.number().int().min(1, "must be a TCP port, 1..65535").max(65535, "must be a TCP port, 1..65535").default(DEFAULT_SETTINGS.electionPort),
});

const topologySchema = z.strictObject({
  name,
  description: z.string().default(""),
  zones: z.array(zoneSchema).min(1, "list at least one zone"),
  members: z.array(memberSchema).min(1, "list at least one member"),
  latency: z.array(linkSchema).default([]),
  settings: settingsSchema.default(settingsSchema.parse({})),
  kafka: kafkaSchema.optional(),
  copies: z
    .array(z.strictObject({ region: z.string().min(1, "must name the region the copy runs in"), sync: z.string().min(1, "must name what keeps the copy in step (an external sync tool)") }))
    .optional()
    .describe("Independent copies of this ensemble in other regions, kept in step outside ZooKeeper (P8 scheme 6)"),
});

export type TopologyInput = z.input<typeof topologySchema>;

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : `${acc}.${String(key)}`), "topology");
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return `${pathOf(issue.path)}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove them or check the spelling`;
    }
    return `${pathOf(issue.path)}: ${issue.message}`;
  });
}

/** The cross-field rules a schema cannot express. */
function semanticProblems(t: z.output<typeof topologySchema>): string[] {
  const problems: string[] = [];
  const zoneNames = t.zones.map((zone) => zone.name);
  const zoneList = zoneNames.join(", ");
  const seenZones = new Set<string>();
  t.zones.forEach((zone, i) => {
    if (seenZones.has(zone.name)) problems.push(`topology.zones[${i}].name: "${zone.name}" is listed twice; zone names must be unique`);
    seenZones.add(zone.name);
  });

  const ids = new Set<number>();
  t.members.forEach((m, i) => {
    if (ids.has(m.id)) problems.push(`topology.members[${i}].id: ${m.id} is used twice; give every member its own id`);
    ids.add(m.id);
    if (!seenZones.has(m.zone)) problems.push(`topology.members[${i}].zone: "${m.zone}" is not a zone; zones are ${zoneList}`);
  });
  t.members.forEach((m, i) => {
    if (!m.servers) return;
    for (const s of m.servers) {
      if (!ids.has(s)) problems.push(`topology.members[${i}].servers: ${s} is not a member id; members are ${[...ids].join(", ")}`);
    }
    if (!m.servers.includes(m.id)) {
      problems.push(`topology.members[${i}].servers: member ${m.id}'s own config must list server.${m.id}; add ${m.id} to its servers`);
    }
  });

  const running = t.members.filter((m) => !m.standby);
  if (running.length === 0) problems.push("topology.members: every member is a standby; mark at least one as running (standby: false)");
  if (!t.members.some((m) => m.role === "participant")) {
    problems.push("topology.members: no participant; an ensemble of observers cannot elect a leader; make at least one member role: participant");
  }

  t.latency.forEach((link, i) => {
    link.zones.forEach((z, j) => {
      if (!seenZones.has(z)) problems.push(`topology.latency[${i}].zones[${j}]: "${z}" is not a zone; zones are ${zoneList}`);
    });
    if (link.zones[0] === link.zones[1]) {
      problems.push(`topology.latency[${i}].zones: both ends are "${link.zones[0]}"; members of one zone talk directly, with no added latency; to put distance between members, place them in separate zones`);
    }
  });
  const linkKeys = new Map<string, number>();
  t.latency.forEach((link, i) => {
    const key = [...link.zones].sort().join("|");
    if (linkKeys.has(key)) problems.push(`topology.latency[${i}]: zones ${link.zones.join("-")} already have a latency at latency[${linkKeys.get(key)}]; keep one`);
    linkKeys.set(key, i);
  });
  for (let a = 0; a < zoneNames.length; a++) {
    for (let b = a + 1; b < zoneNames.length; b++) {
      const key = [zoneNames[a], zoneNames[b]].sort().join("|");
      if (!linkKeys.has(key)) {
        problems.push(`topology.latency: no round trip between "${zoneNames[a]}" and "${zoneNames[b]}"; add { zones: [${zoneNames[a]}, ${zoneNames[b]}], rttMs: <ms> }`);
      }
    }
  }

  const ports = t.settings;
  const portNames = ["clientPort", "quorumPort", "electionPort"] as const;
  for (let a = 0; a < portNames.length; a++) {
    for (let b = a + 1; b < portNames.length; b++) {
      if (ports[portNames[a]] === ports[portNames[b]]) {
        problems.push(`topology.settings.${portNames[b]}: ${ports[portNames[b]]} clashes with ${portNames[a]}; each port must differ`);
      }
    }
  }
  if (t.settings.syncLimit > t.settings.initLimit) {
    problems.push(`topology.settings.syncLimit: ${t.settings.syncLimit} is above initLimit ${t.settings.initLimit}; followers would time out syncing before they may join`);
  }
  if (t.kafka) problems.push(...kafkaProblems(t.kafka, zoneNames));
  return problems;
}

/** Validates an object (from a file or built in code) into a Topology, or throws TopologyError. */
export function parseTopology(input: unknown, source = "<inline>"): Topology {
  const result = topologySchema.safeParse(input);
  if (!result.success) throw new TopologyError(source, zodProblems(result.error));
  const t = result.data;
  const problems = semanticProblems(t);
  if (problems.length > 0) throw new TopologyError(source, problems);
  const zones: Zone[] = t.zones;
  const members: Member[] = t.members.map((m) => ({ ...m, servers: m.servers ? [...m.servers].sort((x, y) => x - y) : undefined }));
  const links: Link[] = t.latency.map((l) => ({ ...l, zones: [l.zones[0], l.zones[1]] as const }));
  return { name: t.name, description: t.description, zones, members, links, settings: t.settings, ...(t.kafka ? { kafka: kafkaOf(t.kafka) } : {}), ...(t.copies ? { copies: t.copies } : {}) };
}

/** Reads a topology file (YAML or JSON; JSON is YAML). */
export function loadTopology(path: string): Topology {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new TopologyError(path, [`cannot read the file (${(err as Error).message}); check the path`]);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new TopologyError(path, [`not valid YAML or JSON: ${(err as Error).message}`]);
  }
  return parseTopology(data, path);
}
