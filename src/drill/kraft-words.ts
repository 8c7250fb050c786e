// `d.kafka.kraft`: the ZooKeeper-to-KRaft migration in the operator's words, one word per section of
// Apache Kafka 3.9's guide (docs/ops.html#kraft_zk_migration): provision the controller quorum, roll
// the brokers into migration mode, wait for the copy, roll them into KRaft mode, finalize; and the
// guide's revert ("Reverting to ZooKeeper mode During the Migration"). Each restart is a journaled fault
// through the one path, so the report's timeline shows it; each section's duration is kept for the finding.
import { dirname, join } from "node:path";
import type { KafkaMetadata, MigrationReading } from "../checks";
import { waitFor } from "../common";
import type { Faults } from "../faults/faults";
import { alterPartitionThreadDeath, describeMetadata, type KafkaZkState, KraftControllers, laggingLeaders, MIGRATION_COMPLETED, readClusterId, readMigration, readZkMetadata, REGISTRATION_REFUSED, removeMigrationZnodes, WAITING_FOR_BROKERS, ZkPlace } from "../kafka";
import { BrokerId, BrokerMode, controllersOf } from "../topology";
import type { RunCore } from "./core";
import type { KafkaWords } from "./kafka-words";

/** A section of the guide the drill went through, timed. */
export interface MigrationSection {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export class KraftWords {
  controllers?: KraftControllers;
  readonly sections: MigrationSection[] = [];
  private reads = 0;

  constructor(
    private readonly run: RunCore,
    private readonly faults: Faults,
    private readonly kafka: KafkaWords,
  ) {}

  /** The KRaft controllers of the topology, by node id. */
  controllerIds(): BrokerId[] {
    return controllersOf(this.run.ensemble.topology).map((c) => c.id);
  }

  private require(): KraftControllers {
    if (!this.controllers) throw new Error("the KRaft controller quorum is not provisioned; call d.kafka.kraft.provision() first");
    return this.controllers;
  }

  private async zk(): Promise<ZkPlace> {
    const members = await this.run.ensemble.running();
    return { connectString: this.run.ensemble.connectString(members), members, chroot: this.kafka.chroot, history: this.run.history };
  }

  /** A guide section as a step, timed for the closing finding. */
  private async section<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    const value = await this.run.step(name, work);
    this.sections.push({ name, start, end: Date.now() });
    return value;
  }

  // ---- the guide's sections ----

  /**
   * "Provisioning the KRaft controller quorum": the cluster id read from ZooKeeper (/cluster/id), each
   * controller formatted with it and started with zookeeper.metadata.migration.enable=true.
   */
  provision(): Promise<void> {
    const ids = this.controllerIds();
    return this.section(`provision the KRaft controller quorum (${ids.join(", ")}) in migration mode`, async () => {
      const clusterId = await readClusterId(await this.zk());
      const brokers = this.kafka.require();
      this.controllers = new KraftControllers({ runId: this.run.ensemble.runId, topology: this.run.ensemble.topology, image: this.kafka.image!, network: brokers.network, keep: this.run.ensemble.plan.keep });
      await this.faults.inject("start", [], `provision KRaft controllers ${ids.join(", ")}`, { controllers: ids, clusterId }, () => this.controllers!.provision(clusterId));
      this.run.journal.append("note", { what: "kraft controllers", clusterId, controllers: this.controllers.describe() });
    });
  }

  /**
   * Every broker restarted, one at a time, with the properties of `mode`: the next only once the last
   * serves again and is back in every ISR of `topics` (ZooKeeper's partition state: the ZooKeeper
   * controller's, or the KRaft controller's dual writes), so acks=all with min.insync.replicas holds.
   * `o.ibp` sets inter.broker.protocol.version in the same restart ("Preparing for migration", done late).
   */
  rollBrokers(mode: BrokerMode, topics: readonly string[], why: string, o: { ibp?: string } = {}): Promise<void> {
    const ids = this.kafka.brokerIds();
    const ibp = o.ibp !== undefined ? ` at inter.broker.protocol.version=${o.ibp}` : "";
    return this.section(`roll brokers ${ids.join(", ")} into ${mode} mode${ibp} (${why})`, async () => {
      // A broker the workaround below restarted early is rolled already: not restarted a second time.
      const rolled = new Set<BrokerId>();
      for (const id of ids) if (!rolled.has(id)) await this.restartBroker(id, mode, topics, rolled, o.ibp);
    });
  }

