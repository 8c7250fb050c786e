// Test support: a DrillWords that records each drill word called, with its arguments, and answers
// from a script. It tests the format's mapping onto the words, not ZooKeeper (the real run is on
// containers).
import type { Backup } from "../../backup";
import { SeededRandom } from "../../common";
import type { z } from "zod";
import type { FaultSpec, Params } from "../../faults/spec";
import type { MemberId, Topology, ZoneName } from "../../topology";
import type { WorkloadSummary } from "../../workload";
import type { DrillWords } from "./interpreter";

/** A client as the fake opens it: its name and what it was opened with, nothing that connects. */
type Client = Awaited<ReturnType<DrillWords["openClient"]>>;
import type { SavedQuorum } from "./selectors";

export type Call = readonly [word: string, ...args: unknown[]];

export class RecordingContext implements DrillWords {
  readonly calls: Call[] = [];
  readonly random: SeededRandom;
  private readonly running = new Set<MemberId>();
  readonly expect: DrillWords["expect"];
  readonly runningMembers: () => Promise<MemberId[]>;

  /** `quorums` answers each d.quorum() call in turn (the last one repeats); `leaders` each expect.leaderIn. */
  constructor(
    readonly topology: Topology,
    private readonly quorums: SavedQuorum[],
    private readonly leaders: MemberId[] = [],
    seed = 7,
  ) {
    this.random = new SeededRandom(seed);
    for (const m of topology.members) if (!m.standby) this.running.add(m.id);
    const running = () => [...this.running].sort((a, b) => a - b);
    this.runningMembers = async () => running();
    const record = (word: string) => async (...args: unknown[]) => void this.calls.push([`expect.${word}`, ...args]);
    this.expect = {
      leaderIn: async (allowed?: readonly MemberId[], timeoutMs?: number) => {
        this.calls.push(["expect.leaderIn", allowed, timeoutMs]);
        return this.leaders.shift() ?? allowed?.[0] ?? 0;
      },
      quorumLost: record("quorumLost"),
      ruokWithoutQuorum: record("ruokWithoutQuorum"),
      znodesSurvive: record("znodesSurvive"),
      writesSurvive: record("writesSurvive"),
      reconciled: record("reconciled"),
      znodesAbsent: record("znodesAbsent"),
      epochRose: (before: number, after: number) => void this.calls.push(["expect.epochRose", before, after]),
      throughputHolds: (phase: string, baseline: string, minRatio?: number) => void this.calls.push(["expect.throughputHolds", phase, baseline, minRatio]),
      plannedQuorum: record("plannedQuorum"),
      roles: record("roles"),
      memberExits: record("memberExits"),
      fsyncSlow: record("fsyncSlow"),
      phaseLatency: record("phaseLatency"),
      // Clients are recorded by name: the fake's client is not a session.
      sessionKept: async (c: Client) => void this.calls.push(["expect.sessionKept", c.name]),
      sessionExpired: async (c: Client) => void this.calls.push(["expect.sessionExpired", c.name]),
      readOnlyServes: record("readOnlyServes"),
    };
  }

  private note(word: string, ...args: unknown[]): Promise<void> {
    this.calls.push([word, ...args]);
    return Promise.resolve();
  }

  async quorum(members?: readonly MemberId[], timeoutMs?: number): Promise<SavedQuorum> {
    this.calls.push(["quorum", members, timeoutMs]);
    return this.quorums.length > 1 ? this.quorums.shift()! : this.quorums[0];
  }

  membersIn(zone: ZoneName): MemberId[] {
    return this.topology.members.filter((m) => m.zone === zone).map((m) => m.id);
  }

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.calls.push(["step", name]);
    const value = await work();
    this.calls.push(["step-end", name]);
    return value;
  }

  async newLineage<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.calls.push(["newLineage", name]);
    const value = await work();
    this.calls.push(["newLineage-end", name]);
    return value;
  }

  write = (paths: readonly string[], members?: readonly MemberId[], opts: { remember?: boolean } = {}) => this.note("write", paths, members, opts);
  startWorkload = (opts: object = {}) => this.note("startWorkload", opts);
  startRecipes = (recipes: readonly string[], opts: object = {}) => this.note("startRecipes", recipes, opts);
  stopWorkload = async (): Promise<WorkloadSummary> => {
    this.calls.push(["stopWorkload"]);
    const sessions = { opened: 0, disconnects: 0, expirations: 0, reconnects: 0, readTimeouts: 0 };
    return { ops: 0, writesAcked: 0, errors: {}, sessions, controllerChanges: 0 };
  };
  moveClients = (members: readonly MemberId[], fromZone?: ZoneName) => this.note("moveClients", members, fromZone);
  measure = (name: string, ms: number, o: { outlast?: string } = {}) => (o.outlast ? this.note("measure", name, ms, o) : this.note("measure", name, ms));
  phase = (name: string) => void this.calls.push(["phase", name]);
  writesSucceed = (n: number, timeoutMs?: number) => this.note("writesSucceed", n, timeoutMs);

  /** A fault of the catalog: recorded as its verb and arguments; kill and stop take members out of `running`, start puts them back. */
  async fault<S extends z.ZodObject, X extends object>(spec: FaultSpec<string, string, S, X>, p: Params<S, X>): Promise<void> {
    this.calls.push([spec.verb, p]);
    if (!spec.running) return;
    for (const id of spec.members(p, { topology: this.topology, versionOf: () => "unknown" })) {
      if (spec.running === "down") this.running.delete(id);
      else this.running.add(id);
    }
  }

  openClient = async (name: string, members: readonly MemberId[], sessionTimeoutMs: number): Promise<Client> => {
    this.calls.push(["openClient", name, members, sessionTimeoutMs]);
    return { name, members, sessionTimeoutMs } as unknown as Client;
  };
  clientCrash = (c: Client) => this.note("clientCrash", c.name);
  clientPartition = (c: Client, forMs?: number) => this.note("clientPartition", c.name, forMs);

  rollingRestart = (targets: readonly MemberId[], members: readonly MemberId[]) => this.note("rollingRestart", targets, members);
  backup = async (member: MemberId): Promise<Backup> => {
    this.calls.push(["backup", member]);
    return { member, startedAt: 0, endedAt: 0, startedMono: 0, endedMono: 0, zxid: "0x0", files: { data: "data.tar", datalog: "datalog.tar" }, bytes: 0, location: "memory" };
  };
  restore = (b: Backup, members: readonly MemberId[]) => this.note("restore", b.member, members);
  rollingUpgrade = (targets: readonly MemberId[], members: readonly MemberId[], version?: string) => this.note("rollingUpgrade", targets, members, version);
}
