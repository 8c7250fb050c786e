// The run core every part of the drill words is handed (src/drill/context.ts composes them): named
// steps (journaled, stopped by an abort condition or an interrupt), checks and findings, who leads,
// and the drill's own writes and reads. No part holds more than this and the parts it names.
import type { Objectives } from "../checks";
import { CheckKind, judged } from "../checks";
import type { CheckResult } from "../checks";
import { samplesOf } from "../checks";
import { SeededRandom } from "../common";
import { operations } from "../history";
import { errorText } from "../common";
import type { MemberReads } from "../checks";
import { syncedReads, ReadPlan } from "../probes";
import type { HistoryRecorder } from "../history";
import type { Journal } from "../journal";
import type { QuorumView, StartedEnsemble } from "../runtime";
import { MemberId, Topology, versionAtLeast, ZoneName } from "../topology";
import { partitionPath } from "../workload";
import { ZkClient } from "../zk";

export type LiveUpdate = (update: { step?: string; opsPerSec?: number; recordsPerSec?: number }) => void;

/** A check that failed: the drill stops there, its verdict in the journal. */
export class CheckFailed extends Error {
  constructor(readonly check: CheckResult) {
    super(`check failed: ${check.name}: ${check.summary}`);
    this.name = "CheckFailed";
  }
}

export class RunCore {
  readonly random: SeededRandom;
  /** Named znodes the drill wrote (P2's /zk-permanent, /test), read back by `expect.znodesSurvive`. */
  readonly named: string[] = [];
  /** Monotonic ms the current lineage began (-Infinity: the first). */
  lineageStart = -Infinity;
  /** The workload's partitions, when it runs (the registers a survival check reads). */
  workloadPartitions = 0;

  constructor(
    readonly ensemble: StartedEnsemble,
    readonly journal: Journal,
    readonly history: HistoryRecorder,
    seed: number,
    readonly quick: boolean,
    private readonly progress: (line: string) => void,
    readonly live: LiveUpdate = () => {},
    /** What the drill holds the recovery to (its own, with this run's overrides). */
    readonly objectives: Objectives = {},
  ) {
    this.random = new SeededRandom(seed);
    this.stopped.catch(() => undefined); // observed by the steps that race it; never unhandled
  }

  say(line: string): void {
    this.progress(line);
  }

  /** A measured figure or behaviour ZooKeeper does not guarantee, stated with a severity (the report lists it). */
  finding(name: string, severity: "info" | "warning" | "critical", text: string, figure: Record<string, unknown> = {}): void {
    this.journal.append("finding", { name, severity, text, figure });
    this.say(`  • finding (${severity}): ${name}: ${text}`);
  }

  /** Set when the drill must stop (an abort condition, an interrupt): the next step throws, saying why. */
  private abortReason?: string;

  private stopNow: (err: Error) => void = () => {};
  /** Rejects when the drill must stop: a step in flight stops waiting for its work. */
  private readonly stopped = new Promise<never>((_, reject) => (this.stopNow = reject));

  /** Why the drill was stopped (an abort condition, an interrupt, the engine gone), if it was. */
  get abortedFor(): string | undefined {
    return this.abortReason;
  }

