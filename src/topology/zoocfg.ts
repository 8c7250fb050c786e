// zoo.cfg and myid as an operator writes them: real hostnames, the same server lines on every member
// (unless a procedure says a member's differ: P2's standbys, P5's migration targets).
import { TopologyError } from "./schema";
import { hostnameOf, Member, MemberId, Topology } from "./types";
import { EXTRA_CONFIG_KEYS, LATEST_LINE, lineOf, versionAtLeast, ZkLine } from "./versions";

/** Where the files live inside a member's container. */
export const ZK_PATHS = {
  confDir: "/conf",
  dataDir: "/data",
  dataLogDir: "/datalog",
} as const;

export interface MemberFiles {
  /** File name (relative to confDir, or "myid" in dataDir) -> content. */
  readonly "zoo.cfg": string;
  readonly "zoo.cfg.dynamic"?: string;
  readonly myid: string;
}

export function memberById(t: Topology, id: MemberId): Member {
  const m = t.members.find((x) => x.id === id);
  if (!m) throw new Error(`member ${id} is not in topology "${t.name}"; members are ${t.members.map((x) => x.id).join(", ")}`);
  return m;
}

/** The server ids a member's zoo.cfg lists. */
export function serversOf(t: Topology, id: MemberId): MemberId[] {
  return [...(memberById(t, id).servers ?? t.members.map((m) => m.id))].sort((a, b) => a - b);
}

/** Server `id`'s line as member `viewer` lists it (P5's joiners mark only themselves as observers). */
function serverLine(t: Topology, id: MemberId, viewer: MemberId): string {
  const m = memberById(t, id);
  const s = t.settings;
  const base = `server.${id}=${hostnameOf(id)}:${s.quorumPort}:${s.electionPort}`;
  const role = memberById(t, viewer).marksOnlyItself && id !== viewer ? "participant" : m.role;
  if (s.membership === "dynamic") return `${base}:${role};${s.clientPort}`;
  return role === "observer" ? `${base}:observer` : base;
}

/**
 * The files member `id` runs with, as its ZooKeeper line expects them (`version`, default the
 * latest): 3.4 gets no whitelist, AdminServer or dynamic file, which it would not understand.
 */
export function memberFiles(t: Topology, id: MemberId, version?: string): MemberFiles {
  const me = memberById(t, id);
  const s = t.settings;
  const zk: ZkLine = version ? lineOf(version) : LATEST_LINE;
  if (s.membership === "dynamic" && !zk.dynamicConfig) {
    throw new TopologyError(`topology ${t.name} on ZooKeeper ${zk.version}`, [`settings.membership: dynamic membership needs ZooKeeper 3.5 or later (a dynamic config file and reconfig); ZooKeeper ${zk.version} has neither: use membership static, or --zk-version 3.5.8 or later`]);
  }
  const servers = serversOf(t, id).map((sid) => serverLine(t, sid, id));
  const head = [
    `# zoo.cfg of server.${id} (${hostnameOf(id)}, zone ${me.zone}), topology ${t.name}; written by zkdrill for ZooKeeper ${zk.line}`,
    `tickTime=${s.tickTime}`,
    `initLimit=${s.initLimit}`,
    `syncLimit=${s.syncLimit}`,
    `dataDir=${ZK_PATHS.dataDir}`,
    `dataLogDir=${ZK_PATHS.dataLogDir}`,
    // Four-letter words are the health checks of every procedure; from 3.5.3 only srvr answers unless whitelisted.
    ...(zk.fourLetterWhitelist ? ["4lw.commands.whitelist=*"] : []),
    // Containers sit on several networks; bind quorum ports on all of them (ENVIRONMENT.md).
    "quorumListenOnAllIPs=true",
    ...(zk.adminServer ? ["admin.enableServer=false"] : []),
    ...extraLines(me, zk),
  ];
  if (s.membership === "static") {
    const lines = [...head, `clientPort=${s.clientPort}`];
    if (me.role === "observer") lines.push("peerType=observer");
    return { "zoo.cfg": [...lines, ...servers, ""].join("\n"), myid: `${id}\n` };
  }
  const lines = [
    ...head,
    "reconfigEnabled=true",
    // A lone member of a dynamic ensemble must not fall back to standalone mode.
    "standaloneEnabled=false",
    `dynamicConfigFile=${ZK_PATHS.confDir}/zoo.cfg.dynamic`,
  ];
  return { "zoo.cfg": [...lines, ""].join("\n"), "zoo.cfg.dynamic": [...servers, ""].join("\n"), myid: `${id}\n` };
}

export interface MemberChange {
  readonly role?: Member["role"];
  readonly standby?: boolean;
  /** The server lines this member's zoo.cfg will list. */
  readonly servers?: readonly MemberId[];
  /** zoo.cfg lines an operator adds by hand (EXTRA_CONFIG_KEYS); null removes one. */
  readonly extra?: Readonly<Record<string, string | null>>;
}

/** A member's hand-added lines, checked against what its line knows. */
function extraLines(m: Member, zk: ZkLine): string[] {
  return Object.entries(m.extra ?? {}).map(([key, value]) => {
    const known = EXTRA_CONFIG_KEYS[key];
    if (!known) throw new TopologyError(`member ${m.id}'s zoo.cfg`, [`extra.${key}: not a key zkdrill knows (ZooKeeper would take a misspelt key silently); known: ${Object.keys(EXTRA_CONFIG_KEYS).join(", ")}`]);
    if (known.since && !versionAtLeast(zk.version, known.since)) throw new TopologyError(`member ${m.id}'s zoo.cfg`, [`extra.${key}: needs ZooKeeper ${known.since} or later (${known.what}); this member runs ${zk.version}`]);
    return `${key}=${value}`;
  });
}

/**
 * The topology after a recovery step rewrites some members' configs (P2: server.3 rewritten to
 * 3,4,5; P5/P9: observers promoted to participants). The input is left unchanged.
 */
export function rewrite(t: Topology, changes: Readonly<Record<MemberId, MemberChange>>): Topology {
  for (const key of Object.keys(changes)) memberById(t, Number(key));
  return {
    ...t,
    members: t.members.map((m) => {
      const c = changes[m.id];
      if (!c) return m;
      const extra = c.extra ? Object.fromEntries(Object.entries({ ...m.extra, ...c.extra }).filter((kv): kv is [string, string] => kv[1] !== null)) : m.extra;
      return { ...m, ...c, servers: c.servers ? [...c.servers].sort((a, b) => a - b) : m.servers, extra };
    }),
  };
}
