// One drill's ensemble: its zone networks, its members (src/runtime/members.ts), the config each runs
// with, and what the harness asks of them (four-letter words, zkCli, logs); removed by label.
import { allSettledOrThrow } from "../common";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImageRef } from "../images";
import { ZoneNetwork } from "../network";
import { hostnameOf, lineOf, MemberChange, MemberId, remoteHosts, rewrite, Topology, ZK_PATHS, ZoneName } from "../topology";
import { Endpoint, ServerStatus, srvr, fourLetter, FourLetterWord } from "../zk";
import { containerLog, execIn, ExecResult, filesOf, FileToPut, putFiles, readFileOf, configureTestcontainers, containerAt, reap, trackRun, untrackRun } from "../docker";
import { configFiles, configText } from "./member-container";
import { Members, MemberState, StartOptions } from "./members";
import { QuorumView, waitForNotServing, waitForQuorum } from "./quorum";

export type { QuorumView } from "./quorum";

export interface EnsemblePlan {
  readonly runId: string;
  readonly topology: Topology;
  readonly image: ImageRef;
  /** The ZooKeeper version of `image` (each member's zoo.cfg is written for its line). */
  readonly version: string;
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
  /** Members start with libfaketime preloaded, so a drill can move their wall clocks (clock faults). */
  readonly fakeClock?: boolean;
  /** Members start with the disk shim preloaded, so a drill can slow their fsyncs or make them lie (disk faults). */
  readonly diskFaults?: boolean;
}

export type { MemberState, StartOptions } from "./members";

export class StartedEnsemble {
  private current: Topology;
  private net?: ZoneNetwork;
  /** Each member's container, image and version. */
  readonly members: Members;

  private constructor(readonly plan: EnsemblePlan) {
    this.current = plan.topology;
    this.members = new Members({ ...plan, topology: () => this.current, network: () => this.network });
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
      await e.members.init(plan.topology.members.map((m) => m.id));
      // Settle every start before tearing down: a member still being created when teardown lists the
      // containers would be left behind (seen when one member's port was taken).
      await allSettledOrThrow(plan.topology.members.filter((m) => !m.standby).map((m) => e.startMember(m.id)));
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

  containerName(id: MemberId): string {
    return this.members.containerName(id);
  }

  /**
   * Where the host reaches a member's client port (127.0.0.1 only): directly, or as a client in
   * `fromZone` would, through that zone's link (its latency and its partitions).
   */
  endpoint(id: MemberId, fromZone?: ZoneName): Endpoint {
    const direct = this.network.accessEndpoint(id) ?? { host: "127.0.0.1", port: this.members.hostPort(id) };
    return fromZone === undefined ? direct : this.network.clientEndpoint(id, fromZone, direct);
  }

  connectString(ids: readonly MemberId[] = this.current.members.map((m) => m.id), fromZone?: ZoneName): string {
    return ids.map((id) => this.endpoint(id, fromZone)).map((e) => `${e.host}:${e.port}`).join(",");
  }

  state(id: MemberId): Promise<MemberState> {
    return this.members.state(id);
  }

  /** Members whose container runs now. */
  async running(): Promise<MemberId[]> {
    const ids = this.members.ids;
    const states = await Promise.all(ids.map((id) => this.state(id)));
    return ids.filter((_, i) => states[i] === "running");
  }

  /** The zoo.cfg (and dynamic file) a member runs with now, as written into its container. */
  configOf(id: MemberId): string {
    return configText(this.current, id, this.members.versionOf(id));
  }

  /** Starts a member: a new container the first time, the same one afterwards (src/runtime/members.ts). */
  startMember(id: MemberId, opts: StartOptions = {}): Promise<void> {
    return this.members.start(id, opts);
  }

  /** The member on another ZooKeeper version, its data carried over (a rolling upgrade's step). */
  upgradeMember(id: MemberId, image: ImageRef, version: string): Promise<void> {
    return this.members.replace(id, image, version);
  }

  /** The ZooKeeper version each member runs (or will run when started). */
  versions(): Record<string, string> {
    return Object.fromEntries(this.members.ids.map((id) => [String(id), this.members.versionOf(id)]));
  }

  /** The member's container id (it must have been started once). */
  containerIdOf(id: MemberId): string {
    return this.members.containerOf(id);
  }

  kill(id: MemberId): Promise<void> {
    return this.members.kill(id);
  }

  stop(id: MemberId, graceS = 10): Promise<void> {
    return this.members.stop(id, graceS);
  }

  pause(id: MemberId): Promise<void> {
    return this.members.pause(id);
  }

  unpause(id: MemberId): Promise<void> {
    return this.members.unpause(id);
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
      const cid = this.members.createdIds().find((c) => c.id === id)?.containerId;
      if (cid) await putFiles(cid, configFiles(this.current, id, this.members.versionOf(id)));
      out[id] = this.configOf(id);
    }
    return out;
  }

