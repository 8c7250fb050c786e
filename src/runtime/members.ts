// Each member's container through its life: created with its files (testcontainers here, the host's
// engine API elsewhere: remote-member.ts), started again
// with its data kept or wiped, killed, stopped, paused, and replaced by one of another ZooKeeper
// version with its data carried over (a rolling upgrade). Each member remembers the image and version
// it runs, so its zoo.cfg is the one its line expects.
import { Readable } from "node:stream";
import { archiveOf, containerAt, containerLog, putFiles, underPrefix, diskPath, ensureDisk, runLabels, freeLoopbackPort } from "../docker";
import type { ImageRef } from "../images";
import { memberContainerName, type ZoneNetwork } from "../network";
import { hostnameOf, hostOfMember, LOCAL_HOST, memberById, MemberId, Topology, ZK_PATHS } from "../topology";
import { configFiles, memberContainer, MemberContainerSpec } from "./member-container";
import { startRemoteMember } from "./remote-member";

/** Whether a member's container exists and runs. */
export type MemberState = "not-created" | "running" | "stopped" | "paused";

export interface StartOptions {
  /** Start with empty version-2 folders (P2: standbys must). */
  readonly wipeData?: boolean;
  /** Backup archives staged under /zkdrill/restore; zk-run.sh moves them into place before start (P3). */
  readonly restore?: ReadonlyArray<{ tar: () => Readable; target: string }>;
}

interface Handle {
  containerId?: string;
  /** Fixed so a restarted container keeps its address (Docker would pick a new one); picked again only if taken at first start. */
  hostPort: number;
  image: ImageRef;
  version: string;
}

/** What the members need of their ensemble. */
export interface MembersEnv {
  readonly runId: string;
  readonly image: ImageRef;
  readonly version: string;
  readonly jvmFlags?: string;
  readonly keep?: boolean;
  readonly signal?: AbortSignal;
  readonly clientPortBase?: number;
  readonly fakeClock?: boolean;
  readonly diskFaults?: boolean;
  topology(): Topology;
  network(): ZoneNetwork;
}

const PORT_TAKEN = /port is already allocated|address already in use/i;

export class Members {
  private readonly handles = new Map<MemberId, Handle>();

  constructor(private readonly env: MembersEnv) {}

  /** Host ports for every member: pinned (base + id) or picked free. */
  async init(ids: readonly MemberId[]): Promise<void> {
    for (const id of ids) this.handles.set(id, { hostPort: this.env.clientPortBase ? this.env.clientPortBase + id : await freeLoopbackPort(), image: this.env.image, version: this.env.version });
  }

  get ids(): MemberId[] {
    return [...this.handles.keys()];
  }

  private handle(id: MemberId): Handle {
    const h = this.handles.get(id);
    if (!h) throw new Error(`member ${id} is not in this ensemble; members are ${this.ids.join(", ")}`);
    return h;
  }

  hostPort(id: MemberId): number {
    return this.handle(id).hostPort;
  }

  containerName(id: MemberId): string {
    return memberContainerName(this.env.runId, id);
  }

  /** The member's container id (it must have been started once). */
  containerOf(id: MemberId): string {
    const cid = this.handle(id).containerId;
    if (!cid) throw new Error(`member ${id} was never started (a standby?); start it first`);
    return cid;
  }

  createdIds(): Array<{ id: MemberId; containerId: string }> {
    return [...this.handles].filter(([, h]) => h.containerId).map(([id, h]) => ({ id, containerId: h.containerId! }));
  }

  /** The host folder of the member's own dataLogDir disk (topology datalogMb). */
  datalogDiskOf(id: MemberId): string {
    const m = memberById(this.env.topology(), id);
    if (!m.datalogMb) throw new Error(`member ${id} has no disk of its own for its dataLogDir; give it datalogMb in the topology (e.g. datalogMb: 64)`);
    return diskPath(this.env.runId, hostnameOf(id));
  }

  versionOf(id: MemberId): string {
    return this.handle(id).version;
  }

  imageOf(id: MemberId): ImageRef {
    return this.handle(id).image;
  }

  async state(id: MemberId): Promise<MemberState> {
    const h = this.handle(id);
    if (!h.containerId) return "not-created";
    const info = await containerAt(h.containerId).inspect();
    if (info.State.Paused) return "paused";
    return info.State.Running ? "running" : "stopped";
  }

