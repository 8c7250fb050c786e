// The operator's words beyond faults: rewrite a config, restart or upgrade in the runbook's order,
// form a new ensemble from what survived, back up and restore. Each a journaled step, each fault
// through the one journaling path (src/faults).
import { dirname, join } from "node:path";
import { Backup, restoreArchives, takeBackup } from "../backup";
import { BackupStore, DirectoryStore } from "../backup";
import { isDisaster } from "../faults/catalog";
import type { Faults } from "../faults/faults";
import { lastAckedWrite } from "../history";
import { monoNow } from "../history";
import type { ImageRef } from "../images";
import type { JournalEvent } from "../journal";
import type { StartOptions } from "../runtime";
import type { MemberChange, MemberId } from "../topology";
import type { RunCore } from "./core";
import type { FaultWords } from "./fault-words";

export interface Versions {
  /** ZooKeeper images by version (the run's, and an upgrade drill's target), provided before the run started. */
  readonly images?: ReadonlyMap<string, ImageRef>;
  /** An upgrade drill's target version (`--to-version`). */
  readonly upgradeTo?: string;
}

export class OperatorWords {
  #store?: BackupStore;

  constructor(
    private readonly run: RunCore,
    private readonly faults: Faults,
    private readonly processes: FaultWords,
    private readonly versions: Versions,
  ) {}

  rewriteConfig(id: MemberId, change: MemberChange): Promise<void> {
    return this.rewriteConfigs({ [id]: change });
  }

  /** Several members' configs as one change; each takes effect at that member's next start. */
  async rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<void> {
    const list = Object.keys(changes).map(Number);
    const distinct = new Set(Object.values(changes).map((c) => JSON.stringify(c)));
    const what = distinct.size === 1 ? [...distinct][0] : JSON.stringify(changes);
    await this.run.step(`rewrite member${list.length > 1 ? "s" : ""} ${list.join(", ")}'s config (${what})`, () => this.faults.rewriteConfigs(changes));
  }

  /** A zoo.cfg written by hand, typos and all (P5's failed restart); `edit` turns the generated one into it. */
  writeConfigByHand(id: MemberId, what: string, edit: (generated: string) => string): Promise<void> {
    return this.run.step(`${what} (member ${id}'s zoo.cfg edited by hand)`, () => this.faults.writeConfigText(id, edit(this.run.ensemble.configOf(id))));
  }

  /** A rolling restart in the runbook's order: followers one at a time, the leader last, waiting after each for `members` to agree. */
  rollingRestart(targets: readonly MemberId[], members: readonly MemberId[]): Promise<void> {
    return this.#rolling("restart", targets, members, (id) => this.processes.restart(id));
  }

  /** Followers one at a time, the leader last, `members` agreeing on a leader after each (one election). */
  async #rolling(what: string, targets: readonly MemberId[], members: readonly MemberId[], act: (id: MemberId) => Promise<void>): Promise<void> {
    const q = await this.run.quorum(members);
    const order = [...targets.filter((id) => id !== q.leader), ...targets.filter((id) => id === q.leader)];
    this.run.journal.append("note", { what: `rolling ${what} order`, order, leader: q.leader });
    for (const id of order) {
      await act(id);
      await this.run.step(`wait for ${members.join(", ")} to agree on a leader after the ${what} of ${id}`, () => this.run.quorum(members, 90_000));
    }
  }

  /** A member on another ZooKeeper version (default: the drill's --to-version), its data carried over. */
  async upgrade(id: MemberId, version = this.versions.upgradeTo): Promise<void> {
    if (!version) throw new Error("no version to upgrade to: give one, or run the drill with --to-version");
    const image = this.versions.images?.get(version);
    if (!image) throw new Error(`ZooKeeper ${version}'s image was not provided for this run; an upgrade drill gets its --from-version and --to-version images before it starts`);
    await this.run.step(`upgrade member ${id} to ZooKeeper ${version}`, () => this.faults.upgrade(id, image, version));
  }

  /** A rolling upgrade in the runbook's order: followers one at a time, the leader last, `members` agreeing after each. */
  rollingUpgrade(targets: readonly MemberId[], members: readonly MemberId[], version = this.versions.upgradeTo): Promise<void> {
    return this.#rolling(`upgrade to ${version}`, targets, members, (id) => this.upgrade(id, version));
  }

  /**
   * A runbook step that forms a new ensemble from what survived (promote observers or standbys,
   * restore a backup): ZooKeeper's guarantees hold within one lineage, not across this. Operations
   * invoked while `work` runs are measured but judged by no guarantee; what was lost is the RPO.
   * `expectViolation` (a pitfall drill): the new lineage is expected to break linearizability, and why.
   */
  async newLineage<T>(name: string, work: () => Promise<T>, opts: { expectViolation?: string } = {}): Promise<T> {
    const faults = this.run.journal.events.filter((e) => e.type === "fault" && isDisaster(String(e.data.kind)));
    return this.run.step(name, () =>
      // The one journaling path: a "promotion" fault, its end journaled whatever the steps inside did.
      this.faults.inject("promotion", [], name, {}, async () => {
        const start = monoNow();
        const disaster = this.#disasterMoment(faults[faults.length - 1], start);
        try {
          return await work();
        } finally {
          // Declared whatever the steps inside did: the window happened.
          const end = monoNow();
          this.run.journal.append("lineage", { name, start, end, ...(disaster ?? { disasterAt: end, disasterAtWall: Date.now() }), ...(opts.expectViolation ? { expectViolation: opts.expectViolation } : {}) });
          this.run.lineageStart = end;
        }
      }),
    );
  }

  /**
   * When the old ensemble died, from the evidence: alive while it acknowledged writes, and at the last
   * fault's start; dead by that fault's end. So the later of its last acknowledged write and the fault's
   * start, never past the fault's end (not the end itself: killing three containers takes the engine
   * most of a second, which is the harness's time, not data lost).
   */
  #disasterMoment(fault: JournalEvent | undefined, windowStart: number): { disasterAt: number; disasterAtWall: number; disasterEvidence: object } | null {
    if (!fault) return null;
    const ended = this.run.journal.events.find((e) => e.type === "fault-end" && e.data.id === fault.data.id);
    const acked = lastAckedWrite(this.run.history.events, ended?.mono ?? windowStart);
    const faultAt = fault.mono ?? windowStart;
    const byAck = acked !== null && acked.mono > faultAt;
    return {
      disasterAt: byAck ? acked.mono : faultAt,
      disasterAtWall: byAck ? acked.time : Date.parse(fault.ts),
      disasterEvidence: { faultStart: faultAt, faultEnd: ended?.mono ?? null, lastAckedWrite: acked?.mono ?? null },
    };
  }

  // ---- backup and restore (P3) ----

  get backupStore(): BackupStore {
    this.#store ??= new DirectoryStore(join(dirname(this.run.journal.path), "backups"));
    return this.#store;
  }

  backup(member: MemberId): Promise<Backup> {
    return this.run.step(`back up member ${member}'s snapshot and transaction logs`, async () => {
      const b = await takeBackup(this.run.ensemble, member, this.backupStore);
      this.run.journal.append("note", { what: "backup", ...b });
      return b;
    });
  }

  /** Starts `members` with the backup's version-2 folders in place of theirs. */
  restore(b: Backup, members: readonly MemberId[]): Promise<void> {
    return this.run.step(`restore ${b.files.data} and ${b.files.datalog} into member(s) ${members.join(", ")} and start them`, async () => {
      const restore: StartOptions["restore"] = await restoreArchives(b, this.backupStore);
      await this.faults.start(members, { restore });
    });
  }
}
