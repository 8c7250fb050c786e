// The words a drill is written in: the operator's (start, stop, kill, rewrite config, promote),
// each a journaled step; and `expect`, the checks, each journaled with its evidence.
import { createHash } from "node:crypto";
import { SeededRandom } from "../common/random";
import { errorText, waitFor } from "../common/wait";
import * as checks from "../checks";
import type { CheckResult, LeaderSample, Phase } from "../checks";
import type { QuorumView, StartedEnsemble } from "../runtime/ensemble";
import { analyse, MemberChange, MemberId, memberById, quorumOf, ZoneName } from "../topology";
import { errorKind, ZkClient } from "../zk/client";
import { srvr } from "../zk/fourLetter";
import { KafkaWorkload, WorkloadOptions, WorkloadSummary } from "../workload/kafka";
import { CutMode, CutSpec, describeCut, isolate, validateCut } from "../network/wiring";
import { Journal } from "./journal";
import { SUPERUSER } from "./superuser";
import { putFiles } from "../runtime/container-io";
import { Backup, restoreArchives, takeBackup } from "../backup/backup";
import { BackupStore, DirectoryStore } from "../backup/store";
import { dirname, join } from "node:path";

export class CheckFailed extends Error {
  constructor(readonly check: CheckResult) {
    super(`check failed: ${check.name}: ${check.summary}`);
    this.name = "CheckFailed";
  }
}

const ids = (x: MemberId | readonly MemberId[]) => (Array.isArray(x) ? [...x] : [x as MemberId]);

export class DrillContext {
  readonly random: SeededRandom;
  /** Named znodes the drill wrote (path -> data), checked by `expect.znodesSurvive`. */
  private readonly written = new Map<string, string>();
  private readonly leaderSamples: LeaderSample[] = [];
  private workloadRun?: KafkaWorkload;
  private store?: BackupStore;
  private workloadSummary?: WorkloadSummary;
  private readonly phases: Phase[] = [];
  readonly metrics: { rtoMs?: number; rpo?: string; faults: Array<{ name: string; at: number }> } = { faults: [] };

  constructor(
    readonly ensemble: StartedEnsemble,
    readonly journal: Journal,
    seed: number,
    readonly quick: boolean,
    private readonly progress: (line: string) => void,
    private readonly live: (update: { step?: string; opsPerSec?: number }) => void = () => {},
  ) {
    this.random = new SeededRandom(seed);
  }

  /** A named step of the runbook; its start, end and outcome go to the journal. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.journal.append("step-start", { name });
    this.progress(`▶ ${name}`);
    this.live({ step: name });
    try {
      const value = await work();
      this.journal.append("step-end", { name, status: "passed", durationMs: Date.now() - started });
      this.progress(`  ✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return value;
    } catch (err) {
      this.journal.append("step-end", { name, status: "failed", durationMs: Date.now() - started, error: errorText(err) });
      this.progress(`  ✘ ${name}: ${errorText(err)}`);
      throw err;
    }
  }

  private fault(kind: string, members: MemberId[], extra: Record<string, unknown> = {}): void {
    const at = Date.now();
    this.metrics.faults.push({ name: `${kind} ${members.join(",")}`, at });
    this.journal.append("fault", { kind, members, ...extra });
  }

  // ---- the ensemble, in the operator's words ----

  /** Waits for a quorum and returns the leader (polls; never samples once). */
  async leader(members?: readonly MemberId[]): Promise<MemberId> {
    const q = await this.quorum(members);
    return q.leader;
  }

  async quorum(members?: readonly MemberId[], timeoutMs = 60_000): Promise<QuorumView> {
    const q = await this.ensemble.waitForQuorum({ members, timeoutMs });
    this.leaderSamples.push({ at: Date.now(), member: q.leader, epoch: q.epoch });
    this.journal.append("note", { what: "quorum", leader: q.leader, followers: q.followers, observers: q.observers, epoch: q.epoch });
    return q;
  }

  followersIn(zone: ZoneName, q: QuorumView): MemberId[] {
    return q.followers.filter((id) => memberById(this.ensemble.topology, id).zone === zone);
  }

