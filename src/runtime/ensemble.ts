// One drill's ensemble: labelled containers and networks, started with testcontainers,
// driven with dockerode where testcontainers has no verb (kill, stop, start again, pause, files, exec).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { ImageRef } from "../images/build";
import { memberContainerName } from "../network/wiring";
import { ZoneNetwork } from "../network/zone-network";
import { hostnameOf, memberById, MemberChange, MemberId, rewrite, Topology, ZK_PATHS, ZoneName } from "../topology";
import { Endpoint, ServerStatus, srvr, fourLetter, FourLetterWord } from "../zk/fourLetter";
import { containerLog, execIn, ExecResult, putFiles } from "../docker/container-io";
import { configureTestcontainers, docker, reap, runLabels } from "../docker/engine";
import { trackRun, untrackRun } from "./cleanup";
import { freeLoopbackPort } from "../docker/loopback";
import { configFiles, configText, memberContainer } from "./member-container";
import { QuorumView, waitForNotServing, waitForQuorum } from "./quorum";

export type { QuorumView } from "./quorum";

export interface EnsemblePlan {
  readonly runId: string;
  readonly topology: Topology;
  readonly image: ImageRef;
  /** Member logs are written here at teardown (and on demand). */
  readonly logDir: string;
  /** Extra JVM flags for every member (e.g. the superuser digest dynamic reconfig needs). */
  readonly jvmFlags?: string;
  /** Toxiproxy for the gateways between zones; needed when the topology has more than one zone. */
  readonly toxiproxyImage?: ImageRef;
  /** Left up on purpose (zkdrill up, run --keep): labelled so, never taken for a stale run. */
  readonly keep?: boolean;
  /** Aborted while starting (an interrupt): no further container is created. */
  readonly signal?: AbortSignal;
  /** Client ports pinned: member N on 127.0.0.1:<base + N> (zkdrill up --client-ports); otherwise picked free. */
  readonly clientPortBase?: number;
}

/** Whether a member's container exists and runs. */
export type MemberState = "not-created" | "running" | "stopped" | "paused";

interface MemberHandle {
  containerId?: string;
  /** Fixed so a restarted container keeps its address (Docker would pick a new one); picked again only if taken at first start. */
  hostPort: number;
}

export interface StartOptions {
  /** Start with empty version-2 folders (P2: standbys must). */
  readonly wipeData?: boolean;
  /** Backup archives staged under /zkdrill/restore; zk-run.sh moves them into place before start (P3). */
  readonly restore?: ReadonlyArray<{ tar: () => Readable; target: string }>;
}

export class StartedEnsemble {
  private readonly handles = new Map<MemberId, MemberHandle>();
  private current: Topology;

  private net?: ZoneNetwork;

  private constructor(readonly plan: EnsemblePlan) {
    this.current = plan.topology;
  }

  /**
   * Creates the zone networks (and their gateways), then starts every non-standby member in
   * parallel (awaiting one by one deadlocks on quorum).
   */
  static async start(plan: EnsemblePlan): Promise<StartedEnsemble> {
    configureTestcontainers();
    trackRun(plan.runId);
    const e = new StartedEnsemble(plan);
    try {
      e.net = await ZoneNetwork.create({ runId: plan.runId, topology: plan.topology, toxiproxyImage: plan.toxiproxyImage, keep: plan.keep });
      plan.signal?.throwIfAborted();
      for (const m of plan.topology.members) e.handles.set(m.id, { hostPort: plan.clientPortBase ? plan.clientPortBase + m.id : await freeLoopbackPort() });
      await Promise.all(plan.topology.members.filter((m) => !m.standby).map((m) => e.startMember(m.id)));
      return e;
    } catch (err) {
      // The start error is the one to report; a teardown failure after it is said on stderr.
      await e.teardown().catch((t: Error) => process.stderr.write(`zkdrill: teardown after a failed start also failed: ${t.message}; run: zkdrill down ${plan.runId}\n`));
      throw err;
    }
  }

  get topology(): Topology {
    return this.current;
  }

  get runId(): string {
    return this.plan.runId;
  }

  /** The zones' networks and gateways: latency, partitions, clients placed in a zone. */
  get network(): ZoneNetwork {
    if (!this.net) throw new Error("the ensemble's network is not up");
    return this.net;
  }

  private handle(id: MemberId): MemberHandle {
    const h = this.handles.get(id);
    if (!h) throw new Error(`member ${id} is not in this ensemble; members are ${[...this.handles.keys()].join(", ")}`);
    return h;
  }

  containerName(id: MemberId): string {
    return memberContainerName(this.plan.runId, id);
  }

