// `d.kafka`: the drill's hold on a real Kafka cluster on the ensemble (seed 003). Brokers started,
// stopped, killed and started again as members are (each a journaled fault, so the RTO table sees
// it); Kafka's own clients in the brokers' zone; what Kafka keeps in ZooKeeper read as evidence; phases
// measured in records/s. The checks are in src/drill/kafka-expect.ts.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { kafkaPhaseRate } from "../checks";
import type { Phase } from "../checks";
import { waitFor } from "../common";
import { ensureKafkaImage, KafkaImageRef } from "../images";
import { KafkaBrokers } from "../kafka";
import { ClientPlace, consumeAll, ConsumeResult, createTopic, deleteRecords, PerfOptions, ProducerPerf, VerifiableProducer } from "../kafka";
import { residentMemory } from "../kafka";
import { settled } from "../kafka";
import { KafkaZkState, readKafkaState } from "../kafka";
import { BrokerId, brokerHostname } from "../topology";
import type { Faults } from "../faults/faults";
import type { RunCore } from "./core";
import { KafkaExpectations } from "./kafka-expect";
import { KraftWords } from "./kraft-words";
import type { WorkloadControl } from "./workload-control";

/** The producer perf tool prints every 5 s: a phase holds at least two lines, quick mode or not. */
const MIN_PHASE_MS = 11_000;

export class KafkaWords {
  brokers?: KafkaBrokers;
  image?: KafkaImageRef;
  perf?: ProducerPerf;
  verifiable?: VerifiableProducer;
  readonly phases: Phase[] = [];
  /** The phase opened before a fault, measured to its end by `measure`. */
  private open?: { name: string; start: number };
  readonly expect: KafkaExpectations;
  /** The migration off ZooKeeper, when the topology has KRaft controllers (src/drill/kraft-words.ts). */
  readonly kraft: KraftWords;
  private tools = 0;
  private readonly retired: Array<{ name: string; log: () => Promise<string> }> = [];

  constructor(
    private readonly run: RunCore,
    private readonly faults: Faults,
    private readonly workload: WorkloadControl,
  ) {
    this.expect = new KafkaExpectations(run, this);
    this.kraft = new KraftWords(run, faults, this);
  }

  get enabled(): boolean {
    return this.run.ensemble.topology.kafka !== undefined;
  }

  /** The topology's brokers, by id. */
  brokerIds(): BrokerId[] {
    return this.run.ensemble.topology.kafka?.brokers.map((b) => b.id) ?? [];
  }

  /** A broker setting the topology gives (server.properties), or undefined for Kafka's default. */
  setting(name: string): string | undefined {
    const v = this.run.ensemble.topology.kafka?.settings[name];
    return v === undefined ? undefined : String(v);
  }

  get chroot(): string {
    return this.run.ensemble.topology.kafka?.chroot ?? "/kafka";
  }

  require(): KafkaBrokers {
    if (!this.brokers) throw new Error("no Kafka brokers run in this drill: its topology needs a kafka block (src/topology/brokers.ts)");
    return this.brokers;
  }

  /** The runner calls this after the ensemble is up: every broker of the topology, each registered in ZooKeeper. */
  async startBrokers(): Promise<void> {
    const k = this.run.ensemble.topology.kafka;
    if (!k || this.brokers) return;
    const ids = k.brokers.map((b) => b.id);
    await this.run.step(`start Kafka brokers ${ids.join(", ")} in zone ${k.brokers[0].zone} (zookeeper.connect ...${k.chroot})`, async () => {
      // A broker that finds no ZooKeeper quorum within its connection timeout exits: the members elect first.
      await this.run.unlessStopped(this.run.ensemble.waitForQuorum({ timeoutMs: 120_000 }));
      this.image = await ensureKafkaImage();
      this.brokers = new KafkaBrokers({ runId: this.run.ensemble.runId, topology: this.run.ensemble.topology, image: this.image, network: this.run.ensemble.network, keep: this.run.ensemble.plan.keep });
      this.run.journal.append("note", { what: "kafka brokers", image: this.image, brokers: this.brokers.describe() });
      await this.brokers.startAll();
      await this.awaitRegistered(ids, 60_000);
    });
  }