  membersIn(zone: ZoneName): MemberId[] {
    return this.membersOf([zone]);
  }

  async kill(members: MemberId | readonly MemberId[]): Promise<void> {
    const list = ids(members);
    await this.step(`kill -9 member(s) ${list.join(", ")}`, async () => {
      this.fault("kill", list, { signal: "SIGKILL" });
      await Promise.all(list.map((id) => this.ensemble.kill(id)));
    });
  }

  /** Graceful stop (SIGTERM), one after the other in the order given (P2: followers first, leader last). */
  async stop(members: MemberId | readonly MemberId[]): Promise<void> {
    const list = ids(members);
    await this.step(`stop member(s) ${list.join(", ")} in this order`, async () => {
      for (const id of list) {
        this.fault("stop", [id], { signal: "SIGTERM" });
        await this.ensemble.stop(id);
      }
    });
  }

  async start(members: MemberId | readonly MemberId[], opts: { wipeData?: boolean } = {}): Promise<void> {
    const list = ids(members);
    await this.step(`start member(s) ${list.join(", ")}${opts.wipeData ? " with empty version-2 folders" : ""}`, async () => {
      this.journal.append("fault", { kind: "start", members: list, wipeData: opts.wipeData ?? false });
      await Promise.all(list.map((id) => this.ensemble.startMember(id, opts)));
    });
  }

  async restart(id: MemberId): Promise<void> {
    await this.step(`restart member ${id}`, async () => {
      this.journal.append("fault", { kind: "restart", members: [id] });
      if ((await this.ensemble.state(id)) === "running") await this.ensemble.stop(id);
      await this.ensemble.startMember(id);
    });
  }

  // ---- the network between zones ----

  /** Cuts zones apart (reset: refused; blackhole: bytes silently held), on top of cuts in force. */
  async partition(cut: CutSpec): Promise<void> {
    await this.step(`partition ${describeCut(cut)}`, async () => {
      validateCut(this.ensemble.topology, cut);
      this.fault("partition", this.membersOf([...cut.from, ...cut.to]), { cut });
      const changes = await this.ensemble.network.cut(cut);
      this.journal.append("note", { what: "proxies changed", changes });
    });
  }

  /** Cuts one zone off from every other; its members keep running. */
  async isolateZone(zone: ZoneName, mode: CutMode = "reset"): Promise<void> {
    await this.partition(isolate(this.ensemble.topology, zone, mode));
  }

  /** Removes every partition in force (or the one given). */
  async heal(cut?: CutSpec): Promise<void> {
    await this.step(cut ? `heal ${describeCut(cut)}` : "heal every partition", async () => {
      this.journal.append("fault", { kind: "heal", members: [], cut: cut ?? "all" });
      const changes = await this.ensemble.network.heal(cut);
      this.journal.append("note", { what: "proxies changed", changes });
    });
  }

  /**
   * A zone lost: `kill` powers every member off at once; `cut` leaves them running but unreachable
   * from the other zones (they keep talking among themselves, as in a real network split).
   */
  async zoneOutage(zone: ZoneName, how: "kill" | "cut", mode: CutMode = "blackhole"): Promise<void> {
    if (how === "kill") await this.kill(this.membersIn(zone));
    else await this.isolateZone(zone, mode);
  }

  private membersOf(zones: readonly ZoneName[]): MemberId[] {
    return this.ensemble.topology.members.filter((m) => zones.includes(m.zone)).map((m) => m.id);
  }

  /**
   * A rolling restart in the runbook's order: followers one at a time, the leader last (one
   * election), waiting after each for `members` to agree on a leader again.
   */
  async rollingRestart(targets: readonly MemberId[], members: readonly MemberId[]): Promise<void> {
    const q = await this.quorum(members);
    const order = [...targets.filter((id) => id !== q.leader), ...targets.filter((id) => id === q.leader)];
    this.journal.append("note", { what: "rolling restart order", order, leader: q.leader });
    for (const id of order) {
      await this.restart(id);
      await this.step(`wait for ${members.join(", ")} to agree on a leader after restarting ${id}`, () => this.quorum(members, 90_000));
    }
  }

