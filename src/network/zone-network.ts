// The zone network, live: a Docker network per zone, a Toxiproxy gateway in front of each member
// for the other zones, latency on the wire, and partitions that are applied and healed.
// See wiring.ts for the arrangement and why it keeps every zoo.cfg the operator's.
import { Wait } from "testcontainers";
import { Proxy as ToxiProxy, Toxiproxy } from "toxiproxy-node-client";
import { allSettledOrThrow, errorText } from "../common";
import type { ImageRef } from "../images";
import { hostnameOf, MemberId, spansHosts, Topology, ZoneName } from "../topology";
import type { Endpoint } from "../zk";
import { docker, runLabels, freeLoopbackPort, LoopbackContainer } from "../docker";
import {
  CutSpec,
  describeCut,
  gatewayContainerName,
  GatewaySpec,
  memberContainerName,
  ProxySpec,
  ProxyState,
  proxyStateUnder,
  TOXIPROXY_API_PORT,
  validateCut,
  Wiring,
  wiringOf,
  zoneNetworkName,
} from "./wiring";
import { Degradation, degradationToxics, degradedStreams, describeDegradation, validateDegradation } from "./degrade";

/** Every Toxiproxy API call is bounded: a hung gateway must fail the step, not the run's clock. */
const API_TIMEOUT_MS = 10_000;
/** About what a ZooKeeper follower's own retries to a refused leader port add up to (5 x 100 ms and their connects), with room. */
const DIAL_RETRY_MS = 2_000;

/**
 * How long a gateway waits for a dial to a member to be answered at all. Only zones on other hosts can
 * leave a dial unanswered (a gone container's overlay address drops the SYN); the bound then stands for
 * the refused connect a caller would get on one host: a few round trips of the slowest link, 1-5 s.
 */
export function dialTimeoutMs(t: Topology): number {
  if (!spansHosts(t)) return 5_000;
  const slowest = Math.max(0, ...t.links.map((l) => l.rttMs + l.jitterMs));
  return Math.min(5_000, Math.max(1_000, 4 * slowest + 500));
}