  place(): ClientPlace {
    const b = this.require();
    return { runId: this.run.ensemble.runId, image: this.image!, network: b.network, bootstrap: b.bootstrap(), keep: this.run.ensemble.plan.keep };
  }

  private toolName(what: string): string {
    return `${what}-${++this.tools}`;
  }

  // ---- brokers, in the operator's words: each a fault through the one journaling path ----

  kill(id: BrokerId): Promise<void> {
    return this.run.step(`kill -9 broker ${id}`, () => this.faults.inject("kill", [], `kill broker ${id}`, { broker: id, signal: "SIGKILL" }, () => this.require().kill(id)));
  }

  /** Graceful: Kafka's controlled shutdown moves leadership off it and closes its ZooKeeper session. */
  stop(id: BrokerId): Promise<void> {
    return this.run.step(`stop broker ${id}`, () => this.faults.inject("stop", [], `stop broker ${id}`, { broker: id, signal: "SIGTERM" }, () => this.require().stop(id)));
  }

  /** Started again (its log folder kept), then awaited until it is registered under /brokers/ids. */
  start(id: BrokerId, timeoutMs = 90_000): Promise<void> {
    return this.run.step(`start broker ${id}`, async () => {
      await this.faults.inject("start", [], `start broker ${id}`, { broker: id }, () => this.require().start(id));
      await this.awaitRegistered([id], timeoutMs);
    });
  }

  // ---- what Kafka keeps in ZooKeeper ----

  /** One reading of Kafka's znodes through the running members (recorded in the history). */
  async state(topics: readonly string[] = []): Promise<KafkaZkState> {
    const members = await this.run.ensemble.running();
    return readKafkaState({ connectString: this.run.ensemble.connectString(members), members, chroot: this.chroot, topics, history: this.run.history });
  }

  /** Waits (bounded) until every given broker is registered; the last reading is the error's evidence. */
  async awaitRegistered(ids: readonly BrokerId[], timeoutMs: number): Promise<KafkaZkState> {
    return this.run.unlessStopped(
      waitFor(
        `broker(s) ${ids.join(", ")} registered under ${this.chroot}/brokers/ids`,
        async () => {
          const s = await this.state();
          return ids.every((id) => s.registered.includes(id)) ? { done: true, value: s } : { done: false, seen: `registered: ${s.registered.join(", ") || "none"} ${JSON.stringify(s.errors)}` };
        },
        { timeoutMs, intervalMs: 250 },
      ),
    );
  }

  /** Polls until `until` holds of a reading (bounded); returns the first reading that did, or the last one when time ran out. */
  async watch(what: string, until: (s: KafkaZkState) => boolean, timeoutMs: number, topics: readonly string[] = [], intervalMs = 100): Promise<{ state: KafkaZkState; met: boolean }> {
    let last: KafkaZkState | undefined;
    try {
      const state = await this.run.unlessStopped(waitFor(what, async () => ((last = await this.state(topics)), until(last) ? { done: true, value: last } : { done: false, seen: JSON.stringify({ ...last, partitions: last.partitions.length }) }), { timeoutMs, intervalMs }));
      return { state, met: true };
    } catch (err) {
      if (/^stopped: /.test((err as Error).message) || !last) throw err;
      return { state: last, met: false };
    }
  }

  /** The controller and its epoch, once there is one (bounded wait). */
  async controller(timeoutMs = 60_000): Promise<{ controller: BrokerId; epoch: number }> {
    const w = await this.watch("a controller", (s) => s.controller !== null && s.controllerEpoch !== null, timeoutMs, [], 250);
    if (!w.met) throw new Error(`no controller within ${(timeoutMs / 1000).toFixed(0)} s: ${JSON.stringify(w.state.errors)}`);
    this.run.journal.append("note", { what: "kafka controller", controller: w.state.controller, epoch: w.state.controllerEpoch });
    return { controller: w.state.controller!, epoch: w.state.controllerEpoch! };
  }