  // ---- backup and restore (P3) ----

  /** The run's backup store: a folder beside the journal (an object store implements the same interface). */
  get backupStore(): BackupStore {
    this.store ??= new DirectoryStore(join(dirname(this.journal.path), "backups"));
    return this.store;
  }

  /** Copies a healthy member's snapshot and transaction logs to the store, under timestamped names. */
  async backup(member: MemberId): Promise<Backup> {
    return this.step(`back up member ${member}'s snapshot and transaction logs`, async () => {
      const b = await takeBackup(this.ensemble, member, this.backupStore);
      this.journal.append("note", { what: "backup", ...b });
      return b;
    });
  }

  /** Starts `members` (new or stopped) with the backup's version-2 folders in place of theirs. */
  async restore(b: Backup, members: readonly MemberId[]): Promise<void> {
    await this.step(`restore ${b.files.data} and ${b.files.datalog} into member(s) ${members.join(", ")} and start them`, async () => {
      const archives = await restoreArchives(b, this.backupStore);
      this.journal.append("fault", { kind: "start", members: [...members], restoredFrom: b.files });
      await Promise.all(members.map((id) => this.ensemble.startMember(id, { restore: archives })));
    });
  }

  /**
   * zkCli inside a member as the digest superuser (reconfig needs it): the commands run in one
   * session, after `addauth`. The drill's members must carry SUPERUSER_JVM_FLAG.
   */
  async zkCliAsSuperuser(member: MemberId, commands: readonly string[]): Promise<string> {
    return this.step(`zkCli on member ${member} as the superuser: ${commands.join("; ")}`, async () => {
      const script = [`addauth digest ${SUPERUSER.user}:${SUPERUSER.password}`, ...commands, "quit", ""].join("\n");
      // zkCli without JLine reads commands from stdin, one session for all of them.
      await putFiles(this.ensemble.containerIdOf(member), [{ path: "/zkdrill/zkcli-commands", content: script }]);
      const r = await this.ensemble.exec(member, ["sh", "-c", "sh /zkdrill/zk-cli.sh < /zkdrill/zkcli-commands"], 60_000);
      const out = `${r.stdout}\n${r.stderr}`;
      this.journal.append("note", { what: "zkCli", member, commands, exitCode: r.exitCode, output: out.slice(-4000) });
      if (r.exitCode !== 0) throw new Error(`zkCli exited ${r.exitCode}: ${out.trim().split("\n").slice(-5).join(" | ")}`);
      return out;
    });
  }

  /** States the recovery point for the report (P3: the backup's time; what came after is not there). */
  recordRpo(summary: string, evidence: Record<string, unknown>): void {
    this.metrics.rpo = summary;
    this.journal.append("note", { what: "rpo", summary, ...evidence });
  }

  async rewriteConfig(id: MemberId, change: MemberChange): Promise<void> {
    await this.rewriteConfigs({ [id]: change });
  }

  /** Rewrites several members' configs as one change; each takes effect at that member's next start. */
  async rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<void> {
    const ids = Object.keys(changes).map(Number);
    const same = new Set(Object.values(changes).map((c) => JSON.stringify(c))).size === 1;
    const what = same ? JSON.stringify(changes[ids[0]]) : JSON.stringify(changes);
    await this.step(`rewrite member${ids.length > 1 ? "s" : ""} ${ids.join(", ")}'s config (${what})`, async () => {
      const cfgs = await this.ensemble.rewriteConfigs(changes);
      for (const id of ids) this.journal.append("note", { what: "config rewritten", member: id, config: cfgs[id] });
    });
  }

