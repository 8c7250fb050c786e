// The run's KRaft controllers (issue 29): one container each in the brokers' zone, under its hostname,
// formatted with the ZooKeeper cluster's id and started in migration mode as the guide's "Provisioning
// the KRaft controller quorum" says; killed, started again, and restarted finalized. Labelled with the
// run, so an interrupted run leaves none; removed when the guide deprovisions them (a revert).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { containerLog, docker, LoopbackContainer, runLabels } from "../docker";
import type { KafkaImageRef } from "../images";
import { BrokerId, controllerById, controllerHostname, ControllerMode, controllerProperties, controllersOf, Topology } from "../topology";
import { readAsset } from "../runtime";
import { awaitStarted, restartWith } from "./restart";

export interface ControllersPlan {
  readonly runId: string;
  readonly topology: Topology;
  readonly image: KafkaImageRef;
  /** The brokers' zone network: controllers and brokers talk directly (no gateway between zones for them). */
  readonly network: string;
  readonly keep?: boolean;
}

/** KafkaRaftServer's line once a controller serves. */
const STARTED = /Kafka Server started \(kafka\.server\.KafkaRaftServer\)/;
/** The guide's sign on the active controller that the copy is done (KRaftMigrationDriver). */
export const MIGRATION_COMPLETED = /Completed migration of metadata from Zoo[Kk]eeper to KRaft/;
/**
 * KRaftMigrationDriver.areZkBrokersReadyForMigration in state WAIT_FOR_BROKERS: the copy does not begin
 * until every broker in /brokers/ids (and every broker holding a replica) has registered with KRaft.
 */
export const WAITING_FOR_BROKERS = /Still waiting for ZK brokers .* to register with KRaft|No brokers are known to KRaft, waiting for brokers to register/;
/**
 * ClusterControlManager.processRegistrationFeature: a ZooKeeper-mode broker registers its IBP as its only
 * metadata.version, so one below the controllers' is refused ("so the KRaft controller can verify that
 * all brokers are on the same IBP before starting the migration", KafkaServer).
 */
export const REGISTRATION_REFUSED = /does not support finalized version \d+ of metadata\.version/;

const PROPERTIES = "/zkdrill/controller.properties";

