// `d.expect`: each expectation gathers its evidence (srvr answers, synced reads, a probe write), then
// hands it to a named check in src/checks, and journals kind, input and verdict together, so the
// verdict can be recomputed from the run folder (src/drill/expect-base.ts). A failed check stops the
// drill. The incident drills' expectations are in src/drill/expect-incidents.ts.
import type { Backup } from "../backup";
import type { ReadFigures } from "../workload";
import { samplesOf } from "../checks";
import type { ConfigLine, RolesInput } from "../checks";
import type { Phase } from "../checks";
import { operations } from "../history";
import { decodeValue } from "../history";
import { waitFor } from "../common";
import { analyse, lineOf, MemberId, serversOf, ZK_PATHS } from "../topology";
import { errorKind, ZkClient } from "../zk";
import { NOT_SERVING, parseSrvr } from "../zk";
import { Answers, ask, observersOf } from "./answers";
import type { RunCore } from "./core";
import type { ToolWords } from "./tool-words";
import type { WorkloadControl } from "./workload-control";

export interface SteadyState {
  /** Exactly one leader among the running voters. */
  readonly leader?: boolean;
  /** This many writes acknowledged within 30 s (needs the workload running). */
  readonly writes?: number;
  /** The workload's worst per-second p99 over the last 3 s under this bound (ms). */
  readonly p99BelowMs?: number;
}


export class Expectations {
  constructor(
    private readonly run: RunCore,
    private readonly workload: WorkloadControl,
    private readonly tools: ToolWords,
  ) {}

  /**
   * Exactly one leader, and it is in `allowed`. Every running voter of the ensemble in question (the
   * members the allowed ones' configs list) is asked, not only the allowed ones: waits (bounded)
   * until an allowed one leads and the allowed ones serve; judges the last answers either way, so a
   * leader that stays elsewhere fails the check. A second ensemble running beside it (P5's source
   * during the cut-over) is not this ensemble.
   */
  async leaderIn(allowed?: readonly MemberId[], timeoutMs = 60_000): Promise<MemberId> {
    let answers: Answers = {};
    const t = this.run.ensemble.topology;
    const view = allowed ? new Set(allowed.flatMap((id) => serversOf(t, id))) : undefined;
    try {
      await this.run.unlessStopped(waitFor(
        `one leader among the running members${allowed ? `, ${allowed.join(", ")} serving` : ""}`,
        async () => {
          const running = (await this.run.ensemble.running()).filter((id) => !view || view.has(id));
          answers = await ask(this.run, running);
          const leaders = running.filter((id) => /^Mode: leader/m.test(answers[id]));
          const idle = running.filter((id) => allowed?.includes(id) && !/^Mode: (leader|follower|observer)/m.test(answers[id]));
          // A cut-off former leader reports "leader" for a while (syncLimit x tickTime): wait for the
          // leader to be an allowed one; a leader that stays elsewhere is what the check then fails on.
          const settled = leaders.length === 1 && (!allowed || allowed.includes(leaders[0])) && idle.length === 0;
          return settled ? { done: true, value: undefined } : { done: false, seen: JSON.stringify(answers).slice(0, 300) };
        },
        { timeoutMs, intervalMs: 200 },
      ));
    } catch (err) {
      // The answers of the last poll are the evidence; the check says what they show. A stop is not a verdict.
      if (/^stopped: /.test((err as Error).message)) throw err;
    }
    const r = this.run.check("leader-in", { srvr: answers, allowed, observers: observersOf(this.run) });
    return (r.evidence.leaders as number[])[0];
  }

  /** Every given member stops serving (P1, P7): srvr says so, and a write through them does not succeed. */
  async quorumLost(members: readonly MemberId[], timeoutMs = 30_000): Promise<void> {
    let srvr: Answers = {};
    await this.run.unlessStopped(waitFor(
      `members ${members.join(", ")} to stop serving`,
      async () => {
        srvr = await ask(this.run, members);
        const still = members.filter((id) => !srvr[id].includes(NOT_SERVING));
        return still.length === 0 ? { done: true, value: undefined } : { done: false, seen: still.map((id) => `${id}: ${srvr[id].split("\n").find((l) => l.startsWith("Mode")) ?? srvr[id].slice(0, 60)}`).join("; ") };
      },
      { timeoutMs, intervalMs: 200 },
    ).catch(() => undefined));
    let write: { outcome: string; error?: string } | null = null;
    try {
      await ZkClient.with(
        this.run.ensemble.connectString(members),
        async (c) => {
          try {
            const data = c.uniqueData({ probe: "quorum lost?" });
            await c.create(`/zkdrill-probe-${decodeValue(data)}`, data);
            write = { outcome: "ok" };
          } catch (err) {
            write = { outcome: "failed", error: errorKind(err) };
          }
        },
        { connectTimeoutMs: 5_000, opTimeoutMs: 5_000, record: { history: this.run.history, role: "quorum probe", members } },
      );
    } catch (err) {
      write = { outcome: "failed", error: `no session: ${errorKind(err)}` };
    }
    this.run.check("quorum-lost", { srvr, write });
  }