  /** A zoo.cfg written as given, not generated (an operator's hand edit); used at the member's next start. */
  async putConfigText(id: MemberId, text: string): Promise<void> {
    await putFiles(this.members.containerOf(id), [{ path: `${ZK_PATHS.confDir}/zoo.cfg`, content: text }]);
  }

  /** When the member's container last started (Docker's StartedAt): a restart shows as a later time. */
  async startedAt(id: MemberId): Promise<string> {
    return (await containerAt(this.members.containerOf(id)).inspect()).State.StartedAt;
  }

  /** How the member's process last ended (null while it runs). */
  async exitCode(id: MemberId): Promise<number | null> {
    const s = (await containerAt(this.members.containerOf(id)).inspect()).State;
    return s.Running ? null : s.ExitCode;
  }

  /** The member's whole log so far (every start of its container). */
  async log(id: MemberId): Promise<string> {
    return containerLog(this.members.containerOf(id));
  }

  /** The files under a folder of the member's container (running or stopped). */
  async files(id: MemberId, dir: string): Promise<Array<{ name: string; content: Buffer }>> {
    return filesOf(this.members.containerOf(id), dir);
  }

  /** Files written into the member's container (running or stopped). */
  async putFiles(id: MemberId, files: readonly FileToPut[]): Promise<void> {
    await putFiles(this.members.containerOf(id), files);
  }

  /** A file of the member's container (running or stopped), as text. */
  async readFile(id: MemberId, path: string): Promise<string> {
    return readFileOf(this.members.containerOf(id), path);
  }

  async exec(id: MemberId, cmd: readonly string[], timeoutMs?: number): Promise<ExecResult> {
    return execIn(this.members.containerOf(id), cmd, timeoutMs);
  }

  /** zkCli inside the member's container (reconfig, get /zookeeper/config); about 0.6 s of JVM start each. */
  async zkCli(id: MemberId, args: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    this.zkCliAvailable(id);
    return execIn(this.members.containerOf(id), ["sh", "/zkdrill/zk-cli.sh", ...args], timeoutMs);
  }

  /** zkCli reading `commands` from stdin: one session for all of them (reconfig after addauth). */
  async zkCliScript(id: MemberId, commands: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
    this.zkCliAvailable(id);
    // zkCli without JLine reads commands from stdin, one session for all of them.
    await putFiles(this.members.containerOf(id), [{ path: "/zkdrill/zkcli-commands", content: [...commands, "quit", ""].join("\n") }]);
    return execIn(this.members.containerOf(id), ["sh", "-c", "sh /zkdrill/zk-cli.sh < /zkdrill/zkcli-commands"], timeoutMs);
  }

  /**
   * zkCli serves reconfig and /zookeeper/config, which 3.4 lacks; and 3.4's ZooKeeperMain runs its
   * command before the session connects (ConnectionLoss on every call, seen on 3.4.14).
   */
  private zkCliAvailable(id: MemberId): void {
    const version = this.members.versionOf(id);
    if (!lineOf(version).configZnode) {
      throw new Error(`zkCli is not offered on member ${id} (ZooKeeper ${version}): 3.4 has no reconfig or /zookeeper/config, and its zkCli runs a command before it connects; use the client words (d.client) or the four-letter words`);
    }
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
    return Promise.all(this.logSources().map((c) => this.writeLog(c)));
  }

  private logSources(): Array<{ name: string; id: string }> {
    mkdirSync(this.plan.logDir, { recursive: true });
    return [...this.members.createdIds().map((c) => ({ name: hostnameOf(c.id), id: c.containerId })), ...(this.net?.gatewayContainers() ?? [])];
  }

  private async writeLog(c: { name: string; id: string }): Promise<string> {
    const path = join(this.plan.logDir, `${c.name}.log`);
    writeFileSync(path, await containerLog(c.id).catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}
`));
    return path;
  }

  /**
   * Each container's log written, then the container removed, every container at once (no removal
   * waits for another container's log); then whatever the run's label still finds, and its networks.
   */
  async teardown(): Promise<void> {
    try {
      await Promise.all(
        this.logSources().map(async (c) => {
          await this.writeLog(c);
          // A removal that fails here is the label's reap's to retry, and to report.
          await containerAt(c.id).remove({ force: true, v: true }).catch(() => undefined);
        }),
      );
    } finally {
      await this.remove();
    }
  }

  /** Every container and network of the run, by label (logs collected or not). */
  async remove(): Promise<void> {
    // Where this run placed members: this machine's engine and its zones' hosts, no other.
    await reap(this.plan.runId, remoteHosts(this.plan.topology));
    untrackRun(this.plan.runId);
  }
}

/** A run id: sortable by time, unique enough for one host. */
export function newRunId(prefix = "run"): string {
  const t = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${prefix}-${t}-${Math.random().toString(36).slice(2, 6)}`;
}