/** A word for sh -c. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class KraftControllers {
  private readonly containers = new Map<BrokerId, string>();
  private readonly modes = new Map<BrokerId, ControllerMode>();
  /** Logs of controllers removed by a revert, kept for the run folder. */
  private readonly removedLogs = new Map<BrokerId, string>();

  constructor(readonly plan: ControllersPlan) {
    if (controllersOf(plan.topology).length === 0) throw new Error(`topology ${plan.topology.name} has no KRaft controllers; add kafka.controllers to migrate`);
  }

  get ids(): BrokerId[] {
    return controllersOf(this.plan.topology).map((c) => c.id);
  }

  containerName(id: BrokerId): string {
    return `zkdrill-${this.plan.runId}-${controllerHostname(id)}`;
  }

  private containerOf(id: BrokerId): string {
    const cid = this.containers.get(id);
    if (!cid) throw new Error(`KRaft controller ${id} is not provisioned; provision the quorum first`);
    return cid;
  }

  modeOf(id: BrokerId): ControllerMode {
    return this.modes.get(id) ?? "migration";
  }

  /**
   * Every controller at once (a static quorum elects only once a majority runs): each formats its
   * metadata directory with `clusterId` (kafka-storage format; --ignore-formatted, so a start after a
   * kill keeps its log) and starts in migration mode.
   */
  async provision(clusterId: string): Promise<void> {
    await Promise.all(this.ids.map((id) => this.create(id, clusterId)));
  }

  private async create(id: BrokerId, clusterId: string): Promise<void> {
    const t = this.plan.topology;
    const c = controllerById(t, id);
    const img = this.plan.image;
    const jvm = (heapMb: number, flags: readonly string[]) => [`-Xms${heapMb}m`, `-Xmx${heapMb}m`, "-XX:+UseSerialGC", "-Djava.security.properties=/zkdrill/java.security", ...flags, "-cp", img.classpath];
    const format = ["java", ...jvm(128, img.toolsJvmFlags), "kafka.tools.StorageTool", "format", "--ignore-formatted", "--cluster-id", clusterId, "--config", PROPERTIES];
    const serve = ["exec", "java", ...jvm(c.heapMb, img.brokerJvmFlags), "kafka.Kafka", PROPERTIES];
    const container = new LoopbackContainer(img.name)
      .withName(this.containerName(id))
      .withHostname(controllerHostname(id))
      .onNetworkAlone(this.plan.network, controllerHostname(id))
      .withLabels({ ...runLabels(this.plan.runId, this.plan.keep), "zkdrill.kraft-controller": String(id), "zkdrill.zone": c.zone })
      .withCopyContentToContainer([
        { content: controllerProperties(t, id, "migration"), target: PROPERTIES },
        { content: readAsset("java.security"), target: "/zkdrill/java.security" },
      ])
      .withEntrypoint(["sh", "-c"])
      .withCommand([`set -e; ${format.map(q).join(" ")}; ${serve.map((w) => (w === "exec" ? w : q(w))).join(" ")}`]);
    try {
      const started = await container.start();
      this.containers.set(id, started.getId());
      this.modes.set(id, "migration");
      await awaitStarted(started.getId(), STARTED, 0, `KRaft controller ${id}`, 120_000);
    } catch (err) {
      const tail = await containerLog(this.containerName(id)).then((l) => l.trim().split("\n").slice(-15).join("\n"), () => "(its log could not be read)");
      throw new Error(`KRaft controller ${id} (${this.containerName(id)}) did not start: ${(err as Error).message}\nlast lines of its log:\n${tail}`);
    }
  }

  async running(): Promise<BrokerId[]> {
    const out: BrokerId[] = [];
    for (const [id, cid] of this.containers) if ((await docker().getContainer(cid).inspect()).State.Running) out.push(id);
    return out.sort((a, b) => a - b);
  }

  async kill(id: BrokerId): Promise<void> {
    const c = docker().getContainer(this.containerOf(id));
    await c.kill({ signal: "SIGKILL" });
    await c.wait();
  }

  /** Every running controller stopped (the run's ending): in migration mode they would go on writing to ZooKeeper. */
  async stopAll(): Promise<BrokerId[]> {
    const running = await this.running();
    for (const id of running) await this.kill(id);
    return running;
  }

  /** Started again (its metadata log kept), awaited until it serves. */
  async start(id: BrokerId): Promise<void> {
    const cid = this.containerOf(id);
    const before = (await containerLog(cid)).split("\n").filter((l) => STARTED.test(l)).length;
    await docker().getContainer(cid).start();
    await awaitStarted(cid, STARTED, before, `KRaft controller ${id}`, 120_000);
  }

  /** "Finalizing the migration": restarted without the migration flag and zookeeper.connect. */
  async reconfigure(id: BrokerId, mode: ControllerMode): Promise<void> {
    await restartWith(this.containerOf(id), { path: PROPERTIES, content: controllerProperties(this.plan.topology, id, mode) }, STARTED, `KRaft controller ${id}`);
    this.modes.set(id, mode);
  }

  /** The guide's revert: "Deprovision the KRaft controller quorum" (stopped and removed; logs kept for the run folder). */
  async deprovision(): Promise<void> {
    await Promise.all(
      [...this.containers].map(async ([id, cid]) => {
        const c = docker().getContainer(cid);
        await c.stop({ t: 10 }).catch((err: { statusCode?: number }) => (err.statusCode === 304 ? undefined : Promise.reject(err)));
        this.removedLogs.set(id, await containerLog(cid).catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}\n`));
        await c.remove({ force: true });
        this.containers.delete(id);
      }),
    );
  }

  /** Lines of the controllers' logs that match `re` (the migration's completion, for the check's evidence). */
  async logLines(re: RegExp): Promise<string[]> {
    const logs = await Promise.all([...this.containers.values()].map((cid) => containerLog(cid).catch(() => "")));
    return [...logs, ...this.removedLogs.values()].flatMap((l) => l.split("\n").filter((x) => re.test(x)));
  }

  async collectLogs(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    for (const [id, log] of this.removedLogs) writeFileSync(join(dir, `${controllerHostname(id)}.log`), log);
    await Promise.all(
      [...this.containers].map(async ([id, cid]) => {
        writeFileSync(join(dir, `${controllerHostname(id)}.log`), await containerLog(cid).catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}\n`));
      }),
    );
  }

  /** What the journal records: each controller's container and the properties it runs with now. */
  describe(): Record<string, { container: string; zone: string; heapMb: number; properties: string }> {
    const t = this.plan.topology;
    return Object.fromEntries(this.ids.map((id) => [String(id), { container: this.containerName(id), zone: controllerById(t, id).zone, heapMb: controllerById(t, id).heapMb, properties: controllerProperties(t, id, this.modeOf(id)) }]));
  }
}