  abort(reason: string): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.stopNow(new Error(`stopped: ${reason}`));
    this.journal.appendIfOpen("note", { what: "drill stopped", reason });
    this.progress(`✘ stopping the drill: ${reason}`);
  }

  /** `work`, unless the drill must stop first (an abort condition, an interrupt): then it throws, saying why. */
  unlessStopped<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.stopped]);
  }

  /** A named step of the runbook; its start, end and outcome go to the journal. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.abortReason) throw new Error(`stopped: ${this.abortReason}`);
    const started = Date.now();
    this.journal.append("step-start", { name });
    this.progress(`▶ ${name}`);
    this.live({ step: name });
    try {
      const value = await this.unlessStopped(work());
      this.journal.append("step-end", { name, status: "passed", durationMs: Date.now() - started });
      this.progress(`  ✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return value;
    } catch (err) {
      this.journal.appendIfOpen("step-end", { name, status: "failed", durationMs: Date.now() - started, error: errorText(err) });
      this.progress(`  ✘ ${name}: ${errorText(err)}`);
      throw err;
    }
  }

  /**
   * Judges `input` with the named check of src/checks, journals kind, input and verdict together (so
   * `report verify` recomputes it from the run folder), and stops the drill on a failure.
   */
  check<K extends CheckKind>(kind: K, input: Parameters<typeof judged<K>>[1]): CheckResult {
    this.history.flush();
    // The operations only for a check that reads the history: a soak's are millions of events to pair.
    const history = this.history;
    const { result } = judged(kind, input, {
      get ops() {
        return operations(history.events);
      },
      samples: samplesOf(this.journal.events),
    });
    this.journal.append("check", { kind, input, name: result.name, status: result.status, summary: result.summary, evidence: result.evidence });
    this.say(`  ${result.status === "passed" ? "✔" : result.status === "failed" ? "✘" : "?"} check: ${result.name}: ${result.summary}`);
    if (result.status === "failed") throw new CheckFailed(result);
    return result;
  }

  // ---- who leads ----

  /** Waits for `members` (default: every running member) to agree on one leader; polls, never samples once. */
  async quorum(members?: readonly MemberId[], timeoutMs = 60_000): Promise<QuorumView> {
    const q = await this.unlessStopped(this.ensemble.waitForQuorum({ members, timeoutMs }));
    this.journal.append("note", { what: "quorum", leader: q.leader, followers: q.followers, observers: q.observers, epoch: q.epoch });
    return q;
  }

  /** A journaled wait for `members` (default: every running member) to agree on one leader: a step of its own. */
  waitForQuorum(members?: readonly MemberId[], o: { name?: string; timeoutMs?: number } = {}): Promise<QuorumView> {
    return this.step(o.name ?? `wait for a quorum${members ? ` of ${members.join(", ")}` : ""}`, () => this.quorum(members, o.timeoutMs));
  }

  /**
   * Whether `members` agree on one leader within `timeoutMs` (a path the runbook chooses by, not a
   * verdict): a step that passes either way, the answer journaled.
   */
  quorumWithin(members: readonly MemberId[], timeoutMs: number): Promise<boolean> {
    return this.step(`see whether ${members.join(", ")} agree on a leader within ${(timeoutMs / 1000).toFixed(0)} s`, async () => {
      const agreed = await this.quorum(members, timeoutMs).then(() => true, (err: Error) => (/^stopped: /.test(err.message) ? Promise.reject(err) : false));
      this.journal.append("note", { what: "quorum within", members, timeoutMs, agreed });
      return agreed;
    });
  }

  /** A member's container as the engine sees it now: running, stopped or paused. */
  memberState(id: MemberId): Promise<string> {
    return this.ensemble.state(id);
  }

  /** Every member of the topology, by id (running or not). */
  members(): MemberId[] {
    return this.ensemble.topology.members.map((m) => m.id);
  }

  /** The members whose containers run now. */
  runningMembers(): Promise<MemberId[]> {
    return this.ensemble.running();
  }

  /** The layout the drill runs on (zones, members, roles, brokers), as planned. */
  get topology(): Topology {
    return this.ensemble.topology;
  }

  /** A throughput check's share of the baseline: the one given, else the objective; a drill with neither is a mistake. */
  throughputRatio(given?: number): number {
    const ratio = given ?? this.objectives.minThroughputRatio;
    if (ratio === undefined) throw new Error("a throughput check needs its share of the baseline: give it, or declare objectives.minThroughputRatio (YAML: min-throughput-ratio)");
    return ratio;
  }

  /** The voters running now (participants of the current configuration, not standbys or stopped). */
  async voters(): Promise<MemberId[]> {
    const running = await this.ensemble.running();
    return this.ensemble.topology.members.filter((m) => m.role === "participant" && running.includes(m.id)).map((m) => m.id);
  }

  /** The ZooKeeper version member `id` runs now (the run's, or what an upgrade put there). */
  versionOf(id: MemberId): string {
    return this.ensemble.members.versionOf(id);
  }

  /** Whether member `id` runs `version` or later (a drill whose outcome a release changed). */
  runsAtLeast(id: MemberId, version: string): boolean {
    return versionAtLeast(this.versionOf(id), version);
  }

  membersIn(zone: ZoneName): MemberId[] {
    return this.ensemble.topology.members.filter((m) => m.zone === zone).map((m) => m.id);
  }

  /** Another member of `id`'s zone (the first by id), or undefined when it is alone there. */
  zoneMateOf(id: MemberId): MemberId | undefined {
    const zone = this.ensemble.topology.members.find((m) => m.id === id)?.zone;
    return zone === undefined ? undefined : this.membersIn(zone).find((x) => x !== id);
  }

  // ---- writes and reads the drill makes itself ----

  /** Writes named znodes through the ensemble (recorded in the history), read back by `expect.znodesSurvive`. */
  async write(paths: readonly string[], members?: readonly MemberId[], opts: { remember?: boolean } = {}): Promise<void> {
    const via = members ?? (await this.ensemble.running());
    const shown = paths.length > 3 ? `${paths.slice(0, 3).join(", ")} and ${paths.length - 3} more` : paths.join(", ");
    await this.step(`write znodes ${shown}${members ? ` through ${members.join(", ")}` : ""}`, async () => {
      await ZkClient.with(
        this.ensemble.connectString(via),
        async (c) => {
          for (const p of paths) {
            await c.mkdirp(p);
            await c.setData(p, c.uniqueData({ note: `${p} written by the drill` }));
            if (opts.remember !== false && !this.named.includes(p)) this.named.push(p);
          }
        },
        { record: { history: this.history, role: "drill", members: via } },
      );
    });
  }

  /** Reads what each member holds (a synced read each), recorded in the history and named in the journal. */
  async readMembers(members: readonly MemberId[], plan: ReadPlan): Promise<MemberReads[]> {
    const reads = await syncedReads(this.ensemble, this.history, members, plan);
    this.journal.append("note", { what: "synced reads", reads, paths: plan.paths, set: plan.set });
    return reads;
  }

  /** The registers a survival check reads: named znodes, and the workload's partition states. */
  registersToRead(): string[] {
    return [...this.named, ...Array.from({ length: this.workloadPartitions }, (_, p) => partitionPath(p))];
  }

}