  private async restartBroker(id: BrokerId, mode: BrokerMode, topics: readonly string[], rolled: Set<BrokerId>, ibp?: string): Promise<void> {
    await this.restartInMode(id, mode, rolled, undefined, ibp);
    await this.kafka.expect.inSync(topics, this.kafka.brokerIds(), 90_000, { firstBoundMs: 45_000, recover: (s) => this.restartDeadAlterPartition(s, mode, rolled) });
  }

  /** Broker `id` restarted with the properties of `mode` (journaled as a fault; `workaround` says why when it is not its turn). */
  private async restartInMode(id: BrokerId, mode: BrokerMode, rolled: Set<BrokerId>, workaround?: string, ibp?: string): Promise<void> {
    const brokers = this.kafka.require();
    rolled.add(id);
    const at = ibp !== undefined ? ` at IBP ${ibp}` : "";
    const what = `restart broker ${id} in ${mode} mode${at}${workaround ? ` (workaround: ${workaround})` : ""}`;
    await this.faults.inject("restart", [], what, { broker: id, mode, ...(ibp !== undefined ? { ibp } : {}), ...(workaround ? { workaround } : {}) }, () => brokers.reconfigure(id, mode, ibp));
    // A ZooKeeper-mode broker registers under /brokers/ids; a KRaft broker registers with the controllers only.
    if (mode !== "kraft") await this.kafka.awaitRegistered([id], 90_000);
  }

  /**
   * The ISRs still short after the first bound: each leader of a short partition whose running process
   * logged its alter-partition thread's death (Kafka's metric clash on the controller's move back to
   * ZooKeeper) is named in a finding and restarted in this roll's mode, the operator's workaround (the
   * roll restarts it anyway: its turn is taken early). True when one was; otherwise the wait goes on and fails as it would have.
   */
  private async restartDeadAlterPartition(s: KafkaZkState, mode: BrokerMode, rolled: Set<BrokerId>): Promise<boolean> {
    const brokers = this.kafka.require();
    const dead: Array<{ broker: BrokerId; lines: string[] }> = [];
    for (const broker of laggingLeaders(s.partitions, this.kafka.brokerIds())) {
      const lines = alterPartitionThreadDeath(await brokers.log(broker).catch(() => ""));
      if (lines) dead.push({ broker, lines });
    }
    for (const { broker, lines } of dead) {
      const turn = rolled.has(broker) ? "a second restart in this roll" : "its turn in this roll, taken early";
      const led = s.partitions.filter((p) => p.leader === broker).map((p) => `${p.topic}-${p.partition} [${p.isr.join(",")}]`);
      this.run.finding(
        `broker ${broker}'s alter-partition thread died`,
        "warning",
        `broker ${broker} logged "${lines.join(" ")}". Kafka's alter-partition thread died on the controller's move from KRaft back to ZooKeeper: the partitions it leads cannot expand their ISR until it restarts (${led.join("; ")}). Broker ${broker} restarted in ${mode} mode now, the operator's workaround (${turn}).`,
        { broker, lines, partitions: led, mode },
      );
      await this.restartInMode(broker, mode, rolled, "its alter-partition thread died");
    }
    return dead.length > 0;
  }

  /** ZooKeeper's view of the migration now (/controller, /migration). */
  async reading(): Promise<MigrationReading> {
    return readMigration(await this.zk());
  }

  /**
   * "Once the final ZK broker has been restarted with the necessary configuration, the migration will
   * automatically begin": waits (bounded) until /migration records the copy and a KRaft controller holds
   * /controller, then judges it with the active controller's log line as evidence.
   */
  awaitMigrated(timeoutMs = 120_000): Promise<MigrationReading> {
    return this.section("wait for the metadata migration to complete", async () => {
      const ids = this.controllerIds();
      let last: MigrationReading | undefined;
      await waitFor(
        "the migration of metadata from ZooKeeper to KRaft",
        async () => {
          last = await this.reading();
          const done = (last.migration?.kraftMetadataOffset ?? -1) > 0 && last.controller !== null && ids.includes(last.controller) && (last.kraftControllerEpoch ?? -1) >= 0;
          return done ? { done: true, value: last } : { done: false, seen: JSON.stringify(last) };
        },
        { timeoutMs, intervalMs: 500 },
      ).catch(() => undefined);
      const reading = last ?? (await this.reading());
      this.run.check("kafka-migration-state", { expect: "migrated", reading, controllers: ids, brokers: this.kafka.brokerIds(), completedLines: await this.require().logLines(MIGRATION_COMPLETED) });
      return reading;
    });
  }