  /** Writes named znodes (persistent) through the ensemble, remembering them for `expect.znodesSurvive`. */
  async write(paths: readonly string[], members?: readonly MemberId[]): Promise<void> {
    await this.step(`write znodes ${paths.join(", ")}`, async () => {
      await ZkClient.with(this.ensemble.connectString(members ?? (await this.ensemble.running())), async (c) => {
        for (const p of paths) {
          const data = `${p} written by drill at ${new Date().toISOString()}`;
          await c.mkdirp(p);
          await c.setData(p, Buffer.from(data));
          this.written.set(p, data);
        }
      });
    });
  }

  // ---- the workload ----

  /** Starts the workload; `fromZone` places its clients in that zone (they see its latency to each member). */
  async startWorkload(opts: Partial<WorkloadOptions> & { fromZone?: ZoneName } = {}): Promise<void> {
    const { fromZone, ...workloadOpts } = opts;
    await this.step(`start the Kafka-style workload${fromZone ? ` from zone ${fromZone}` : ""}`, async () => {
      const w = new KafkaWorkload({
        connectString: this.ensemble.connectString(await this.ensemble.running(), fromZone),
        seed: this.random.int(2 ** 31),
        inFlight: 8,
        ...workloadOpts,
        onSample: (s, line) => {
          // After an interrupt the journal is closed as aborted while the load winds down.
          if (this.journal.isClosed) return;
          this.journal.append("sample", { ...s });
          this.progress(`    ${line}`);
          this.live({ opsPerSec: s.ok });
        },
      });
      await w.start();
      this.workloadRun = w;
    });
  }

  /** The workload's clients switch to `members` (P5 step 2; a rollback switches them back). */
  async moveClients(members: readonly MemberId[], fromZone?: ZoneName): Promise<void> {
    await this.step(`switch the clients to member(s) ${members.join(", ")}`, async () => {
      const w = this.requireWorkload();
      const connectString = this.ensemble.connectString(members, fromZone);
      this.journal.append("note", { what: "clients moved", members, connectString });
      await w.moveTo(connectString);
    });
  }

  /** Marks the start of a named phase; it ends where the next begins. */
  phase(name: string): void {
    const now = Date.now();
    const last = this.phases[this.phases.length - 1];
    if (last) (last as { end: number }).end = now;
    this.phases.push({ name, start: now, end: Number.MAX_SAFE_INTEGER });
    this.journal.append("phase", { name });
  }

  /**
   * A measurement window: the workload runs for `ms` under phase `name` (shortened in quick mode).
   * It measures throughput; it never stands in for a condition.
   */
  async measure(name: string, ms: number): Promise<void> {
    this.requireWorkload();
    this.phase(name);
    await new Promise((r) => setTimeout(r, this.quick ? Math.min(ms, 3_000) : ms));
  }

  /** Lets the workload run until `n` more successful writes are seen (a condition, not a sleep). */
  async writesSucceed(n: number, timeoutMs = 30_000): Promise<void> {
    const w = this.requireWorkload();
    const target = w.writeAcks.length + n;
    await waitFor(`${n} more acknowledged writes`, async () => (w.writeAcks.length >= target ? { done: true, value: undefined } : { done: false, seen: `${w.writeAcks.length}/${target}` }), {
      timeoutMs,
      intervalMs: 50,
    });
  }

  /** Writes the workload saw acknowledged at or after `t` (ms since the epoch). */
  acknowledgedSince(t: number): number {
    return this.requireWorkload().writeAcks.filter((x) => x >= t).length;
  }

  private requireWorkload(): KafkaWorkload {
    if (!this.workloadRun) throw new Error("the workload is not running; call d.startWorkload() first");
    return this.workloadRun;
  }

  async stopWorkload(): Promise<WorkloadSummary> {
    return this.step("stop the workload", async () => {
      const w = this.requireWorkload();
      const s = await w.stop();
      const last = this.phases[this.phases.length - 1];
      if (last) (last as { end: number }).end = Date.now();
      this.workloadSummary = s;
      this.journal.append("note", { what: "workload summary", ...s });
      return s;
    });
  }

  /** Stops the workload if the drill did not (aborts, failures). */
  async abandonWorkload(): Promise<void> {
    if (this.workloadRun && !this.workloadSummary) this.workloadSummary = await this.workloadRun.stop();
  }

