// The words a drill is written in: the operator's (rewrite config, rolling restart, upgrade, promote,
// back up and restore), each a journaled step, on the fault words of src/drill/fault-words.ts and the
// core of src/drill/core.ts; evidence goes through src/evidence, verdicts through `expect`
// (src/drill/expect.ts) to src/checks.
import { dirname, join } from "node:path";
import { waitFor } from "../common/wait";
import type { Objectives } from "../checks/analysis";
import type { Phase } from "../checks/throughput";
import { Backup, restoreArchives, takeBackup } from "../backup/backup";
import { BackupStore, DirectoryStore } from "../backup/store";
import { isDisaster } from "../faults/catalog";
import { lastAckedWrite } from "../history/model";
import { HistoryRecorder, monoNow } from "../history/recorder";
import type { ImageRef } from "../images/build";
import type { Journal, JournalEvent } from "../journal/journal";
import type { StartedEnsemble, StartOptions } from "../runtime/ensemble";
import { MemberChange, MemberId, ZK_PATHS, ZoneName } from "../topology";
import { KafkaWorkload, WorkloadOptions, WorkloadSummary } from "../workload/kafka";
import type { ReadFigures } from "../workload/reads";
import type { LiveUpdate } from "./core";
import { FaultWords } from "./fault-words";
import { Expectations } from "./expect";
import { KafkaWords } from "./kafka-words";
import { SUPERUSER } from "./superuser";
import { WorkloadControl } from "./workload-control";

export class DrillContext extends FaultWords {
  readonly expect: Expectations;
  readonly workload: WorkloadControl;
  /** A real Kafka cluster on the ensemble, when the topology has brokers (src/drill/kafka-words.ts). */
  readonly kafka: KafkaWords;
  private store?: BackupStore;

  /** ZooKeeper images by version (the run's, and an upgrade drill's target), provided before the run started. */
  readonly images: ReadonlyMap<string, ImageRef>;
  /** An upgrade drill's target version (`--to-version`). */
  readonly upgradeTo?: string;
  /** What the drill holds the recovery to (its own, with this run's overrides). */
  readonly objectives: Objectives;

  constructor(
    ensemble: StartedEnsemble,
    journal: Journal,
    history: HistoryRecorder,
    seed: number,
    quick: boolean,
    progress: (line: string) => void,
    live?: LiveUpdate,
    versions: { images?: ReadonlyMap<string, ImageRef>; upgradeTo?: string; objectives?: Objectives } = {},
  ) {
    super(ensemble, journal, history, seed, quick, progress, live);
    this.workload = new WorkloadControl(this);
    this.kafka = new KafkaWords(this);
    this.expect = new Expectations(this);
    this.images = versions.images ?? new Map();
    this.upgradeTo = versions.upgradeTo;
    this.objectives = versions.objectives ?? {};
  }

  /** A throughput check's share of the baseline: the one given, else the objective; a drill with neither is a mistake. */
  throughputRatio(given?: number): number {
    const ratio = given ?? this.objectives.minThroughputRatio;
    if (ratio === undefined) throw new Error("a throughput check needs its share of the baseline: give it, or declare objectives.minThroughputRatio (YAML: min-throughput-ratio)");
    return ratio;
  }

  rewriteConfig(id: MemberId, change: MemberChange): Promise<void> {
    return this.rewriteConfigs({ [id]: change });
  }

  /** Several members' configs as one change; each takes effect at that member's next start. */
  async rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<void> {
    const list = Object.keys(changes).map(Number);
    const distinct = new Set(Object.values(changes).map((c) => JSON.stringify(c)));
    const what = distinct.size === 1 ? [...distinct][0] : JSON.stringify(changes);
    await this.step(`rewrite member${list.length > 1 ? "s" : ""} ${list.join(", ")}'s config (${what})`, () => this.faults.rewriteConfigs(changes));
  }

  /** A zoo.cfg written by hand, typos and all (P5's failed restart); `edit` turns the generated one into it. */
  writeConfigByHand(id: MemberId, what: string, edit: (generated: string) => string): Promise<void> {
    return this.step(`${what} (member ${id}'s zoo.cfg edited by hand)`, () => this.faults.writeConfigText(id, edit(this.ensemble.configOf(id))));
  }