  // ---- topics and clients ----

  /** A topic the drill needs: created, or the step fails saying why. */
  createTopic(topic: string, o: { partitions: number; replicationFactor: number; configs?: Readonly<Record<string, string>> }): Promise<void> {
    const overrides = Object.entries(o.configs ?? {}).map(([k, v]) => `, ${k}=${v}`).join("");
    return this.run.step(`create topic ${topic} (${o.partitions} partitions, replication ${o.replicationFactor}${overrides})`, async () => {
      const r = await createTopic(this.place(), this.toolName("kafka-topics"), topic, o);
      this.run.journal.append("note", { what: "kafka topic", topic, ...o, ...r });
      if (!r.ok) throw new Error(`kafka-topics --create ${topic} failed after ${(r.durationMs / 1000).toFixed(1)} s: ${r.output}`);
    });
  }

  /** A topic creation measured, not required (seed 003's question: what still works without a quorum?). */
  tryCreateTopic(topic: string, o: { partitions: number; replicationFactor: number; timeoutMs: number }): Promise<{ ok: boolean; durationMs: number; output: string }> {
    return this.run.step(`try to create topic ${topic} (bounded ${(o.timeoutMs / 1000).toFixed(0)} s)`, async () => {
      const r = await createTopic(this.place(), this.toolName("kafka-topics"), topic, o);
      this.run.journal.append("note", { what: "kafka topic attempt", topic, ...o, ...r });
      return r;
    });
  }

  /** seed 003's load: the producer perf tool, acks=all, 1 KiB records, its lines journaled as the run's Kafka series. */
  startPerf(o: PerfOptions): Promise<void> {
    return this.run.step(`start the producer perf tool on ${o.topic} (--record-size ${o.recordSize ?? 1024} --throughput ${o.throughput ?? -1}, acks=${o.acks ?? "all"})`, async () => {
      const name = this.toolName("producer-perf");
      this.perf = await ProducerPerf.start(this.place(), name, o, {
        window: (w) => {
          if (this.run.journal.isClosed) return;
          this.run.journal.append("metric", { series: "kafka-producer", ...w });
          this.run.say(`    kafka: ${w.records} records sent, ${w.recordsPerSec.toFixed(1)} records/sec (${w.mbPerSec.toFixed(2)} MB/sec), ${w.avgMs.toFixed(1)} ms avg latency, ${w.maxMs.toFixed(1)} ms max latency.`);
          this.run.live({ recordsPerSec: Math.round(w.recordsPerSec) });
        },
        total: (t) => this.run.journal.appendIfOpen("metric", { series: "kafka-producer-total", ...t }),
      });
      this.run.journal.append("note", { what: "kafka perf started", name, options: o, startedAt: this.perf.startedAt });
      const perf = this.perf;
      this.retired.push({ name, log: () => perf.log() });
      // The tool warms up for a minute or more on a small host (JVMs, JIT): a phase measured before its
      // rate settles would be judged against a warm-up. Bounded: past it, the baseline says it is early.
      const rates = () => perf.windows.map((w) => w.recordsPerSec);
      const ok = await waitFor("the perf tool's rate to settle", async () => (settled(rates()) ? { done: true, value: true } : { done: false, seen: rates().map(Math.round).join(", ") || "no line yet" }), { timeoutMs: 150_000, intervalMs: 500 }).catch(() => false);
      this.run.journal.append("note", { what: "kafka perf warm-up", settled: ok, recordsPerSec: rates() });
      if (!ok) this.run.finding("Kafka baseline taken during warm-up", "warning", `the perf tool's rate had not settled after 150 s (${rates().map(Math.round).join(", ")} records/s): phases are compared with a baseline that may be low`, { recordsPerSec: rates() });
    });
  }