  /**
   * The pitfall's side of awaitMigrated: the copy is given `forMs` after the last broker's restart and must
   * NOT happen, a ZooKeeper-mode broker keeping /controller, with the controllers' own line that they wait
   * for the brokers to register as the reason (and any refused registration). Stops early if the copy happens.
   */
  migrationStalls(forMs = 60_000): Promise<MigrationReading> {
    return this.section(`the metadata migration does not begin within ${Math.round(forMs / 1000)} s`, async () => {
      const ids = this.controllerIds();
      const start = Date.now();
      let last: MigrationReading | undefined;
      // A wait that should run out: the bound is the pitfall's claim, the copy's arrival its refutation.
      await waitFor(
        "the metadata migration (expected not to begin)",
        async () => {
          last = await this.reading();
          return (last.migration?.kraftMetadataOffset ?? -1) > 0 ? { done: true, value: last } : { done: false, seen: JSON.stringify(last) };
        },
        { timeoutMs: forMs, intervalMs: 1000 },
      ).catch(() => undefined);
      const controllers = this.require();
      this.run.check("kafka-migration-state", {
        expect: "stalled",
        reading: last ?? (await this.reading()),
        controllers: ids,
        brokers: this.kafka.brokerIds(),
        completedLines: await controllers.logLines(MIGRATION_COMPLETED),
        waitingLines: await controllers.logLines(WAITING_FOR_BROKERS),
        refusedLines: await controllers.logLines(REGISTRATION_REFUSED),
        waitedMs: Date.now() - start,
      });
      return last ?? this.reading();
    });
  }

  /** The KRaft controller that holds /controller now (the quorum's active controller, while migrating). */
  async activeController(timeoutMs = 60_000): Promise<{ controller: BrokerId; epoch: number }> {
    const ids = this.controllerIds();
    const r = await waitFor(
      "a KRaft controller in /controller",
      async () => {
        const m = await this.reading();
        return m.controller !== null && ids.includes(m.controller) && (m.kraftControllerEpoch ?? -1) >= 0 ? { done: true, value: m } : { done: false, seen: JSON.stringify(m) };
      },
      { timeoutMs, intervalMs: 250 },
    );
    return { controller: r.controller!, epoch: r.kraftControllerEpoch! };
  }

  killController(id: BrokerId): Promise<void> {
    return this.run.step(`kill -9 KRaft controller ${id}`, () => this.faults.inject("kill", [], `kill KRaft controller ${id}`, { controller: id, signal: "SIGKILL" }, () => this.require().kill(id)));
  }

  startController(id: BrokerId): Promise<void> {
    return this.run.step(`start KRaft controller ${id}`, () => this.faults.inject("start", [], `start KRaft controller ${id}`, { controller: id }, () => this.require().start(id)));
  }

  /**
   * After the active controller died at `killedAt`: another KRaft controller claims /controller with a
   * higher KRaft controller epoch (bounded wait), judged as the controller failover is.
   */
  async controllerTakesOver(before: { controller: BrokerId; epoch: number }, killedAt: number, timeoutMs = 90_000): Promise<number | null> {
    const ids = this.controllerIds().filter((id) => id !== before.controller);
    let last: MigrationReading | undefined;
    const r = await waitFor(
      `a KRaft controller other than ${before.controller} in /controller`,
      async () => {
        last = await this.reading();
        return last.controller !== null && ids.includes(last.controller) && (last.kraftControllerEpoch ?? -1) > before.epoch ? { done: true, value: last } : { done: false, seen: JSON.stringify(last) };
      },
      { timeoutMs, intervalMs: 250 },
    ).catch(() => undefined);
    const after = r ?? last ?? (await this.reading());
    const failoverMs = r ? Date.now() - killedAt : null;
    this.run.check("kafka-controller-epoch", { before, after: { controller: after.controller, epoch: after.kraftControllerEpoch }, ...(failoverMs !== null ? { failoverMs } : {}) });
    return failoverMs;
  }

  /** "Finalizing the migration": each controller restarted, one at a time, without the flag and zookeeper.connect. */
  finalize(): Promise<void> {
    const ids = this.controllerIds();
    return this.section(`finalize the migration: restart KRaft controllers ${ids.join(", ")} without ZooKeeper`, async () => {
      for (const id of ids) await this.faults.inject("restart", [], `restart KRaft controller ${id} finalized`, { controller: id, mode: "finalized" }, () => this.require().reconfigure(id, "finalized"));
    });
  }

  // ---- the guide's revert ----