  /**
   * The member's process is up and answers on its client port (ruok: imok), serving or not: a
   * runbook step that must finish before the next begins (P2: restart 3 first, then 4 and 5).
   */
  async answers(member: MemberId, before?: string, timeoutMs = 60_000): Promise<void> {
    let ruok = "";
    await this.run.unlessStopped(
      waitFor(
        `member ${member} to answer ruok`,
        async () => {
          ruok = await this.run.ensemble.fourLetter(member, "ruok").catch((err) => `error: ${errorKind(err)}`);
          return ruok.trim() === "imok" ? { done: true, value: undefined } : { done: false, seen: ruok.trim().slice(0, 80) };
        },
        { timeoutMs, intervalMs: 100 },
      ).catch(() => undefined),
    );
    this.run.check("member-answers", { member, ruok, ...(before ? { before } : {}) });
  }

  /** Members `by` served reads to a read load measured with `d.measureReads` (P6: the observer). */
  readsServed(name: string, figures: ReadFigures, by: readonly MemberId[]): void {
    this.run.check("reads-served", { name, members: figures.members, servedBy: figures.servedBy, reads: figures.reads, by });
  }

  /** P1's field signal: each member answers ruok with imok although srvr says it does not serve. */
  async ruokWithoutQuorum(members: readonly MemberId[]): Promise<void> {
    this.run.check("ruok-without-quorum", { ruok: await ask(this.run, members, "ruok"), srvr: await ask(this.run, members) });
  }

  /** Named znodes (default: the ones the drill wrote) read back on every given member, each read alone after a sync. */
  async znodesSurvive(members: readonly MemberId[], paths: readonly string[] = this.run.named): Promise<void> {
    const reads = await this.run.readMembers(members, { paths, set: false });
    this.run.check("znodes-hold", { paths: [...paths], reads });
  }

  /**
   * Every acknowledged write is on every given member: each member read after a sync; every
   * acknowledged create of a unique znode (this lineage's) present, named znodes with their values.
   */
  async writesSurvive(members: readonly MemberId[]): Promise<void> {
    const reads = await this.run.readMembers(members, { paths: this.run.registersToRead(), set: true });
    const since = Number.isFinite(this.run.lineageStart) ? this.run.lineageStart : undefined;
    this.run.check("set-survives", { reads, ...(since !== undefined ? { since } : {}) });
    // Named znodes written before a lineage break are the RPO's to judge, not a guarantee's.
    const ops = operations(this.run.history.events);
    const named = this.run.named.filter((p) => ops.some((op) => op.path === p && op.outcome === "ok" && op.f !== "read" && op.call >= (since ?? -Infinity)));
    if (named.length > 0) this.run.check("znodes-hold", { paths: named, reads });
  }

  /**
   * Named znodes are absent on every given member (P2's pitfall: production's). The members' own znodes
   * are read too: an empty member proves no absence.
   */
  async znodesAbsent(paths: readonly string[], members: readonly MemberId[], why: string): Promise<void> {
    const reads = await this.run.readMembers(members, { paths, set: true });
    this.run.check("znodes-absent", { paths, reads, why });
  }

  /**
   * P3's headline: the restored members hold what the backup held, up to its zxid, and nothing written
   * after the copy (`after`: named znodes written then); the recovery point is the zxid restored.
   */
  async restoredAtBackup(backup: Backup, members: readonly MemberId[], after: readonly string[] = []): Promise<void> {
    const reads = await this.run.readMembers(members, { paths: after, set: true });
    const { member, zxid, startedMono, endedMono, startedAt } = backup;
    // The restore began where the last lineage window did: what the restored ensemble took after it is its own.
    const window = [...this.run.journal.events].reverse().find((e) => e.type === "lineage");
    const until = typeof window?.data.start === "number" ? window.data.start : undefined;
    this.run.check("restored-at-backup", { backup: { member, zxid, startedMono, endedMono, startedAt }, reads, after, ...(until !== undefined ? { until } : {}) });
  }

  /** All given members serve and report one last zxid (after a write through them, bounded wait). */
  async converged(members: readonly MemberId[], timeoutMs = 30_000): Promise<void> {
    let srvr: Answers = {};
    await this.run.readMembers(members, { paths: [], set: false }).catch(() => undefined);
    await waitFor(
      `members ${members.join(", ")} to converge on one zxid`,
      async () => {
        srvr = await ask(this.run, members);
        const zxids = new Set(members.map((id) => /^Zxid: (\S+)/m.exec(srvr[id])?.[1] ?? `none ${id}`));
        return zxids.size === 1 ? { done: true, value: undefined } : { done: false, seen: [...zxids].join(", ") };
      },
      { timeoutMs, intervalMs: 100 },
    ).catch(() => undefined);
    this.run.check("converged", { srvr });
  }

  epochRose(before: number, after: number): void {
    this.run.check("epoch-rose", { before, after });
  }