  get summary(): { workload?: WorkloadSummary; phases: readonly Phase[]; manifestSize: number } {
    return { workload: this.workloadSummary, phases: this.phases, manifestSize: this.workloadRun?.manifest.size ?? 0 };
  }

  throughputByPhase(): Record<string, number> {
    const w = this.workloadRun;
    if (!w) return {};
    return Object.fromEntries(this.phases.map((p) => [p.name, Math.round(checks.phaseThroughput(w.samples, p))]));
  }

  // ---- checks ----

  private record(r: CheckResult): CheckResult {
    this.journal.append("check", { name: r.name, status: r.status, summary: r.summary, evidence: r.evidence });
    this.progress(`  ${r.status === "passed" ? "✔" : "✘"} check: ${r.name}: ${r.summary}`);
    if (r.status === "failed") throw new CheckFailed(r);
    return r;
  }

  readonly expect = {
    /** Exactly one leader among the live voters, within `allowed` when given. */
    leaderIn: async (allowed?: readonly MemberId[], members?: readonly MemberId[]): Promise<MemberId> => {
      let q: QuorumView | undefined;
      let error = "";
      try {
        q = await this.quorum(members);
      } catch (err) {
        error = errorText(err);
      }
      const observers = this.ensemble.topology.members.filter((m) => m.role === "observer").map((m) => m.id);
      const r = q ? checks.oneLeader(q.statuses, { allowed, observers }) : { name: `exactly one leader${allowed ? ` among ${allowed.join(", ")}` : ""}`, status: "failed" as const, summary: error, evidence: { error } };
      this.record(r);
      return q!.leader;
    },

    /** Every given member stops serving (P1, P7): srvr answers "not currently serving", and a write fails. */
    quorumLost: async (members: readonly MemberId[], timeoutMs = 30_000): Promise<void> => {
      let answers: Map<MemberId, string>;
      try {
        answers = await this.ensemble.waitForNotServing(members, timeoutMs);
      } catch (err) {
        this.record({ name: "quorum lost", status: "failed", summary: errorText(err), evidence: { error: errorText(err) } });
        return;
      }
      let writeError = "";
      const c = await ZkClient.connect(this.ensemble.connectString(members), { connectTimeoutMs: 5_000, opTimeoutMs: 5_000 }).catch((err) => {
        writeError = `no session: ${errorText(err)}`;
        return undefined;
      });
      if (c) {
        try {
          await c.create(`/zkdrill-probe-${Date.now()}`);
          writeError = "";
        } catch (err) {
          writeError = errorText(err);
        } finally {
          c.close();
        }
      }
      const r = checks.quorumLost(answers, writeError);
      this.record(writeError ? r : { ...r, status: "failed", summary: "a write succeeded although members report no quorum" });
    },

    /** Each given member answers ruok with imok although it does not serve (P1's field signal). */
    ruokWithoutQuorum: async (members: readonly MemberId[]): Promise<void> => {
      const answers = new Map<MemberId, string>();
      for (const id of members) answers.set(id, (await this.ensemble.fourLetter(id, "ruok")).trim());
      const ok = [...answers.values()].every((a) => a === "imok");
      this.record({ name: "ruok answers imok without quorum", status: ok ? "passed" : "failed", summary: JSON.stringify(Object.fromEntries(answers)), evidence: { answers: Object.fromEntries(answers) } });
    },

    /** The named znodes the drill wrote read back on every given member (each read alone). */
    znodesSurvive: async (members: readonly MemberId[]): Promise<void> => {
      await this.convergence(members);
      const reads = await this.readOnEach(members, [...this.written.keys()], (data) => data.toString());
      this.record(checks.znodesPresent(this.written, reads.map((r) => ({ member: r.member, data: r.reads }))));
    },

    /** Every write the workload saw acknowledged reads back on every given member. */
    writesSurvive: async (members: readonly MemberId[], opts: { ackedBy?: number } = {}): Promise<void> => {
      const w = this.requireWorkload();
      // The acks so far (or by `ackedBy`, e.g. a backup's start): a workload still running acks newer
      // versions while we read, and a member read a moment earlier is not stale for it.
      const acked = new Map(opts.ackedBy === undefined ? w.manifest : w.ackHistory.filter((e) => e.ackedAt <= opts.ackedBy!).map((e) => [e.path, e] as const));
      await this.convergence(members);
      const reads = await this.readOnEach(members, [...acked.keys()], (data, version) => ({
        version,
        digest: createHash("sha256").update(data).digest("hex").slice(0, 16),
      }));
      this.record(checks.writesSurvive(acked, reads, opts.ackedBy));
    },

    /** Writes were unavailable at most `maxMs` since the last fault, or since the start of phase `sincePhase` (a rolling restart's several faults). */
    unavailableAtMost: async (maxMs: number, opts: { sincePhase?: string } = {}): Promise<void> => {
      const w = this.requireWorkload();
      const phase = opts.sincePhase === undefined ? undefined : this.phases.find((p) => p.name === opts.sincePhase);
      if (opts.sincePhase !== undefined && !phase) throw new Error(`phase "${opts.sincePhase}" was never marked; marked: ${this.phases.map((p) => p.name).join(", ")}`);
      const from = phase?.start ?? this.metrics.faults[this.metrics.faults.length - 1]?.at ?? this.phases[0]?.start ?? Date.now();
      await this.writesSucceed(1);
      const r = checks.unavailabilityWithin(w.writeAcks, from, Date.now(), maxMs);
      this.metrics.rtoMs = Math.max(this.metrics.rtoMs ?? 0, r.evidence.longestGapMs as number);
      this.record({ ...r, evidence: { ...r.evidence, firstWriteAfterFaultMs: checks.firstWriteAfter(w.writeAcks, from) ?? null } });
    },

    throughputHolds: (phase: string, baseline: string, minRatio: number): void => {
      const w = this.requireWorkload();
      const p = this.phases.find((x) => x.name === phase);
      const b = this.phases.find((x) => x.name === baseline);
      if (!p || !b) throw new Error(`phases "${phase}" and "${baseline}" must both be marked with d.phase(); marked: ${this.phases.map((x) => x.name).join(", ")}`);
      this.record(checks.throughputHolds(w.samples, b, p, minRatio));
    },

    epochRose: (before: number, after: number): void => {
      this.record(checks.epochRose(before, after));
    },

    /** A check the drill states itself, with its evidence (e.g. P4's roles in /zookeeper/config). */
    that: (name: string, pass: boolean, summary: string, evidence: Record<string, unknown> = {}): void => {
      this.record({ name, status: pass ? "passed" : "failed", summary, evidence });
    },

    /**
     * The planner's quorum for the members running now, against the voters the leader itself counts
     * (its `conf`): both must be `voters` (P6: the quorum size at each stage).
     */
    plannedQuorum: async (stage: string, voters: number): Promise<void> => {
      const running = await this.ensemble.running();
      const now = { ...this.ensemble.topology, members: this.ensemble.topology.members.map((m) => ({ ...m, standby: !running.includes(m.id) })) };
      const plan = analyse(now);
      const q = await this.quorum(running);
      const conf = await this.ensemble.fourLetter(q.leader, "conf");
      const leaderVoters = conf.split("\n").filter((l) => /^server\.\d+=/.test(l) && !/:observer\b/.test(l)).length;
      const pass = plan.configuredVoters.length === voters && leaderVoters === voters;
      this.record({
        name: `${stage}: ${voters} voters, quorum ${quorumOf(voters)}`,
        status: pass ? "passed" : "failed",
        summary: `planner: ${plan.configuredVoters.length} voters (${plan.configuredVoters.join(", ")}), quorum ${plan.quorum}, tolerates ${plan.toleratedFailures}; leader ${q.leader}'s conf lists ${leaderVoters} voters`,
        evidence: { stage, planner: { voters: plan.configuredVoters, quorum: plan.quorum, toleratedFailures: plan.toleratedFailures }, leader: q.leader, leaderConf: conf.split("\n").filter((l) => l.startsWith("server.")) },
      });
    },

    /** No two members led in one epoch, over the drill's quorum waits and the whole run's leadership samples. */
    noSplitBrain: (): void => {
      const watched = this.journal.events
        .filter((e) => e.type === "note" && e.data.what === "leadership")
        .flatMap((e) => Object.entries((e.data.leaderEpochs ?? {}) as Record<string, number>).map(([member, epoch]) => ({ at: Date.parse(e.ts), member: Number(member), epoch })));
      this.record(checks.noTwoLeadersPerEpoch([...this.leaderSamples, ...watched]));
    },
  };

