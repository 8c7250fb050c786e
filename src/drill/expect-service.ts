// Expectations that the ensemble comes back into service (src/checks/service.ts judges them): a quorum
// soon after a heal, a leader that commits, a restarted member that rejoins. Each gathers the members'
// own log lines since the fault, so a failure quotes what ZooKeeper did (the known-bug drills' evidence).
import { waitFor } from "../common";
import { logLinesSince } from "../probes";
import type { MemberId } from "../topology";
import { errorKind, ZkClient } from "../zk";
import { ask, Answers } from "./answers";
import type { RunCore } from "./core";

const serving = (raw: string | undefined) => /^Mode: (leader|follower|observer)/m.test(raw ?? "");

export class ServiceExpectations {
  constructor(private readonly run: RunCore) {}

  /** Each member's log lines since `sinceMs` that match `patterns`, prefixed with its host name, the first pattern's lines first. */
  async #lines(members: readonly MemberId[], sinceMs: number, patterns: readonly RegExp[]): Promise<string[]> {
    const logs = await Promise.all(members.map(async (id) => logLinesSince(await this.run.ensemble.log(id).catch(() => ""), sinceMs, patterns).map((l) => `zk${id}: ${l}`)));
    const rank = (l: string) => patterns.findIndex((p) => p.test(l));
    return logs.flat().sort((a, b) => rank(a) - rank(b)).slice(0, 40);
  }

  /**
   * `members` agree on a serving leader within `boundMs` of `healedAt` (a heal just done). They are
   * watched for `watchMs` after the heal whatever the bound, so a late quorum is measured, not guessed.
   */
  async quorumAfterHeal(members: readonly MemberId[], o: { healed: string; healedAt: number; boundMs: number; watchMs: number; since: number; patterns: readonly RegExp[] }): Promise<void> {
    let srvr: Answers = {};
    let leader: MemberId | null = null;
    const servingAt = await this.run.unlessStopped(
      waitFor(
        `${members.join(", ")} to serve with one leader`,
        async () => {
          srvr = await ask(this.run, members);
          const leaders = members.filter((id) => /^Mode: leader/m.test(srvr[id]));
          leader = leaders.length === 1 ? leaders[0] : null;
          return leader !== null && members.every((id) => serving(srvr[id])) ? { done: true, value: Date.now() } : { done: false, seen: JSON.stringify(srvr).slice(0, 200) };
        },
        { timeoutMs: Math.max(0, o.healedAt + o.watchMs - Date.now()), intervalMs: 250 },
      ).catch((err: Error) => (/^stopped: /.test(err.message) ? Promise.reject(err) : null)),
    );
    const lines = await this.#lines(members, o.since, o.patterns);
    this.run.check("quorum-after-heal", { members: [...members], healed: o.healed, healedAt: o.healedAt, boundMs: o.boundMs, servingAt, leader, watchedMs: o.watchMs, srvr, lines });
  }

  /** A write through `members` is acknowledged within `boundMs`; the leader's log lines since `sinceMs` that match `patterns` are kept. */
  async writeCommits(members: readonly MemberId[], o: { boundMs: number; since: number; patterns: readonly RegExp[] }): Promise<void> {
    const srvr = await ask(this.run, members);
    const t0 = Date.now();
    let write: { outcome: "ok" | "failed"; error?: string; ms: number };
    try {
      await ZkClient.with(
        this.run.ensemble.connectString(members),
        async (c) => {
          const data = c.uniqueData({ probe: "does the leader commit?" });
          await c.create(`/zkdrill-commit-probe-${t0}`, data);
        },
        { connectTimeoutMs: o.boundMs, opTimeoutMs: o.boundMs, record: { history: this.run.history, role: "commit probe", members } },
      );
      write = { outcome: "ok", ms: Date.now() - t0 };
    } catch (err) {
      write = { outcome: "failed", error: errorKind(err), ms: Date.now() - t0 };
    }
    const leaders = members.filter((id) => /^Mode: leader/m.test(srvr[id]));
    const lines = await this.#lines(leaders, o.since, o.patterns);
    this.run.check("write-commits", { members: [...members], srvr, write, boundMs: o.boundMs, lines });
  }

  /**
   * Member `member`, just restarted, either serves (leader or follower) or its process ends, within
   * `timeoutMs`; judged with its log lines since `sinceMs` that match `pattern` (the failure it must not show).
   */
  async memberRejoins(member: MemberId, o: { what: string; pattern: RegExp; since: number; files?: { snapshots: string[]; logs: string[] }; timeoutMs?: number }): Promise<void> {
    const settled = async () => {
      const state = await this.run.ensemble.state(member);
      const srvr = state === "running" ? (await ask(this.run, [member]))[member] : "";
      return { state, srvr };
    };
    const last = await this.run.unlessStopped(
      waitFor(`member ${member} to serve or exit`, async () => {
        const s = await settled();
        return s.state === "stopped" || serving(s.srvr) ? { done: true, value: s } : { done: false, seen: `${s.state}: ${s.srvr.slice(0, 80)}` };
      }, { timeoutMs: o.timeoutMs ?? 60_000, intervalMs: 250 }).catch((err: Error) => (/^stopped: /.test(err.message) ? Promise.reject(err) : settled())),
    );
    const exitCode = last.state === "stopped" ? await this.run.ensemble.exitCode(member) : null;
    const lines = logLinesSince(await this.run.ensemble.log(member), o.since, [o.pattern]).slice(0, 10);
    this.run.check("member-rejoins", { member, what: o.what, state: last.state, exitCode, srvr: last.srvr, pattern: o.pattern.source, lines, ...(o.files ? { files: o.files } : {}) });
  }
}