  async stopPerf(): Promise<void> {
    const p = this.perf;
    if (!p || p.stoppedAt !== undefined) return;
    await this.run.step("stop the producer perf tool", async () => {
      await p.stop();
      this.run.journal.appendIfOpen("note", { what: "kafka perf stopped", stoppedAt: p.stoppedAt, windows: p.windows.length });
    });
  }

  /**
   * Opens a named phase now, before a fault, so that it holds the fault and what follows (seed 003's
   * claim is about records/s *while* the leader dies); `measure` with the same name closes it.
   */
  phase(name: string): void {
    this.open = { name, start: Date.now() };
    if (this.workload.started) this.workload.phase(name);
    else this.run.journal.append("phase", { name });
  }

  /**
   * A named phase of `ms` (at least two of the tool's lines, quick mode or not); the ZooKeeper workload's
   * phase too. The phase opened with `phase(name)` goes on to at least that long from its start.
   */
  async measure(name: string, ms: number): Promise<void> {
    const length = Math.max(MIN_PHASE_MS, this.run.quick ? Math.min(ms, MIN_PHASE_MS) : ms);
    const opened = this.open?.name === name ? this.open : undefined;
    this.open = undefined;
    if (!opened) this.phase(name);
    const start = opened?.start ?? Date.now();
    // An opened phase: `ms` more (5 s at most in quick mode: one of the tool's lines), and two lines in all.
    const left = opened ? Math.max(this.run.quick ? Math.min(ms, 5_000) : ms, MIN_PHASE_MS - (Date.now() - start)) : length;
    await this.run.step(`measure "${name}" for ${(left / 1000).toFixed(0)} s${opened ? " more" : ""}`, () => new Promise((r) => setTimeout(r, left))); // the phase's length is the measurement itself
    const phase = { name, start, end: Date.now() };
    this.phases.push(phase);
    const rate = this.perf ? kafkaPhaseRate(this.perf.windows, phase, this.perf) : undefined;
    this.run.journal.append("note", { what: "kafka phase", ...phase, recordsPerSec: rate ? Math.round(rate.recordsPerSec) : null, basis: rate?.basis ?? "no perf tool line" });
  }

  /** The verifiable producer (acks=all), throttled: every record it sees acknowledged must be read back at the end. */
  startVerifiable(topic: string, throughput: number): Promise<void> {
    return this.run.step(`start the verifiable producer on ${topic} (${throughput} records/s, acks=all)`, async () => {
      const name = this.toolName("verifiable-producer");
      this.verifiable = await VerifiableProducer.start(this.place(), name, { topic, throughput, valuePrefix: this.tools });
      const v = this.verifiable;
      this.retired.push({ name, log: () => v.log() });
    });
  }

  /** Waits (bounded) until the verifiable producer has `n` acknowledged records. */
  awaitAcked(n: number, timeoutMs = 60_000): Promise<void> {
    return this.run.step(`wait for ${n} acknowledged records`, () =>
      waitFor(`${n} acknowledged records`, async () => {
        const got = this.verifiable?.acked.length ?? 0;
        return got >= n ? { done: true, value: undefined } : { done: false, seen: `${got} acknowledged` };
      }, { timeoutMs, intervalMs: 100 }),
    );
  }

  async stopVerifiable(): Promise<VerifiableProducer> {
    const v = this.verifiable;
    if (!v) throw new Error("the verifiable producer is not running; call d.kafka.startVerifiable() first");
    if (v.stoppedAt === undefined) await this.run.step("stop the verifiable producer", () => v.stop());
    return v;
  }

  /** Reads the topic from the beginning until every acknowledged offset is passed (bounded). */
  consumeAll(topic: string, acked: VerifiableProducer["acked"], timeoutMs = 120_000): Promise<ConsumeResult> {
    return this.run.step(`read ${topic} from the beginning with the verifiable consumer`, () => consumeAll(this.place(), this.toolName("verifiable-consumer"), topic, acked, timeoutMs));
  }