  /**
   * Where the host reaches a member's client port (127.0.0.1 only): directly, or as a client in
   * `fromZone` would, through that zone's link (its latency and its partitions).
   */
  endpoint(id: MemberId, fromZone?: ZoneName): Endpoint {
    const direct = { host: "127.0.0.1", port: this.handle(id).hostPort };
    return fromZone === undefined ? direct : this.network.clientEndpoint(id, fromZone, direct);
  }

  connectString(ids: readonly MemberId[] = this.current.members.map((m) => m.id), fromZone?: ZoneName): string {
    return ids.map((id) => this.endpoint(id, fromZone)).map((e) => `${e.host}:${e.port}`).join(",");
  }

  async state(id: MemberId): Promise<MemberState> {
    const h = this.handle(id);
    if (!h.containerId) return "not-created";
    const info = await docker().getContainer(h.containerId).inspect();
    if (info.State.Paused) return "paused";
    return info.State.Running ? "running" : "stopped";
  }

  /** Members whose container runs now. */
  async running(): Promise<MemberId[]> {
    const ids = [...this.handles.keys()];
    const states = await Promise.all(ids.map((id) => this.state(id)));
    return ids.filter((_, i) => states[i] === "running");
  }

  /** The zoo.cfg (and dynamic file) a member runs with now, as written into its container. */
  configOf(id: MemberId): string {
    return configText(this.current, id);
  }