  /** The phase's throughput at least `minRatio` of the baseline's (default: the objective minThroughputRatio). */
  throughputHolds(phase: string, baseline: string, minRatio?: number): void {
    const p = this.workload.phases.find((x) => x.name === phase);
    const b = this.workload.phases.find((x) => x.name === baseline);
    if (!p || !b) throw new Error(`phases "${phase}" and "${baseline}" must both be marked with d.phase(); marked: ${this.workload.phases.map((x) => x.name).join(", ")}`);
    // Judged on the samples journaled so far, and so recomputed: a phase ends no later than the last
    // journaled second. Cut at "now", the second in progress (or the partial one the workload's stop
    // closes) joined the phase later and `report verify` saw another ratio.
    const journaled = samplesOf(this.run.journal.events);
    const cut = journaled.length ? journaled[journaled.length - 1].at + 1 : 0;
    const upToCut = (x: Phase): Phase => ({ ...x, end: Math.max(x.start, Math.min(x.end, cut)) });
    this.run.check("throughput", { baseline: upToCut(b), phase: upToCut(p), minRatio: this.run.throughputRatio(minRatio) });
  }

  /** The planner's quorum for the members running now, against the voters the leader counts (its conf): both `voters` (P6). */
  async plannedQuorum(stage: string, voters: number): Promise<void> {
    const running = await this.run.ensemble.running();
    const t = this.run.ensemble.topology;
    const plan = analyse({ ...t, members: t.members.map((m) => ({ ...m, standby: !running.includes(m.id) })) });
    const q = await this.run.quorum(running);
    // 3.5+ answer `conf` with the voting view the leader runs; 3.4 lists no server there, so its
    // zoo.cfg as it started (read from its container) is the evidence.
    const viewIn4lw = lineOf(this.run.ensemble.members.versionOf(q.leader)).configZnode;
    const leaderConf = viewIn4lw ? await this.run.ensemble.fourLetter(q.leader, "conf") : await this.run.ensemble.readFile(q.leader, `${ZK_PATHS.confDir}/zoo.cfg`);
    this.run.check("planned-quorum", { stage, voters, planner: { voters: plan.configuredVoters, quorum: plan.quorum, toleratedFailures: plan.toleratedFailures }, leader: q.leader, leaderConf, source: viewIn4lw ? "conf" : "zoo.cfg" });
  }

  /** Roles as srvr reports them (P4: one leader, two followers, one observer). */
  async roles(members: readonly MemberId[], expected: Omit<RolesInput, "srvr">): Promise<void> {
    const srvr = await ask(this.run, members);
    this.run.check("roles", { srvr, ...expected });
  }

  /** Every one of `members` reports `version` in srvr's "Zookeeper version:" line (an upgrade done, or undone). */
  async runVersion(members: readonly MemberId[], version: string): Promise<void> {
    this.run.check("run-version", { srvr: await ask(this.run, members), version });
  }

  /** /zookeeper/config, read with zkCli on `member`, lists exactly `expected` (and a version above `versionAbove`). */
  async dynamicConfig(member: MemberId, expected: readonly ConfigLine[], versionAbove?: string): Promise<string | null> {
    const config = await this.tools.zkCli(member, ["get", "/zookeeper/config"]);
    const r = this.run.check("dynamic-config", { config, expected, ...(versionAbove ? { versionAbove } : {}) });
    return ((r.evidence.parsed as { version: string | null } | undefined)?.version ?? null) as string | null;
  }

  /** A member's log shows the line a failure leaves (P5: the refused config). */
  async logMentions(member: MemberId, pattern: RegExp, what: string): Promise<void> {
    this.run.check("log-mentions", { member, pattern: pattern.source, log: (await this.run.ensemble.log(member)).slice(-20_000), what });
  }

  notRestarted(before: Record<string, string>, after: Record<string, string>): void {
    this.run.check("not-restarted", { before, after });
  }

  /** The drill's steady state at `moment` (before the first fault, after recovery). */
  async steadyState(moment: string, ss: SteadyState): Promise<void> {
    await this.run.step(`steady state ${moment}`, async () => {
      if (ss.leader) await this.leaderIn(await this.run.voters());
      const w = this.workload.running;
      if (ss.writes !== undefined) {
        if (!w) throw new Error(`the steady state asks for ${ss.writes} writes but the workload is not running ${moment}; start it first`);
        const from = w.writesAcked;
        const withinMs = 30_000;
        await waitFor(`${ss.writes} writes acknowledged`, async () => (w.writesAcked - from >= ss.writes! ? { done: true, value: undefined } : { done: false, seen: `${w.writesAcked - from}` }), { timeoutMs: withinMs, intervalMs: 50 }).catch(() => undefined);
        this.run.check("writes-acknowledged", { moment, wanted: ss.writes, acknowledged: w.writesAcked - from, withinMs });
      }
      if (ss.p99BelowMs !== undefined) {
        const now = Date.now();
        this.run.check("p99-below", { moment, boundMs: ss.p99BelowMs, from: now - 3_000, to: now });
      }
    });
  }
}

/** The epoch a member's srvr shows, for drills that compare epochs themselves. */
export function epochOf(srvrAnswer: string): number | undefined {
  const s = parseSrvr(srvrAnswer);
  return s.serving ? s.epoch : undefined;
}