  /** Which of `paths` each member holds (a session to that member alone), for checks a drill states itself. */
  async znodesOn(members: readonly MemberId[], paths: readonly string[]): Promise<Record<string, string[]>> {
    const reads = await this.readOnEach(members, paths, () => true);
    return Object.fromEntries(reads.map((r) => [String(r.member), paths.filter((p) => r.reads.get(p))]));
  }

  /** Writes znodes through the given members without remembering them: history the drill expects to lose. */
  async writeUntracked(paths: readonly string[], members: readonly MemberId[]): Promise<void> {
    await this.step(`write znodes ${paths.length > 3 ? `${paths.slice(0, 3).join(", ")} and ${paths.length - 3} more` : paths.join(", ")} through ${members.join(", ")}`, async () => {
      await ZkClient.with(this.ensemble.connectString(members), async (c) => {
        for (const p of paths) {
          await c.mkdirp(p);
          await c.setData(p, Buffer.from(`${p} written at ${new Date().toISOString()}`));
        }
      });
    });
  }

  /**
   * Reads `paths` from each member alone (a session to that member only), so a check sees what
   * every member holds. A missing node reads as undefined; any other error fails the check's step.
   */
  private async readOnEach<T>(members: readonly MemberId[], paths: readonly string[], view: (data: Buffer, version: number) => T): Promise<Array<{ member: MemberId; reads: Map<string, T | undefined> }>> {
    const out = [];
    for (const member of members) {
      const reads = await ZkClient.with(this.ensemble.connectString([member]), async (c) => {
        const got = new Map<string, T | undefined>();
        for (const path of paths) {
          try {
            const r = await c.getData(path);
            got.set(path, view(r.data, r.stat.version));
          } catch (err) {
            if (errorKind(err) !== "NO_NODE") throw err;
            got.set(path, undefined);
          }
        }
        return got;
      });
      out.push({ member, reads });
    }
    return out;
  }