  /**
   * Starts a member: the first time with testcontainers (a new container with its files);
   * afterwards the same container again, data kept unless `wipeData` (P2: standbys join empty).
   */
  async startMember(id: MemberId, opts: StartOptions = {}): Promise<void> {
    const h = this.handle(id);
    if (h.containerId) {
      if (opts.wipeData) await putFiles(h.containerId, [{ path: "/zkdrill/wipe-data", content: "" }]);
      for (const a of opts.restore ?? []) await docker().getContainer(h.containerId).putArchive(a.tar(), { path: a.target });
      await docker().getContainer(h.containerId).start();
      return;
    }
    this.plan.signal?.throwIfAborted();
    // A host port picked free can be taken before Docker binds it (another run, another program):
    // a new one is picked, a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.createMember(id, opts);
        return;
      } catch (err) {
        const taken = /port is already allocated|address already in use/i.test((err as Error).message);
        // A pinned port is the user's to free; a picked one is picked again.
        if (!taken || attempt === 3 || this.plan.clientPortBase) throw err;
        await docker().getContainer(this.containerName(id)).remove({ force: true }).catch(() => undefined);
        h.hostPort = await freeLoopbackPort();
      }
    }
  }

  private async createMember(id: MemberId, opts: StartOptions): Promise<void> {
    const h = this.handle(id);
    const m = memberById(this.current, id);
    const files = configFiles(this.current, id);
    const container = memberContainer({
      image: this.plan.image.name,
      name: this.containerName(id),
      id,
      zone: m.zone,
      network: this.network.networkOf(m.zone),
      labels: runLabels(this.plan.runId, this.plan.keep),
      files,
      jvmFlags: this.plan.jvmFlags ?? "",
      clientPort: this.current.settings.clientPort,
      hostPort: h.hostPort,
      restore: opts.restore ?? [],
    });
    try {
      const started = await container.start();
      h.containerId = started.getId();
    } catch (err) {
      const message = (err as Error).message;
      const port = /port is already allocated|address already in use/i.test(message) ? ` (host port 127.0.0.1:${h.hostPort} is taken by something else)` : "";
      throw new Error(`member ${id} (${this.containerName(id)}) did not start${port}: ${message}\n${await this.logTailByName(id)}`);
    }
  }

  /** The last lines a failed container printed, for the error message. */
  private async logTailByName(id: MemberId): Promise<string> {
    try {
      const log = await containerLog(this.containerName(id));
      return `last lines of its log:\n${log.trim().split("\n").slice(-15).join("\n")}`;
    } catch {
      return "(its log could not be read)";
    }
  }

  /** The member's container id (it must have been started once). */
  containerIdOf(id: MemberId): string {
    return this.containerOf(id);
  }

  private containerOf(id: MemberId): string {
    const cid = this.handle(id).containerId;
    if (!cid) throw new Error(`member ${id} was never started (a standby?); start it first`);
    return cid;
  }

  /** SIGKILL: the process dies at once, as in a power loss (P1's kill -9). */
  async kill(id: MemberId): Promise<void> {
    await docker().getContainer(this.containerOf(id)).kill({ signal: "SIGKILL" });
    await docker().getContainer(this.containerOf(id)).wait();
  }

  /** SIGTERM, then SIGKILL after `graceS` seconds: a graceful stop. */
  async stop(id: MemberId, graceS = 10): Promise<void> {
    await docker().getContainer(this.containerOf(id)).stop({ t: graceS });
  }

  async pause(id: MemberId): Promise<void> {
    await docker().getContainer(this.containerOf(id)).pause();
  }

  async unpause(id: MemberId): Promise<void> {
    await docker().getContainer(this.containerOf(id)).unpause();
  }

  /**
   * Rewrites a member's config as a recovery step does (P2, P5, P9). Takes effect at its next
   * start; a created container gets the new files at once.
   */
  async rewriteConfig(id: MemberId, change: MemberChange): Promise<string> {
    return (await this.rewriteConfigs({ [id]: change }))[id];
  }

  /**
   * Several members rewritten as one change (P9: the observers promoted together; a config that
   * marks 4 a participant and 5, 6 still observers is one ZooKeeper refuses to start with).
   */
  async rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<Record<MemberId, string>> {
    this.current = rewrite(this.current, changes);
    const out: Record<MemberId, string> = {};
    for (const id of Object.keys(changes).map(Number)) {
      const cid = this.handle(id).containerId;
      if (cid) await putFiles(cid, configFiles(this.current, id));
      out[id] = this.configOf(id);
    }
    return out;
  }

  /** A zoo.cfg written as given, not generated (an operator's hand edit); used at the member's next start. */
  async putConfigText(id: MemberId, text: string): Promise<void> {
    await putFiles(this.containerOf(id), [{ path: `${ZK_PATHS.confDir}/zoo.cfg`, content: text }]);
  }

  /** When the member's container last started (Docker's StartedAt): a restart shows as a later time. */
  async startedAt(id: MemberId): Promise<string> {
    return (await docker().getContainer(this.containerOf(id)).inspect()).State.StartedAt;
  }

  /** The member's whole log so far (every start of its container). */
  async log(id: MemberId): Promise<string> {
    return containerLog(this.containerOf(id));
  }

  async exec(id: MemberId, cmd: readonly string[], timeoutMs?: number): Promise<ExecResult> {
    return execIn(this.containerOf(id), cmd, timeoutMs);
  }

  /** zkCli inside the member's container (reconfig, get /zookeeper/config); about 0.6 s of JVM start each. */
  async zkCli(id: MemberId, args: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    return execIn(this.containerOf(id), ["sh", "/zkdrill/zk-cli.sh", ...args], timeoutMs);
  }

  /** zkCli reading `commands` from stdin: one session for all of them (reconfig after addauth). */
  async zkCliScript(id: MemberId, commands: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    // zkCli without JLine reads commands from stdin, one session for all of them.
    await putFiles(this.containerOf(id), [{ path: "/zkdrill/zkcli-commands", content: [...commands, "quit", ""].join("\n") }]);
    return execIn(this.containerOf(id), ["sh", "-c", "sh /zkdrill/zk-cli.sh < /zkdrill/zkcli-commands"], timeoutMs);
  }

  async fourLetter(id: MemberId, word: FourLetterWord): Promise<string> {
    return fourLetter(this.endpoint(id), word);
  }

  async status(id: MemberId): Promise<ServerStatus> {
    return srvr(this.endpoint(id));
  }

  /**
   * Waits until the given members (default: all running) agree: exactly one leader, the rest
   * following or observing (src/runtime/quorum.ts).
   */
  waitForQuorum(opts: { members?: readonly MemberId[]; timeoutMs?: number } = {}): Promise<QuorumView> {
    return waitForQuorum(this, opts);
  }

  /** Waits until every given member answers "not currently serving requests" (quorum lost). */
  waitForNotServing(members: readonly MemberId[], timeoutMs = 30_000): Promise<Map<MemberId, string>> {
    return waitForNotServing(this, members, timeoutMs);
  }

  /** Writes each member's and gateway's log (every start of its container) to logDir; one that cannot be read says why in its file. */
  async collectLogs(): Promise<string[]> {
    mkdirSync(this.plan.logDir, { recursive: true });
    const sources = [
      ...[...this.handles].filter(([, h]) => h.containerId).map(([id, h]) => ({ name: hostnameOf(id), id: h.containerId! })),
      ...(this.net?.gatewayContainers() ?? []),
    ];
    return Promise.all(
      sources.map(async (c) => {
        const path = join(this.plan.logDir, `${c.name}.log`);
        writeFileSync(path, await containerLog(c.id).catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}\n`));
        return path;
      }),
    );
  }

  /** Logs first, then every container and network of the run, by label. */
  async teardown(): Promise<void> {
    try {
      await this.collectLogs();
    } finally {
      await this.remove();
    }
  }

  /** Every container and network of the run, by label (logs collected or not). */
  async remove(): Promise<void> {
    await reap(this.plan.runId);
    untrackRun(this.plan.runId);
  }
}

/** A run id: sortable by time, unique enough for one host. */
export function newRunId(prefix = "run"): string {
  const t = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${prefix}-${t}-${Math.random().toString(36).slice(2, 6)}`;
}
