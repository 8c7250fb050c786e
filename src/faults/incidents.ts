// The faults ZooKeeper incidents bring beyond stopping processes and cutting links: degraded links
// between zones, a dataLogDir that fills, a transaction log a disk broke, a wall clock that jumps.
// Each goes through the one journaling path (Faults.inject) and, where it would stay broken, leaves
// a rollback that always runs.
import { diskUsage, fillDisk, freeDisk } from "../docker/loop-disks";
import type { Journal } from "../journal/journal";
import type { Degradation } from "../network/degrade";
import { describeDegradation } from "../network/degrade";
import type { StartedEnsemble } from "../runtime/ensemble";
import { MemberId, ZK_PATHS } from "../topology";
import type { Faults } from "./faults";
import { flippedRecord, newestLog, tornTail } from "./txn-log";

/** How a disk breaks a log: its last record torn (a crash mid-append), or a byte flipped in a record (bit rot). */
export type LogDamage = "torn-tail" | "bit-flip";

/** Where zk-run.sh points libfaketime: the member's wall-clock offset, read again every second. */
export const FAKETIME_FILE = "/zkdrill/faketime";

const list = (x: MemberId | readonly MemberId[]) => (Array.isArray(x) ? [...x] : [x as MemberId]);

export class IncidentFaults {
  constructor(
    private readonly faults: Faults,
    private readonly ensemble: StartedEnsemble,
    private readonly journal: Journal,
  ) {}

  /** Links between zones degraded on top of their latency (bandwidth, slicing, slow close). Restored by a rollback. */
  degradeLinks(d: Degradation): Promise<void> {
    const members = this.ensemble.topology.members.filter((m) => [...d.from, ...d.to].includes(m.zone)).map((m) => m.id);
    return this.faults.inject("degrade", members, `degrade ${describeDegradation(d)}`, { degradation: d }, async () => {
      const toxics = await this.ensemble.network.degrade(d);
      this.journal.append("note", { what: "links degraded", toxics });
      this.faults.remember("restore degraded links", () => this.ensemble.network.restoreLinks().then(() => undefined));
    });
  }

  restoreLinks(): Promise<void> {
    return this.faults.inject("heal", [], "restore degraded links", {}, async () => {
      const removed = await this.ensemble.network.restoreLinks();
      this.journal.append("note", { what: "links restored", toxics: removed });
      this.faults.forget(["restore degraded links"]);
    });
  }

  /** The member's dataLogDir disk filled to the last byte (its own disk: topology datalogMb). Freed by a rollback. */
  fillDisk(id: MemberId): Promise<{ writtenBytes: number; freeBytes: number }> {
    const dir = this.ensemble.members.datalogDiskOf(id);
    return this.faults.inject("disk", [id], `fill ${id}'s dataLogDir`, { disk: diskUsage(dir) }, async () => {
      const filled = fillDisk(dir);
      this.journal.append("note", { what: "disk filled", member: id, ...filled });
      this.faults.remember(`free ${id}'s dataLogDir`, async () => void freeDisk(dir));
      return filled;
    });
  }

  freeDisk(id: MemberId): Promise<void> {
    const dir = this.ensemble.members.datalogDiskOf(id);
    return this.faults.inject("disk", [id], `free ${id}'s dataLogDir`, {}, async () => {
      const freedBytes = freeDisk(dir);
      this.journal.append("note", { what: "disk freed", member: id, freedBytes, disk: diskUsage(dir) });
      this.faults.forget([`free ${id}'s dataLogDir`]);
    });
  }

  /**
   * The member's newest transaction log broken as a disk breaks it; the member must be stopped (a
   * running ZooKeeper would write over it). Nothing undoes it: the runbook's fix is a wipe and resync.
   */
  corruptLog(id: MemberId, damage: LogDamage): Promise<{ file: string; record: number }> {
    return this.faults.inject("disk", [id], `${damage} in ${id}'s newest transaction log`, { damage }, async () => {
      const state = await this.ensemble.state(id);
      if (state !== "stopped") throw new Error(`member ${id} is ${state}: stop it first (a running ZooKeeper writes over its log)`);
      const dir = `${ZK_PATHS.dataLogDir}/version-2`;
      const files = await this.ensemble.files(id, dir);
      const byName = new Map(files.map((f) => [f.name.split("/").pop()!, f.content]));
      const name = newestLog([...byName.keys()]);
      if (!name) throw new Error(`member ${id} has no transaction log in ${dir} (it has: ${[...byName.keys()].join(", ") || "nothing"})`);
      const broken = damage === "torn-tail" ? tornTail(byName.get(name)!) : flippedRecord(byName.get(name)!);
      await this.ensemble.putFiles(id, [{ path: `${dir}/${name}`, content: broken.file }]);
      const detail = { member: id, file: `${dir}/${name}`, damage, record: broken.record, bytes: broken.file.length };
      this.journal.append("note", { what: "transaction log damaged", ...detail });
      return { file: detail.file, record: broken.record };
    });
  }

  /**
   * Wall clocks moved by `offsetSeconds` (libfaketime, preloaded when the drill asks for clock faults;
   * monotonic time is left alone, as ZooKeeper's timeouts run on it). Reset by a rollback.
   */
  skewClock(members: MemberId | readonly MemberId[], offsetSeconds: number): Promise<void> {
    const ids = list(members);
    if (!Number.isInteger(offsetSeconds)) throw new Error(`clock offset ${offsetSeconds}: give whole seconds, e.g. 3600 or -120`);
    const text = `${offsetSeconds >= 0 ? "+" : ""}${offsetSeconds}`;
    return this.faults.inject("clock", ids, `clock ${text} s on ${ids.join(",")}`, { offsetSeconds }, async () => {
      await this.writeOffsets(ids, text);
      this.faults.remember(`reset clocks ${ids.join(",")}`, () => this.writeOffsets(ids, "+0"));
    });
  }

  resetClock(members: MemberId | readonly MemberId[]): Promise<void> {
    const ids = list(members);
    return this.faults.inject("clock", ids, `clock reset on ${ids.join(",")}`, { offsetSeconds: 0 }, async () => {
      await this.writeOffsets(ids, "+0");
      this.faults.forget([`reset clocks ${ids.join(",")}`]);
    });
  }

  private async writeOffsets(ids: readonly MemberId[], text: string): Promise<void> {
    for (const id of ids) {
      if (!this.ensemble.plan.fakeClock) throw new Error(`member ${id}'s clock cannot move: the drill must ask for clock faults (fakeClock: true), so members start with libfaketime`);
      await this.ensemble.putFiles(id, [{ path: FAKETIME_FILE, content: `${text}\n` }]);
    }
  }
}