  /**
   * Starts a member: the first time with testcontainers (a new container with its files);
   * afterwards the same container again, data kept unless `wipeData` (P2: standbys join empty).
   */
  async start(id: MemberId, opts: StartOptions = {}): Promise<void> {
    const h = this.handle(id);
    if (h.containerId) {
      if (opts.wipeData) await putFiles(h.containerId, [{ path: "/zkdrill/wipe-data", content: "" }]);
      for (const a of opts.restore ?? []) await containerAt(h.containerId).putArchive(a.tar(), { path: a.target });
      await containerAt(h.containerId).start();
      return;
    }
    this.env.signal?.throwIfAborted();
    // A host port picked free can be taken before Docker binds it (another run, another program):
    // a new one is picked, a bounded number of times; a pinned one is the user's to free.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.create(id, opts);
        return;
      } catch (err) {
        if (!PORT_TAKEN.test((err as Error).message) || attempt === 3 || this.env.clientPortBase) throw err;
        await containerAt(this.containerName(id)).remove({ force: true }).catch(() => undefined);
        h.hostPort = await freeLoopbackPort();
      }
    }
  }

  private async create(id: MemberId, opts: StartOptions): Promise<void> {
    const h = this.handle(id);
    const t = this.env.topology();
    const m = memberById(t, id);
    const logTail: string[] = [];
    const spec: MemberContainerSpec = {
      logTail,
      image: h.image.name,
      name: this.containerName(id),
      id,
      zone: m.zone,
      network: this.env.network().networkOf(m.zone),
      labels: { ...runLabels(this.env.runId, this.env.keep), "zkdrill.version": h.version },
      files: configFiles(t, id, h.version),
      jvmFlags: this.env.jvmFlags ?? "",
      clientPort: t.settings.clientPort,
      hostPort: h.hostPort,
      restore: opts.restore ?? [],
      fakeClock: this.env.fakeClock,
      diskFaults: this.env.diskFaults,
      datalogDisk: m.datalogMb ? await ensureDisk(this.env.runId, hostnameOf(id), m.datalogMb, this.env.keep) : undefined,
    };
    try {
      const host = hostOfMember(t, id);
      h.containerId = host === LOCAL_HOST ? (await memberContainer(spec).start()).getId() : await startRemoteMember(host, spec);
    } catch (err) {
      const message = (err as Error).message;
      const port = PORT_TAKEN.test(message) ? ` (host port 127.0.0.1:${h.hostPort} is taken by something else)` : "";
      const printed = logTail.length > 0 ? `last lines it printed:\n${logTail.join("\n")}` : await this.logTail(id);
      throw new Error(`member ${id} (${this.containerName(id)}) did not start${port}: ${message}\n${printed}`);
    }
  }

  /** The last lines a failed container printed, for the error message. */
  private async logTail(id: MemberId): Promise<string> {
    try {
      const log = await containerLog(this.containerName(id));
      return `last lines of its log:\n${log.trim().split("\n").slice(-15).join("\n")}`;
    } catch {
      return "(its log could not be read)";
    }
  }

  /**
   * The member on another ZooKeeper version, as an operator upgrades a host: stopped, its data and
   * transaction logs carried into a new container of `image` (same hostname, network and port), started.
   */
  async replace(id: MemberId, image: ImageRef, version: string): Promise<void> {
    const h = this.handle(id);
    const cid = this.containerOf(id);
    if ((await this.state(id)) !== "stopped") await this.stop(id);
    const data = await underPrefix(await archiveOf(cid, `${ZK_PATHS.dataDir}/version-2`), "restore/data");
    const datalog = await underPrefix(await archiveOf(cid, `${ZK_PATHS.dataLogDir}/version-2`), "restore/datalog");
    await containerAt(cid).remove({ force: true });
    Object.assign(h, { containerId: undefined, image, version });
    await this.start(id, { restore: [{ tar: () => Readable.from(data), target: "/zkdrill" }, { tar: () => Readable.from(datalog), target: "/zkdrill" }] });
  }

  /** SIGKILL: the process dies at once, as in a power loss (P1's kill -9). */
  async kill(id: MemberId): Promise<void> {
    await containerAt(this.containerOf(id)).kill({ signal: "SIGKILL" });
    await containerAt(this.containerOf(id)).wait();
  }

  /** SIGTERM, then SIGKILL after `graceS` seconds: a graceful stop. */
  async stop(id: MemberId, graceS = 10): Promise<void> {
    await containerAt(this.containerOf(id)).stop({ t: graceS });
  }

  async pause(id: MemberId): Promise<void> {
    await containerAt(this.containerOf(id)).pause();
  }

  async unpause(id: MemberId): Promise<void> {
    await containerAt(this.containerOf(id)).unpause();
  }
}