  /** Behind the check's back (a test of the check): records before `beforeOffset` of a partition deleted. */
  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    return this.run.step(`delete the records of ${topic}-${partition} before offset ${beforeOffset} (kafka-delete-records)`, async () => {
      const out = await deleteRecords(this.place(), this.toolName("delete-records"), topic, partition, beforeOffset);
      this.run.journal.append("note", { what: "kafka records deleted", topic, partition, beforeOffset, output: out.slice(-1000) });
    });
  }


  /** Resident memory of every container of the run (docker stats), journaled. */
  async memory(moment: string): Promise<Record<string, number>> {
    const rss = await residentMemory(this.run.ensemble.runId);
    const total = Object.values(rss).reduce((a, b) => a + b, 0);
    this.run.journal.append("note", { what: "resident memory", moment, mib: rss, totalMib: total });
    this.run.say(`    resident memory ${moment}: ${total} MiB over ${Object.keys(rss).length} containers`);
    return rss;
  }

  /**
   * Seed 003's question, what Kafka still does without a ZooKeeper quorum, as a finding: produce to
   * existing partitions in phase "quorum lost" against the baseline, and the topic creation tried then.
   */
  withoutQuorumFinding(create: { ok: boolean; durationMs: number; output: string }): void {
    const rates = this.throughputByPhase;
    const base = rates.baseline ?? 0;
    const lost = rates["quorum lost"];
    const share = this.run.objectives.minThroughputRatio ?? 0.5;
    const produce = lost === null || lost === undefined ? "not measured" : `${Math.round(lost)} records/s (${base > 0 ? Math.round((lost / base) * 100) : "?"}% of the baseline)`;
    const why = create.ok ? "" : `: ${(create.output.split("\n").find((l) => /Exception|Error/.test(l)) ?? create.output.split("\n")[0]).trim().slice(0, 300)}`;
    this.run.finding(
      "Kafka without a ZooKeeper quorum",
      lost !== null && lost !== undefined && base > 0 && lost >= share * base ? "info" : "warning",
      `produce (acks=all) to existing partitions: ${produce}; topic creation ${create.ok ? "succeeded" : "failed"} after ${(create.durationMs / 1000).toFixed(1)} s${why}`,
      { recordsPerSecByPhase: rates, topicCreation: create },
    );
  }

  /** Records/s per phase, as one finding (the perf tool's acks=all 1 KiB records). */
  phasesFinding(): void {
    const rates = this.throughputByPhase;
    this.run.finding("records/s per phase (producer perf tool, acks=all, 1 KiB)", "info", Object.entries(rates).map(([p, r]) => `${p}: ${r === null ? "-" : Math.round(r)}`).join("; "), { recordsPerSecByPhase: rates });
  }

  /** Records/s per phase the drill measured. */
  get throughputByPhase(): Record<string, number | null> {
    const p = this.perf;
    return Object.fromEntries(this.phases.map((ph) => [ph.name, p ? (kafkaPhaseRate(p.windows, ph, p)?.recordsPerSec ?? null) : null]));
  }

  /** The run's ending (always): the clients stopped, the brokers' and the tools' logs into the run folder. */
  async finish(): Promise<void> {
    await this.perf?.stop().catch(() => undefined);
    await this.verifiable?.stop().catch(() => undefined);
    if (!this.brokers) return;
    await this.kraft.finish();
    const dir = join(dirname(this.run.journal.path), "logs");
    await this.brokers.collectLogs(dir);
    for (const t of this.retired) writeFileSync(join(dir, `${t.name}.log`), await t.log().catch((err: Error) => `zkdrill: this container's log could not be read: ${err.message}\n`));
    const byPhase = this.throughputByPhase;
    if (Object.keys(byPhase).length > 0) this.run.journal.appendIfOpen("note", { what: "kafka throughput", byPhase });
  }

  hostname(id: BrokerId): string {
    return brokerHostname(id);
  }
}