async function bounded<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Toxiproxy did not answer within ${API_TIMEOUT_MS / 1000} s: ${what}`)), API_TIMEOUT_MS);
  });
  try {
    return await Promise.race([p, timeout]);
  } catch (err) {
    throw new Error(`${what}: ${errorText(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

interface LiveGateway {
  readonly spec: GatewaySpec;
  readonly containerId: string;
  readonly api: Toxiproxy;
  readonly apiPort: number;
  /** Host port (127.0.0.1) of each client proxy, by source zone. */
  readonly clientPorts: ReadonlyMap<ZoneName, number>;
  /** The gateway's IP in each zone network it serves. */
  readonly ips: ReadonlyMap<ZoneName, string>;
  readonly proxies: Map<string, { spec: ProxySpec; proxy: ToxiProxy; state: ProxyState }>;
}

export interface NetworkPlan {
  readonly runId: string;
  readonly topology: Topology;
  /** The Toxiproxy image; unused for a single zone. */
  readonly toxiproxyImage?: ImageRef;
  /** Left up on purpose: labelled so (src/docker/engine.ts KEEP_LABEL). */
  readonly keep?: boolean;
}

/** What the journal records about the network a run used. */
export interface NetworkDescription {
  readonly kind: "single-zone" | "zones";
  readonly networks: Record<ZoneName, string>;
  readonly latencyApplied: boolean;
  readonly toxiproxy?: ImageRef;
  readonly gateways: Array<{ member: MemberId; container: string; apiPort: number; ips: Record<ZoneName, string>; clientPorts: Record<ZoneName, number> }>;
}

export class ZoneNetwork {
  private readonly gateways = new Map<MemberId, LiveGateway>();
  private readonly cuts: CutSpec[] = [];
  /** Toxics added by degradations in force, to remove them again. */
  private readonly degraded: Array<{ proxy: ToxiProxy; name: string; where: string }> = [];
  private degradations = 0;
  readonly wiring: Wiring;

  private constructor(readonly plan: NetworkPlan) {
    this.wiring = wiringOf(plan.topology);
  }

  /**
   * Creates the zone networks and, for more than one zone, the gateways with their proxies and
   * link toxics. Members start after this: their first connection to a peer already crosses it.
   * On failure the caller's teardown reaps by label.
   */
  static async create(plan: NetworkPlan): Promise<ZoneNetwork> {
    const net = new ZoneNetwork(plan);
    // Zones on several engines share a swarm's attachable overlays (created on this machine's engine,
    // a manager): containers on every engine join them by name, with names resolved across hosts.
    const overlay = spansHosts(plan.topology);
    for (const zone of net.wiring.zones) {
      await docker().createNetwork({ Name: zoneNetworkName(plan.runId, zone), Driver: overlay ? "overlay" : "bridge", Attachable: overlay, Labels: runLabels(plan.runId, plan.keep), CheckDuplicate: true });
    }
    if (net.wiring.gateways.length > 0) {
      if (!plan.toxiproxyImage) throw new Error(`topology ${plan.topology.name} has ${net.wiring.zones.length} zones and needs the Toxiproxy image; none was given`);
      await allSettledOrThrow(net.wiring.gateways.map((g) => net.startGateway(g, plan.toxiproxyImage!)));
    }
    return net;
  }

  networkOf(zone: ZoneName): string {
    if (!this.wiring.zones.includes(zone)) throw new Error(`zone ${zone} is not in this network; zones are ${this.wiring.zones.join(", ")}`);
    return zoneNetworkName(this.plan.runId, zone);
  }

  /** The image is Toxiproxy's server alone, FROM scratch (no shell to exec): a gateway is driven through its API only. */
  private async startGateway(spec: GatewaySpec, image: ImageRef): Promise<void> {
    const { runId } = this.plan;
    const apiPort = await freeLoopbackPort();
    const clientPorts = new Map<ZoneName, number>();
    const container = new LoopbackContainer(image.name)
      .withName(gatewayContainerName(runId, spec.member))
      .withHostname(`gw${spec.member}`)
      // On its member's own zone network without an alias: from there it reaches the real member.
      .withNetworkMode(this.networkOf(spec.zone))
      .withLabels({ ...runLabels(runId, this.plan.keep), "zkdrill.gateway": String(spec.member), "zkdrill.zone": spec.zone })
      // A caller whose member is not listening yet waits as its own connect retries would (zkdrill_dial.go).
      .withEnvironment({ ZKDRILL_DIAL_RETRY_MS: String(DIAL_RETRY_MS), ZKDRILL_DIAL_TIMEOUT_MS: String(dialTimeoutMs(this.plan.topology)) })
      .withLoopbackPort(TOXIPROXY_API_PORT, apiPort)
      // Only the API: the client proxies listen once they are created, below.
      .withWaitStrategy(Wait.forHttp("/version", TOXIPROXY_API_PORT))
      .withStartupTimeout(30_000);
    for (const p of spec.proxies.filter((x) => x.kind === "client")) {
      const hostPort = await freeLoopbackPort();
      clientPorts.set(p.sourceZone, hostPort);
      container.withLoopbackPort(p.listenPort, hostPort);
    }
    const started = await container.start();
    const containerId = started.getId();
    // Then on every other zone's network under the member's hostname: callers there reach it.
    for (const zone of spec.servesZones) {
      await docker().getNetwork(this.networkOf(zone)).connect({ Container: containerId, EndpointConfig: { Aliases: [hostnameOf(spec.member)] } });
    }
    const info = await docker().getContainer(containerId).inspect();
    const ips = new Map<ZoneName, string>();
    for (const zone of spec.servesZones) {
      const ip = info.NetworkSettings.Networks[this.networkOf(zone)]?.IPAddress;
      if (!ip) throw new Error(`gateway of member ${spec.member} has no address on ${this.networkOf(zone)}`);
      ips.set(zone, ip);
    }
    const api = new Toxiproxy(`http://127.0.0.1:${apiPort}`);
    const gw: LiveGateway = { spec, containerId, api, apiPort, clientPorts, ips, proxies: new Map() };
    const upstreamHost = memberContainerName(runId, spec.member);
    for (const p of spec.proxies) {
      const listen = p.kind === "peer" ? `${ips.get(p.sourceZone)}:${p.listenPort}` : `0.0.0.0:${p.listenPort}`;
      const proxy = await bounded(`create proxy ${p.name} on gateway ${spec.member}`, api.createProxy({ name: p.name, listen, upstream: `${upstreamHost}:${p.upstreamPort}`, enabled: true }));
      for (const t of p.linkToxics) {
        await bounded(`add ${t.name} to ${p.name} on gateway ${spec.member}`, proxy.addToxic({ name: t.name, type: t.type, stream: t.stream, toxicity: 1, attributes: t.attributes }));
      }
      gw.proxies.set(p.name, { spec: p, proxy, state: { enabled: true, blackhole: [] } });
    }
    this.gateways.set(spec.member, gw);
  }

  /**
   * Where a client "in" `zone` reaches member `id` from the host: the member's own port when it is
   * in that zone (no added latency), else the gateway's client proxy for that zone.
   */
  clientEndpoint(id: MemberId, zone: ZoneName, direct: Endpoint): Endpoint {
    const gw = this.gateways.get(id);
    if (!gw || gw.spec.zone === zone) return this.accessEndpoint(id) ?? direct;
    const port = gw.clientPorts.get(zone);
    if (port === undefined) throw new Error(`zone ${zone} is not in this network; zones are ${this.wiring.zones.join(", ")}`);
    return { host: "127.0.0.1", port };
  }

  /** Where the host reaches a member on another engine (its gateway's own-zone proxy); undefined for a member here. */
  accessEndpoint(id: MemberId): Endpoint | undefined {
    const gw = this.gateways.get(id);
    const port = gw?.clientPorts.get(gw.spec.zone);
    return port === undefined ? undefined : { host: "127.0.0.1", port };
  }

  get activeCuts(): readonly CutSpec[] {
    return [...this.cuts];
  }

  /** Applies a partition on top of those in force; returns what changed, for the journal. */
  async cut(spec: CutSpec): Promise<string[]> {
    validateCut(this.plan.topology, spec);
    if (this.gateways.size === 0) throw new Error("a single-zone topology has no links to cut; give the topology two zones or more");
    this.cuts.push(spec);
    return this.reconcile();
  }

  /** Removes one partition (by its description) or all of them. */
  async heal(spec?: CutSpec): Promise<string[]> {
    if (spec) {
      const i = this.cuts.findIndex((c) => describeCut(c) === describeCut(spec));
      if (i < 0) throw new Error(`no partition ${describeCut(spec)} is in force; in force: ${this.cuts.map(describeCut).join("; ") || "none"}`);
      this.cuts.splice(i, 1);
    } else {
      this.cuts.length = 0;
    }
    return this.reconcile();
  }

  /** Degrades links between zones on top of their latency (bandwidth, slicing, slow close); returns the toxics added. */
  async degrade(d: Degradation): Promise<string[]> {
    validateDegradation(this.plan.topology, d);
    if (this.gateways.size === 0) throw new Error("a single-zone topology has no links to degrade; give the topology two zones or more");
    const tag = `degrade${++this.degradations}`;
    const added: string[] = [];
    for (const gw of this.gateways.values()) {
      for (const entry of gw.proxies.values()) {
        for (const stream of degradedStreams(gw.spec.zone, entry.spec, d)) {
          for (const t of degradationToxics(d, stream, tag)) {
            const where = `gw${gw.spec.member}/${entry.spec.name}`;
            await bounded(`add ${t.name} to ${where}`, entry.proxy.addToxic({ name: t.name, type: t.type, stream: t.stream, toxicity: 1, attributes: t.attributes }));
            this.degraded.push({ proxy: entry.proxy, name: t.name, where });
            added.push(`${where}: ${t.name} ${JSON.stringify(t.attributes)}`);
          }
        }
      }
    }
    if (added.length === 0) throw new Error(`degrade ${describeDegradation(d)}: no link between these zones crosses a gateway`);
    return added.sort();
  }

  /** Every degradation removed (the links keep their own latency). */
  async restoreLinks(): Promise<string[]> {
    const removed: string[] = [];
    while (this.degraded.length > 0) {
      const t = this.degraded.pop()!;
      await bounded(`remove ${t.name} from ${t.where}`, t.proxy.api.delete(`${t.proxy.getPath()}/toxics/${t.name}`));
      removed.push(`${t.where}: ${t.name} removed`);
    }
    return removed.sort();
  }

  get degradedLinks(): number {
    return this.degraded.length;
  }

  /** Brings every proxy to the state the cuts in force ask for; only the differences are sent. */
  private async reconcile(): Promise<string[]> {
    const changes: string[] = [];
    await Promise.all(
      [...this.gateways.values()].map(async (gw) => {
        for (const entry of gw.proxies.values()) {
          const want = proxyStateUnder(gw.spec.zone, entry.spec, this.cuts);
          const where = `gw${gw.spec.member}/${entry.spec.name}`;
          for (const stream of ["upstream", "downstream"] as const) {
            const has = entry.state.blackhole.includes(stream);
            const wants = want.blackhole.includes(stream);
            const name = `blackhole-${stream}`;
            if (wants && !has) {
              await bounded(`blackhole ${where} ${stream}`, entry.proxy.addToxic({ name, type: "timeout", stream, toxicity: 1, attributes: { timeout: 0 } }));
              changes.push(`${where}: ${stream} blackholed`);
            } else if (has && !wants) {
              await bounded(`heal ${where} ${stream}`, entry.proxy.api.delete(`${entry.proxy.getPath()}/toxics/${name}`));
              changes.push(`${where}: ${stream} flows`);
            }
          }
          if (want.enabled !== entry.state.enabled) {
            await bounded(`${want.enabled ? "enable" : "disable"} ${where}`, entry.proxy.update({ enabled: want.enabled, listen: entry.proxy.listen, upstream: entry.proxy.upstream }));
            changes.push(`${where}: ${want.enabled ? "enabled" : "disabled (connections refused)"}`);
          }
          entry.state = want;
        }
      }),
    );
    return changes.sort();
  }

  /** The gateway containers, for their logs. */
  gatewayContainers(): Array<{ name: string; id: string }> {
    return [...this.gateways.values()].map((g) => ({ name: `gw${g.spec.member}`, id: g.containerId }));
  }

  describe(): NetworkDescription {
    return {
      kind: this.gateways.size === 0 ? "single-zone" : "zones",
      networks: Object.fromEntries(this.wiring.zones.map((z) => [z, this.networkOf(z)])),
      latencyApplied: this.gateways.size > 0,
      toxiproxy: this.gateways.size > 0 ? this.plan.toxiproxyImage : undefined,
      gateways: [...this.gateways.values()].map((g) => ({
        member: g.spec.member,
        container: gatewayContainerName(this.plan.runId, g.spec.member),
        apiPort: g.apiPort,
        ips: Object.fromEntries(g.ips),
        clientPorts: Object.fromEntries(g.clientPorts),
      })),
    };
  }
}