  /** A rolling restart in the runbook's order: followers one at a time, the leader last, waiting after each for `members` to agree. */
  rollingRestart(targets: readonly MemberId[], members: readonly MemberId[]): Promise<void> {
    return this.rolling("restart", targets, members, (id) => this.restart(id));
  }

  /** Followers one at a time, the leader last, `members` agreeing on a leader after each (one election). */
  private async rolling(what: string, targets: readonly MemberId[], members: readonly MemberId[], act: (id: MemberId) => Promise<void>): Promise<void> {
    const q = await this.quorum(members);
    const order = [...targets.filter((id) => id !== q.leader), ...targets.filter((id) => id === q.leader)];
    this.journal.append("note", { what: `rolling ${what} order`, order, leader: q.leader });
    for (const id of order) {
      await act(id);
      await this.step(`wait for ${members.join(", ")} to agree on a leader after the ${what} of ${id}`, () => this.quorum(members, 90_000));
    }
  }

  /** A member on another ZooKeeper version (default: the drill's --to-version), its data carried over. */
  async upgrade(id: MemberId, version = this.upgradeTo): Promise<void> {
    if (!version) throw new Error("no version to upgrade to: give one, or run the drill with --to-version");
    const image = this.images.get(version);
    if (!image) throw new Error(`ZooKeeper ${version}'s image was not provided for this run; an upgrade drill gets its --from-version and --to-version images before it starts`);
    await this.step(`upgrade member ${id} to ZooKeeper ${version}`, () => this.faults.upgrade(id, image, version));
  }

  /** The snapshot and transaction log files member `id` holds now (its container running), journaled. */
  async dataFiles(id: MemberId): Promise<{ snapshots: string[]; logs: string[] }> {
    const dirs = [ZK_PATHS.dataDir, ZK_PATHS.dataLogDir].map((d) => `${d}/version-2`).join(" ");
    const r = await this.ensemble.exec(id, ["sh", "-c", `ls ${dirs} 2>/dev/null || true`]);
    const names = r.stdout.split(/\s+/).filter((n) => /^(snapshot|log)\./.test(n));
    this.journal.append("note", { what: "data files", member: id, files: names });
    return { snapshots: names.filter((n) => n.startsWith("snapshot.")), logs: names.filter((n) => n.startsWith("log.")) };
  }

  /** A rolling upgrade in the runbook's order: followers one at a time, the leader last, `members` agreeing after each. */
  rollingUpgrade(targets: readonly MemberId[], members: readonly MemberId[], version = this.upgradeTo): Promise<void> {
    return this.rolling(`upgrade to ${version}`, targets, members, (id) => this.upgrade(id, version));
  }

