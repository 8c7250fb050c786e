// Which Docker engine each zone's members run on. A zone without a host runs on this machine's
// engine ("local"); a run whose zones name other engines spans hosts, joined by a swarm's overlay
// networks (src/network/zone-network.ts).
import { memberById } from "./zoocfg";
import type { MemberId, Topology, ZoneName } from "./types";
import { TopologyError } from "./schema";

export const LOCAL_HOST = "local";

export function hostOfZone(t: Topology, zone: ZoneName): string {
  return t.zones.find((z) => z.name === zone)?.host ?? LOCAL_HOST;
}

export function hostOfMember(t: Topology, id: MemberId): string {
  return hostOfZone(t, memberById(t, id).zone);
}

/** The engines other than this machine's that the topology places zones on. */
export function remoteHosts(t: Topology): string[] {
  return [...new Set(t.zones.map((z) => z.host ?? LOCAL_HOST))].filter((h) => h !== LOCAL_HOST);
}

export function spansHosts(t: Topology): boolean {
  return remoteHosts(t).length > 0;
}

/**
 * The topology with zones placed on engines (`zkdrill run --hosts a2=ssh://ops@zk2,...`): a zone not
 * in it, or a member that needs this machine (a disk of its own), is bad input naming the fix.
 */
export function placeOnHosts(t: Topology, hosts: Readonly<Record<ZoneName, string>>): Topology {
  const problems: string[] = [];
  const zones = t.zones.map((z) => z.name);
  for (const zone of Object.keys(hosts)) if (!zones.includes(zone)) problems.push(`--hosts: "${zone}" is not a zone of ${t.name}; zones are ${zones.join(", ")}`);
  const placed: Topology = { ...t, zones: t.zones.map((z) => (hosts[z.name] === undefined ? z : hosts[z.name] === LOCAL_HOST ? { name: z.name, region: z.region } : { ...z, host: hosts[z.name] })) };
  for (const m of placed.members) {
    if (m.datalogMb !== undefined && hostOfZone(placed, m.zone) !== LOCAL_HOST) problems.push(`member ${m.id}: its dataLogDir disk (datalogMb) is a loop mount on this machine; keep zone ${m.zone} here, or leave datalogMb out`);
  }
  if (problems.length > 0) throw new TopologyError(`${t.name} on hosts`, problems);
  return placed;
}

/** `zone=endpoint,zone=endpoint` as the CLI takes it. */
export function parseHostsOption(text: string): Record<ZoneName, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1) throw new TopologyError("--hosts", [`"${part}": write ZONE=ENGINE, e.g. a2=ssh://ops@zk2 or b1=unix:///var/run/docker-b1.sock`]);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
