// The zone network as data: which Docker networks, which gateway proxies, which toxics, and what a
// partition does to each proxy. Pure, so the arithmetic is unit-tested without Docker.
//
// The arrangement (DESIGN.md "Network"): one Docker network per zone. A member sits on its own
// zone's network under its hostname. For every member of a multi-zone topology, a Toxiproxy
// "gateway" container sits on every OTHER zone's network under that same hostname, with one proxy
// per (source zone, port) listening on its IP in the source zone's network and forwarding to the
// real member. Every cross-zone TCP connection therefore passes exactly one proxy, the one in front
// of its destination, and that proxy knows which zone the caller is in: latency is exact per zone
// pair while every member's zoo.cfg stays the one an operator writes (real hostnames, identical).
import { hostOfZone, LOCAL_HOST, MemberId, Topology, ZoneName } from "../topology";

/** Toxiproxy's own vocabulary: upstream = caller -> member, downstream = member -> caller. */
export type Stream = "upstream" | "downstream";

export interface ToxicSpec {
  readonly name: string;
  readonly type: "latency" | "bandwidth" | "timeout" | "slicer" | "slow_close";
  readonly stream: Stream;
  readonly attributes: Record<string, number>;
}

/** One proxy of a gateway. `peer` proxies serve the members of `sourceZone`; `client` ones the host's clients "in" it. */
export interface ProxySpec {
  readonly name: string;
  readonly member: MemberId;
  readonly sourceZone: ZoneName;
  readonly kind: "peer" | "client";
  /** The port it listens on inside the gateway (on its IP in sourceZone's network for peers, 0.0.0.0 for clients). */
  readonly listenPort: number;
  readonly upstreamPort: number;
  /** The link's latency, jitter and bandwidth; present whatever the partitions. */
  readonly linkToxics: readonly ToxicSpec[];
}

export interface GatewaySpec {
  readonly member: MemberId;
  readonly zone: ZoneName;
  /** The zones whose networks it joins under the member's hostname. */
  readonly servesZones: readonly ZoneName[];
  readonly proxies: readonly ProxySpec[];
}

export interface Wiring {
  readonly zones: readonly ZoneName[];
  readonly gateways: readonly GatewaySpec[];
}

/** Client proxies listen on this port plus the source zone's index, inside the gateway. */
export const CLIENT_PROXY_BASE_PORT = 30_000;
export const TOXIPROXY_API_PORT = 8474;

export function zoneNetworkName(runId: string, zone: ZoneName): string {
  return `zkdrill-${runId}-${zone}`;
}

/** The round trip between two different zones, as the topology gives it (validated: every pair has one). */
export function linkBetween(t: Topology, a: ZoneName, b: ZoneName) {
  const link = t.links.find((l) => (l.zones[0] === a && l.zones[1] === b) || (l.zones[0] === b && l.zones[1] === a));
  if (!link) throw new Error(`the topology has no latency between zones ${a} and ${b}`);
  return link;
}

/**
 * The toxics of one link on one proxy. The round trip is split across the two directions (half
 * each way; Toxiproxy takes whole milliseconds, so an odd round trip puts the extra one on the way
 * back), jitter likewise; a bandwidth limit applies to each direction.
 */
export function linkToxics(t: Topology, a: ZoneName, b: ZoneName): ToxicSpec[] {
  const link = linkBetween(t, a, b);
  const out: ToxicSpec[] = [];
  if (link.rttMs > 0 || link.jitterMs > 0) {
    const half = (ms: number, stream: Stream) => (stream === "upstream" ? Math.floor(ms / 2) : ms - Math.floor(ms / 2));
    for (const stream of ["upstream", "downstream"] as const) {
      out.push({ name: `latency-${stream}`, type: "latency", stream, attributes: { latency: half(link.rttMs, stream), jitter: half(link.jitterMs, stream) } });
    }
  }
  if (link.bandwidthKBps !== undefined) {
    for (const stream of ["upstream", "downstream"] as const) {
      out.push({ name: `bandwidth-${stream}`, type: "bandwidth", stream, attributes: { rate: link.bandwidthKBps } });
    }
  }
  return out;
}