  /**
   * A runbook step that forms a new ensemble from what survived (promote observers or standbys,
   * restore a backup): ZooKeeper's guarantees hold within one lineage, not across this. Operations
   * invoked while `work` runs are measured but judged by no guarantee; what was lost is the RPO.
   * `expectViolation` (a pitfall drill): the new lineage is expected to break linearizability, and why.
   */
  async newLineage<T>(name: string, work: () => Promise<T>, opts: { expectViolation?: string } = {}): Promise<T> {
    const faults = this.journal.events.filter((e) => e.type === "fault" && isDisaster(String(e.data.kind)));
    return this.step(name, () =>
      // A promotion is a recovery, journaled through the one path as every fault.
      this.faults.inject("promotion", [], name, {}, async () => {
        const start = monoNow();
        const disaster = this.disasterMoment(faults[faults.length - 1], start);
        try {
          return await work();
        } finally {
          // Declared whatever the steps inside did: the window happened.
          const end = monoNow();
          this.journal.append("lineage", { name, start, end, ...(disaster ?? { disasterAt: end, disasterAtWall: Date.now() }), ...(opts.expectViolation ? { expectViolation: opts.expectViolation } : {}) });
          this.lineageStart = end;
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
  private disasterMoment(fault: JournalEvent | undefined, windowStart: number): { disasterAt: number; disasterAtWall: number; disasterEvidence: object } | null {
    if (!fault) return null;
    const ended = this.journal.events.find((e) => e.type === "fault-end" && e.data.id === fault.data.id);
    const acked = lastAckedWrite(this.history.events, ended?.mono ?? windowStart);
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
    this.store ??= new DirectoryStore(join(dirname(this.journal.path), "backups"));
    return this.store;
  }

  backup(member: MemberId): Promise<Backup> {
    return this.step(`back up member ${member}'s snapshot and transaction logs`, async () => {
      const b = await takeBackup(this.ensemble, member, this.backupStore);
      this.journal.append("note", { what: "backup", ...b });
      return b;
    });
  }

  /** Starts `members` with the backup's version-2 folders in place of theirs. */
  restore(b: Backup, members: readonly MemberId[]): Promise<void> {
    return this.step(`restore ${b.files.data} and ${b.files.datalog} into member(s) ${members.join(", ")} and start them`, async () => {
      const restore: StartOptions["restore"] = await restoreArchives(b, this.backupStore);
      await this.faults.start(members, { restore });
    });
  }

  // ---- ZooKeeper's own tools, and what the members say ----

  /** zkCli inside a member (`get /zookeeper/config`), output journaled. */
  async zkCli(member: MemberId, args: readonly string[]): Promise<string> {
    return this.step(`zkCli on member ${member}: ${args.join(" ")}`, async () => {
      const r = await this.ensemble.zkCli(member, args);
      this.journal.append("note", { what: "zkCli", member, args, exitCode: r.exitCode, output: r.stdout.slice(-4000) });
      if (r.exitCode !== 0) throw new Error(`zkCli exited ${r.exitCode}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
      return r.stdout;
    });
  }

  /** zkCli as the digest superuser (reconfig needs it), the commands in one session after `addauth`. */
  async zkCliAsSuperuser(member: MemberId, commands: readonly string[]): Promise<string> {
    return this.step(`zkCli on member ${member} as the superuser: ${commands.join("; ")}`, async () => {
      const r = await this.ensemble.zkCliScript(member, [`addauth digest ${SUPERUSER.user}:${SUPERUSER.password}`, ...commands]);
      const out = `${r.stdout}\n${r.stderr}`;
      this.journal.append("note", { what: "zkCli", member, commands, exitCode: r.exitCode, output: out.slice(-4000) });
      if (r.exitCode !== 0) throw new Error(`zkCli exited ${r.exitCode}: ${out.trim().split("\n").slice(-5).join(" | ")}`);
      return out;
    });
  }

  /** When each member's process last started (a restart shows as a later time). */
  async startTimes(members: readonly MemberId[]): Promise<Record<string, string>> {
    return Object.fromEntries(await Promise.all(members.map(async (id) => [String(id), await this.ensemble.startedAt(id)] as const)));
  }

  /** Waits until a member's process has exited (a refused config: P5's failed restart). */
  waitUntilStopped(id: MemberId, timeoutMs = 60_000): Promise<void> {
    return this.step(`member ${id}'s process exits`, () =>
      waitFor(`member ${id}'s container to stop`, async () => ((await this.ensemble.state(id)) === "stopped" ? { done: true, value: undefined } : { done: false, seen: await this.ensemble.state(id) }), { timeoutMs, intervalMs: 200 }),
    );
  }

  // ---- the workload (src/drill/workload-control.ts) ----

  startWorkload(opts: Partial<Omit<WorkloadOptions, "history" | "members" | "connectString">> & { fromZone?: ZoneName } = {}): Promise<void> {
    return this.workload.start(opts);
  }

  moveClients(members: readonly MemberId[], fromZone?: ZoneName): Promise<void> {
    return this.workload.moveTo(members, fromZone);
  }

  stopWorkload(): Promise<WorkloadSummary> {
    return this.workload.stop();
  }

  measure(name: string, ms: number, o: { outlast?: string } = {}): Promise<void> {
    return this.workload.measure(name, ms, o);
  }

  phase(name: string): void {
    this.workload.phase(name);
  }

  measureReads(name: string, members: readonly MemberId[], ms: number): Promise<ReadFigures> {
    return this.workload.measureReads(name, members, ms);
  }

  writesSucceed(n: number, timeoutMs = 30_000): Promise<void> {
    return this.workload.writesSucceed(n, timeoutMs);
  }

  get phases(): readonly Phase[] {
    return this.workload.phases;
  }

  /** The workload object, for what the drill words do not cover (benchmarks). */
  get running(): KafkaWorkload | undefined {
    return this.workload.current;
  }
}
