// The run's Kafka brokers (seed 003's cluster in the production centre): one container each on its
// zone's network, under its hostname, with the server.properties src/topology/brokers.ts writes. Its
// connections to zk1..zkN cross the zone gateways like any member's. Started, stopped, killed and
// started again as members are; labelled with the run, so an interrupted run leaves none.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Wait } from "testcontainers";
import { containerLog, docker, LoopbackContainer, runLabels } from "../docker";
import type { KafkaImageRef } from "../images";
import type { ZoneNetwork } from "../network";
import { BrokerId, brokerById, brokerHostname, BrokerMode, brokerProperties, KAFKA_PORT, Topology } from "../topology";
import { readAsset } from "../runtime";
import { restartWith } from "./restart";

export type BrokerState = "not-created" | "running" | "stopped" | "paused";

export interface BrokersPlan {
  readonly runId: string;
  readonly topology: Topology;
  readonly image: KafkaImageRef;
  readonly network: ZoneNetwork;
  readonly keep?: boolean;
}

/** The log line Kafka prints once it serves: kafka.server.KafkaServer in ZooKeeper mode, KafkaRaftServer in KRaft mode. */
export const STARTED = /\] started \(kafka\.server\.KafkaServer\)|Kafka Server started \(kafka\.server\.KafkaRaftServer\)/;

export class KafkaBrokers {
  private readonly containers = new Map<BrokerId, string>();
  /** Where each broker is in the migration guide (ZooKeeper mode until the drill migrates it). */
  private readonly modes = new Map<BrokerId, BrokerMode>();
  /** An IBP an operator set at a restart, over the topology's (see brokerIbp). */
  private readonly ibps = new Map<BrokerId, string>();

  constructor(readonly plan: BrokersPlan) {
    if (!plan.topology.kafka) throw new Error(`topology ${plan.topology.name} has no kafka block; add one with brokers to run Kafka`);
  }

  get ids(): BrokerId[] {
    return this.plan.topology.kafka!.brokers.map((b) => b.id);
  }

  /** The brokers' zone network (validated: one zone for all). */
  get network(): string {
    return this.plan.network.networkOf(this.plan.topology.kafka!.brokers[0].zone);
  }

  /** bootstrap.servers for a client in the brokers' zone. */
  bootstrap(ids: readonly BrokerId[] = this.ids): string {
    return ids.map((id) => `${brokerHostname(id)}:${KAFKA_PORT}`).join(",");
  }

  containerName(id: BrokerId): string {
    return `zkdrill-${this.plan.runId}-${brokerHostname(id)}`;
  }

  containerOf(id: BrokerId): string {
    const cid = this.containers.get(id);
    if (!cid) throw new Error(`broker ${id} was never started; start it first`);
    return cid;
  }

  /** Every broker at once (each waits for its own "started" line; they need only ZooKeeper, not each other). */
  async startAll(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.start(id)));
  }

  /** The first time a new container; afterwards the same one again, its log folder kept (a restarted broker). */
  async start(id: BrokerId): Promise<void> {
    const existing = this.containers.get(id);
    if (existing) {
      await docker().getContainer(existing).start();
      return;
    }
    const t = this.plan.topology;
    const b = brokerById(t, id);
    const heap = `${b.heapMb}m`;
    const container = new LoopbackContainer(this.plan.image.name)
      .withName(this.containerName(id))
      .withHostname(brokerHostname(id))
      .onNetworkAlone(this.network, brokerHostname(id))
      .withLabels({ ...runLabels(this.plan.runId, this.plan.keep), "zkdrill.broker": String(id), "zkdrill.zone": b.zone })
      .withCopyContentToContainer([
        { content: brokerProperties(t, id, this.modeOf(id), this.ibps.get(id)), target: "/zkdrill/server.properties" },
        { content: readAsset("java.security"), target: "/zkdrill/java.security" },
      ])
      .withEntrypoint(["java"])
      .withCommand([`-Xms${heap}`, `-Xmx${heap}`, "-XX:+UseSerialGC", "-Djava.security.properties=/zkdrill/java.security", ...this.plan.image.brokerJvmFlags, "-cp", this.plan.image.classpath, "kafka.Kafka", "/zkdrill/server.properties"])
      .withWaitStrategy(Wait.forLogMessage(STARTED))
      .withStartupTimeout(120_000);
    try {
      this.containers.set(id, (await container.start()).getId());
    } catch (err) {
      const tail = await containerLog(this.containerName(id)).then((l) => l.trim().split("\n").slice(-15).join("\n"), () => "(its log could not be read)");
      throw new Error(`broker ${id} (${this.containerName(id)}) did not start: ${(err as Error).message}\nlast lines of its log:\n${tail}`);
    }
  }

  modeOf(id: BrokerId): BrokerMode {
    return this.modes.get(id) ?? "zookeeper";
  }

  /**
   * Restarted with the server.properties of `mode` (a step of the migration guide or of its revert), awaited
   * until it serves; `ibp` sets its inter.broker.protocol.version from now on.
   */
  async reconfigure(id: BrokerId, mode: BrokerMode, ibp?: string): Promise<void> {
    const next = ibp ?? this.ibps.get(id);
    const properties = brokerProperties(this.plan.topology, id, mode, next);
    await restartWith(this.containerOf(id), { path: "/zkdrill/server.properties", content: properties }, STARTED, `broker ${id}`);
    this.modes.set(id, mode);
    if (next !== undefined) this.ibps.set(id, next);
  }

  async state(id: BrokerId): Promise<BrokerState> {
    const cid = this.containers.get(id);
    if (!cid) return "not-created";
    const info = await docker().getContainer(cid).inspect();
    if (info.State.Paused) return "paused";
    return info.State.Running ? "running" : "stopped";
  }

  async running(): Promise<BrokerId[]> {
    const states = await Promise.all(this.ids.map((id) => this.state(id)));
    return this.ids.filter((_, i) => states[i] === "running");
  }

  /** SIGKILL: the broker's ZooKeeper session is not closed; its registration stays until the session expires. */
  async kill(id: BrokerId): Promise<void> {
    const c = docker().getContainer(this.containerOf(id));
    await c.kill({ signal: "SIGKILL" });
    await c.wait();
  }

  /** SIGTERM: a controlled shutdown (leadership moved, session closed), SIGKILL after `graceS`. */
  async stop(id: BrokerId, graceS = 30): Promise<void> {
    await docker().getContainer(this.containerOf(id)).stop({ t: graceS });
  }

  /** Broker `id`'s log so far, every process the container ran (the engine's receipt time first on each line). */
  log(id: BrokerId): Promise<string> {
    return containerLog(this.containerOf(id));
  }

  /** Each broker's log and server.properties into `dir`; one that cannot be read says why in its file. */
  async collectLogs(dir: string): Promise<string[]> {
    mkdirSync(dir, { recursive: true });
    return Promise.all(
      [...this.containers].map(async ([id, cid]) => {
        const path = join(dir, `${brokerHostname(id)}.log`);
        writeFileSync(path, await containerLog(cid).catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}\n`));
        return path;
      }),
    );
  }

  /** What the journal records: each broker's container and the properties it started with. */
  describe(): Record<string, { container: string; zone: string; heapMb: number; properties: string }> {
    const t = this.plan.topology;
    return Object.fromEntries(this.ids.map((id) => [String(id), { container: this.containerName(id), zone: brokerById(t, id).zone, heapMb: brokerById(t, id).heapMb, properties: brokerProperties(t, id, this.modeOf(id), this.ibps.get(id)) }]));
  }
}
