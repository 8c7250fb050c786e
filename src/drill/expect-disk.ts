// Expectations for slow and lying disks (src/faults/fsync.ts): the member's own fsync warning as the
// evidence that the fault bit, and what a slow disk costs the others: the followers' lag behind the
// leader and the clients' latency, measured in the phase the fault held.
import { FSYNC_WARNING } from "../checks";
import { waitFor } from "../common";
import type { MemberId } from "../topology";
import type { RunCore } from "./core";
import type { WorkloadControl } from "./workload-control";

const LAG_SAMPLES = 8;
const LAG_INTERVAL_MS = 250;

export class DiskExpectations {
  constructor(
    private readonly run: RunCore,
    private readonly workload: WorkloadControl,
  ) {}

  /**
   * The member's log shows ZooKeeper's "fsync-ing the write ahead log ... took N ms" of at least `minMs`:
   * awaited (the warning comes with the first commit after the fault), judged on the log either way.
   */
  async fsyncSlow(member: MemberId, minMs: number, timeoutMs = 30_000): Promise<void> {
    let log = "";
    const slowEnough = () => log.split("\n").some((l) => Number(FSYNC_WARNING.exec(l)?.[2] ?? -1) >= minMs);
    await waitFor(`member ${member}'s fsync warning of ${minMs} ms or more`, async () => {
      log = await this.run.ensemble.log(member);
      return slowEnough() ? { done: true, value: undefined } : { done: false, seen: "no such warning yet" };
    }, { timeoutMs, intervalMs: 500 }).catch(() => undefined);
    this.run.check("fsync-slow", { member, minMs, log: log.slice(-40_000) });
  }

  /**
   * In `phase` (now, while its fault holds): how far each follower's applied zxid trails the leader's
   * (a finding, sampled over 2 s), and the clients' worst per-second p99 latency against `p99BelowMs`.
   */
  async phaseLatency(phase: string, p99BelowMs: number): Promise<void> {
    const p = this.workload.phases.find((x) => x.name === phase);
    if (!p) throw new Error(`no phase "${phase}" was marked; phases so far: ${this.workload.phases.map((x) => x.name).join(", ") || "none"} (mark it with measure or phase first)`);
    await this.run.step(`measure the followers' lag and the clients' latency in "${phase}"`, async () => {
      const worst: Record<string, number> = {};
      for (let i = 0; i < LAG_SAMPLES; i++) {
        const seen = await Promise.all((await this.run.ensemble.running()).map(async (id) => ({ id, s: await this.run.ensemble.status(id).catch(() => undefined) })));
        const leader = seen.find((x) => x.s?.serving && x.s.mode === "leader")?.s;
        for (const { id, s } of seen) {
          if (!leader?.serving || !s?.serving || s.mode === "leader") continue;
          worst[id] = Math.max(worst[id] ?? 0, Number(leader.zxid - s.zxid));
        }
        await new Promise((r) => setTimeout(r, LAG_INTERVAL_MS));
      }
      const text = Object.keys(worst).length ? Object.entries(worst).map(([id, n]) => `member ${id}: at most ${n} txn(s) behind`).join("; ") : "no leader and follower answered srvr";
      this.run.finding(`followers' lag behind the leader in "${phase}"`, "info", text, { phase, maxTxnsBehind: worst, samples: LAG_SAMPLES });
      this.run.check("p99-below", { moment: `in phase "${phase}"`, phase, boundMs: p99BelowMs, from: p.start, to: Math.min(p.end, Date.now()) });
    });
  }
}