  /** "Deprovision the KRaft controller quorum" (a revert's step): stopped and removed, their logs kept. */
  deprovision(): Promise<void> {
    const ids = this.controllerIds();
    return this.section(`deprovision the KRaft controller quorum (${ids.join(", ")})`, () => this.faults.inject("stop", [], `deprovision KRaft controllers ${ids.join(", ")}`, { controllers: ids }, () => this.require().deprovision()));
  }

  /**
   * The revert's zookeeper-shell.sh step, done quickly ("to minimize the amount of time that the cluster
   * lacks a controller"): rmr /controller, and with `migration`, get /migration then rmr /migration.
   */
  removeControllerZnode(o: { migration: boolean }): Promise<void> {
    return this.section(`rmr ${this.kafka.chroot}/controller${o.migration ? ` and ${this.kafka.chroot}/migration` : ""} (zookeeper-shell.sh)`, async () => {
      // Not in the history: Kafka's own writes of these znodes are not recorded, so the history could
      // only judge this delete against a znode it never saw created (and would call it a lie).
      const { history: _unrecorded, ...place } = await this.zk();
      const r = await removeMigrationZnodes(place, o);
      this.run.journal.append("note", { what: "migration znodes removed", ...r });
    });
  }

  // ---- evidence ----

  /** The topics, their replicas and overrides, and the ACLs as ZooKeeper holds them now (journaled). */
  async zkMetadata(source: string): Promise<KafkaMetadata> {
    const m = await this.run.step(`read the metadata in ZooKeeper (${source})`, async () => readZkMetadata(await this.zk(), source));
    this.run.journal.append("note", { what: "kafka metadata", metadata: m });
    return m;
  }

  /** The metadata the brokers serve now, through kafka-topics and kafka-configs (journaled). */
  async clusterMetadata(source: string): Promise<KafkaMetadata> {
    const m = await this.run.step(`describe topics and configs through the brokers (${source})`, () => describeMetadata(this.kafka.place(), `metadata-${++this.reads}`, source));
    this.run.journal.append("note", { what: "kafka metadata", metadata: m });
    return m;
  }

  /** The metadata `after` equals `before` (topics, ids, replicas, configs, ACLs). */
  metadataMatches(before: KafkaMetadata, after: KafkaMetadata): void {
    this.run.check("kafka-metadata", { before, after });
  }

  /** After a revert: a ZooKeeper-mode broker holds /controller again (bounded wait, then judged). */
  async reverted(timeoutMs = 90_000): Promise<void> {
    const brokers = this.kafka.brokerIds();
    let last: MigrationReading | undefined;
    await waitFor(
      "a ZooKeeper-mode broker in /controller",
      async () => {
        last = await this.reading();
        return last.controller !== null && brokers.includes(last.controller) && (last.kraftControllerEpoch ?? -1) < 0 ? { done: true, value: last } : { done: false, seen: JSON.stringify(last) };
      },
      { timeoutMs, intervalMs: 250 },
    ).catch(() => undefined);
    this.run.check("kafka-migration-state", { expect: "reverted", reading: last ?? (await this.reading()), controllers: this.controllerIds(), brokers, completedLines: [] });
  }

  /** The closing note: each section of the guide with its duration, and the records/s of each measured phase. */
  sectionsFinding(): void {
    const rates = this.kafka.throughputByPhase;
    const text = this.sections.map((s) => `${s.name}: ${((s.end - s.start) / 1000).toFixed(1)} s`).join("; ");
    this.run.finding("the migration's sections (Kafka 3.9's guide)", "info", `${text}. records/s per phase: ${Object.entries(rates).map(([p, r]) => `${p}: ${r === null ? "-" : Math.round(r)}`).join("; ")}`, { sections: this.sections, recordsPerSecByPhase: rates });
  }

  /**
   * The run's ending: the controllers' logs into the run folder, then the controllers stopped. Left in
   * migration mode they dual-write to ZooKeeper, and the members' trees are compared next: a tree read
   * while the zxid moves is inconclusive.
   */
  async finish(): Promise<void> {
    if (!this.controllers) return;
    await this.controllers.collectLogs(join(dirname(this.run.journal.path), "logs"));
    // The brokers' logs are collected after this: a controller that cannot be stopped is named, not thrown.
    const stopped = await this.controllers.stopAll().catch((err: Error) => err.message);
    if (stopped.length > 0) this.run.journal.appendIfOpen("note", { what: "KRaft controllers stopped before the members are reconciled", controllers: stopped });
  }
}