export function wiringOf(t: Topology): Wiring {
  const zones = t.zones.map((z) => z.name);
  const remote = (zone: ZoneName) => hostOfZone(t, zone) !== LOCAL_HOST;
  if (zones.length < 2 && !zones.some(remote)) return { zones, gateways: [] };
  const ports = [t.settings.clientPort, t.settings.quorumPort, t.settings.electionPort];
  const gateways = t.members.map((m): GatewaySpec => {
    const servesZones = zones.filter((z) => z !== m.zone);
    const proxies: ProxySpec[] = [];
    for (const source of servesZones) {
      const toxics = linkToxics(t, source, m.zone);
      for (const port of ports) {
        proxies.push({ name: `from-${source}-${port}`, member: m.id, sourceZone: source, kind: "peer", listenPort: port, upstreamPort: port, linkToxics: toxics });
      }
      proxies.push({
        name: `client-from-${source}`,
        member: m.id,
        sourceZone: source,
        kind: "client",
        listenPort: CLIENT_PROXY_BASE_PORT + zones.indexOf(source),
        upstreamPort: t.settings.clientPort,
        linkToxics: toxics,
      });
    }
    // A member on another host publishes nothing on this machine: the host reaches it here, as a
    // client in its own zone (no added latency, never cut).
    if (remote(m.zone)) {
      proxies.push({ name: `client-in-${m.zone}`, member: m.id, sourceZone: m.zone, kind: "client", listenPort: CLIENT_PROXY_BASE_PORT + zones.indexOf(m.zone), upstreamPort: t.settings.clientPort, linkToxics: [] });
    }
    return { member: m.id, zone: m.zone, servesZones, proxies };
  });
  return { zones, gateways };
}

// ---- partitions ----

export type CutMode = "reset" | "blackhole";

/**
 * A partition between zone groups. `reset`: connections refused and open ones closed (a firewall
 * rejecting, or a link whose far end is gone). `blackhole`: bytes silently dropped and held, as a
 * real network failure does; TCP only notices through its timeouts. `oneWay` (blackhole only):
 * traffic from `from` to `to` is dropped, the reverse still flows.
 */
export interface CutSpec {
  readonly from: readonly ZoneName[];
  readonly to: readonly ZoneName[];
  readonly mode: CutMode;
  readonly oneWay?: boolean;
}

/** A directed zone pair whose traffic is cut: bytes from `src` to `dst` do not arrive. */
interface DirectedCut {
  readonly src: ZoneName;
  readonly dst: ZoneName;
  readonly mode: CutMode;
}

export class CutError extends Error {
  override name = "CutError";
}

/** Checks a cut against the topology's zones; errors name the field and the fix. */
export function validateCut(t: Topology, cut: CutSpec): void {
  const zones = t.zones.map((z) => z.name);
  for (const field of ["from", "to"] as const) {
    if (cut[field].length === 0) throw new CutError(`cut.${field}: empty; name at least one zone of ${zones.join(", ")}`);
    for (const z of cut[field]) if (!zones.includes(z)) throw new CutError(`cut.${field}: "${z}" is not a zone; zones are ${zones.join(", ")}`);
  }
  const overlap = cut.from.filter((z) => cut.to.includes(z));
  if (overlap.length > 0) throw new CutError(`cut: zone(s) ${overlap.join(", ")} are on both sides; a zone cannot be cut from itself`);
  if (cut.oneWay && cut.mode === "reset") {
    throw new CutError('cut.oneWay: Toxiproxy refuses a connection in both directions; use mode: "blackhole" for a one-way cut');
  }
}

/** Isolating a zone: it against every other zone. */
export function isolate(t: Topology, zone: ZoneName, mode: CutMode): CutSpec {
  return { from: [zone], to: t.zones.map((z) => z.name).filter((z) => z !== zone), mode };
}

function directed(cut: CutSpec): DirectedCut[] {
  const out: DirectedCut[] = [];
  for (const a of cut.from) {
    for (const b of cut.to) {
      out.push({ src: a, dst: b, mode: cut.mode });
      if (!cut.oneWay) out.push({ src: b, dst: a, mode: cut.mode });
    }
  }
  return out;
}

/** What a proxy must look like under the cuts in force. */
export interface ProxyState {
  readonly enabled: boolean;
  readonly blackhole: readonly Stream[];
}

/**
 * A proxy in front of a member in zone Z, serving source zone S, carries S->Z bytes upstream and
 * Z->S bytes downstream. A reset between S and Z (either way) disables it; a blackhole S->Z holds
 * its upstream, Z->S its downstream.
 */
export function proxyStateUnder(gatewayZone: ZoneName, proxy: ProxySpec, cuts: readonly CutSpec[]): ProxyState {
  const all = cuts.flatMap(directed);
  const s = proxy.sourceZone;
  const z = gatewayZone;
  const between = all.filter((c) => (c.src === s && c.dst === z) || (c.src === z && c.dst === s));
  const enabled = !between.some((c) => c.mode === "reset");
  const blackhole: Stream[] = [];
  if (between.some((c) => c.mode === "blackhole" && c.src === s)) blackhole.push("upstream");
  if (between.some((c) => c.mode === "blackhole" && c.src === z)) blackhole.push("downstream");
  return { enabled, blackhole };
}

export function describeCut(cut: CutSpec): string {
  const arrow = cut.oneWay ? "->" : "<->";
  return `${cut.from.join("+")} ${arrow} ${cut.to.join("+")} (${cut.mode})`;
}

/** A member's container name: unique, and resolvable on its zone's network (a gateway's upstream). */
export function memberContainerName(runId: string, id: MemberId): string {
  return `zkdrill-${runId}-zk${id}`;
}

export function gatewayContainerName(runId: string, id: MemberId): string {
  return `zkdrill-${runId}-gw${id}`;
}