  /** All given members report the same last zxid (bounded wait), recorded as a check. */
  async convergence(members: readonly MemberId[], timeoutMs = 30_000): Promise<void> {
    let zxids = new Map<MemberId, string>();
    try {
      // node-zookeeper-client has no sync(); a write through the quorum stands in for it. It also moves
      // followers past a fresh epoch, whose srvr zxid stays on the old epoch until the first write.
      await ZkClient.with(
        this.ensemble.connectString(members),
        async (c) => {
          await c.mkdirp("/zkdrill");
          await c.setData("/zkdrill", Buffer.from(`convergence marker ${new Date().toISOString()}`));
        },
        { connectTimeoutMs: 15_000 },
      );
      await waitFor(
        `members ${members.join(", ")} to converge on one zxid`,
        async () => {
          zxids = new Map();
          for (const id of members) {
            const s = await srvr(this.ensemble.endpoint(id));
            zxids.set(id, s.serving ? `0x${s.zxid.toString(16)}` : "not serving");
          }
          return new Set(zxids.values()).size === 1 ? { done: true, value: undefined } : { done: false, seen: JSON.stringify(Object.fromEntries(zxids)) };
        },
        { timeoutMs, intervalMs: 100 },
      );
    } catch (err) {
      this.record({ name: "live members converged on one zxid", status: "failed", summary: errorText(err), evidence: { zxids: Object.fromEntries(zxids) } });
    }
    this.record(checks.converged(zxids));
  }
}
