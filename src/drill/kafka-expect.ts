// `d.kafka.expect`: each gathers its evidence (Kafka's znodes read through the ensemble, the verifiable
// clients' records, the perf tool's windows), hands it to a named check in src/checks, and journals
// kind, input and verdict together so `zkdrill report verify` recomputes it. A failed check stops the drill.
import type { KafkaReading } from "../checks";
import { CheckKind, judged } from "../checks";
import type { CheckResult } from "../checks";
import { brokerSessionTimeoutMs, BrokerId, negotiatedSessionTimeoutMs } from "../topology";
import type { KafkaZkState } from "../kafka";
import type { ConsumeResult, ProducerPerf, VerifiableProducer } from "../kafka";
import type { KafkaBrokers } from "../kafka";
import type { Phase } from "../checks";
import type { RunCore } from "./core";

/** What the Kafka expectations read of the cluster's words (src/drill/kafka-words.ts), and no more. */
export interface KafkaEvidence {
  readonly chroot: string;
  readonly perf?: ProducerPerf;
  readonly phases: readonly Phase[];
  require(): KafkaBrokers;
  watch(what: string, until: (s: KafkaZkState) => boolean, timeoutMs: number, topics?: readonly string[], intervalMs?: number): Promise<{ state: KafkaZkState; met: boolean }>;
  stopVerifiable(): Promise<VerifiableProducer>;
  consumeAll(topic: string, acked: VerifiableProducer["acked"], timeoutMs?: number): Promise<ConsumeResult>;
}

const reading = (s: KafkaZkState): KafkaReading => ({ registered: s.registered, controller: s.controller, controllerEpoch: s.controllerEpoch, partitions: s.partitions, errors: s.errors });

export class KafkaExpectations {
  constructor(
    private readonly run: RunCore,
    private readonly k: KafkaEvidence,
  ) {}

  private record<K extends CheckKind>(kind: K, input: Parameters<typeof judged<K>>[1]): CheckResult {
    return this.run.check(kind, input);
  }

  /** Every running broker registered (bounded wait, then the last reading judged). */
  async registered(timeoutMs = 30_000): Promise<void> {
    const running = await this.k.require().running();
    const w = await this.k.watch("every running broker registered", (s) => running.every((id) => s.registered.includes(id)), timeoutMs, [], 250);
    this.record("kafka-registered", { reading: reading(w.state), running });
  }

  /** One controller, a running registered broker (bounded wait for one to be elected). */
  async oneController(timeoutMs = 60_000): Promise<BrokerId> {
    const running = await this.k.require().running();
    const w = await this.k.watch("a running broker as controller", (s) => s.controller !== null && running.includes(s.controller) && s.registered.includes(s.controller), timeoutMs, [], 250);
    this.record("kafka-one-controller", { reading: reading(w.state), running });
    return w.state.controller!;
  }

  /**
   * After the controller broker died at `killedAt`: another broker becomes controller with a higher
   * epoch (bounded wait); the failover time is from the kill to the first reading that shows it.
   */
  async controllerMoved(before: { controller: number | null; epoch: number | null }, killedAt: number, timeoutMs = 90_000): Promise<{ controller: BrokerId; epoch: number; failoverMs: number }> {
    const w = await this.k.watch(`a new controller after broker ${before.controller}`, (s) => s.controller !== null && s.controller !== before.controller && (s.controllerEpoch ?? -1) > (before.epoch ?? Infinity), timeoutMs);
    const failoverMs = w.met ? w.state.at - killedAt : null;
    this.record("kafka-controller-epoch", { before, after: { controller: w.state.controller, epoch: w.state.controllerEpoch }, failoverMs });
    return { controller: w.state.controller!, epoch: w.state.controllerEpoch!, failoverMs: failoverMs! };
  }

  /** Each partition of `topics` led by a running broker with an ISR of running brokers (bounded wait for the controller to act). */
  async partitionsLed(topics: readonly string[], timeoutMs = 60_000): Promise<void> {
    const running = await this.k.require().running();
    const ok = (s: KafkaZkState) => s.partitions.length > 0 && s.partitions.every((p) => running.includes(p.leader) && p.isr.includes(p.leader) && p.isr.every((b) => running.includes(b)));
    const w = await this.k.watch(`partitions of ${topics.join(", ")} led by running brokers`, ok, timeoutMs, topics, 250);
    this.record("kafka-partitions-led", { reading: reading(w.state), running, topics: [...topics] });
  }

  /**
   * Waits (bounded) until every partition's ISR holds `ids` again: a restarted broker caught up. With
   * `recover`, it is asked after `firstBoundMs` with the reading then; when it acted (true), the full
   * bound is waited again, otherwise the rest of it.
   */
  async inSync(topics: readonly string[], ids: readonly BrokerId[], timeoutMs = 90_000, o: { firstBoundMs?: number; recover?: (s: KafkaZkState) => Promise<boolean> } = {}): Promise<void> {
    await this.run.step(`broker(s) ${ids.join(", ")} back in every ISR of ${topics.join(", ")}`, async () => {
      const full = (s: KafkaZkState) => s.partitions.length > 0 && s.partitions.every((p) => ids.every((id) => p.isr.includes(id)));
      const first = o.recover ? Math.min(o.firstBoundMs ?? timeoutMs / 2, timeoutMs) : timeoutMs;
      let w = await this.k.watch("ISRs full again", full, first, topics, 250);
      let waited = first;
      if (!w.met && o.recover) {
        const acted = await o.recover(w.state);
        const rest = acted ? timeoutMs : timeoutMs - first;
        if (rest > 0) w = await this.k.watch(acted ? "ISRs full again after the workaround" : "ISRs full again", full, rest, topics, 250);
        waited = acted ? rest : timeoutMs;
      }
      if (!w.met) throw new Error(`not every ISR holds ${ids.join(", ")} after ${(waited / 1000).toFixed(0)} s: ${w.state.partitions.map((p) => `${p.topic}-${p.partition} [${p.isr.join(",")}]`).join("; ")}`);
    });
  }

  /**
   * Broker `id`, killed at `killedAt`, leaves /brokers/ids when its session expires, not before:
   * watched every 100 ms until it vanishes or the session timeout plus two ticks and 10 s have passed.
   */
  async registrationExpires(id: BrokerId, killedAt: number): Promise<number | null> {
    const t = this.run.ensemble.topology;
    const requestedMs = brokerSessionTimeoutMs(t, id);
    const negotiated = negotiatedSessionTimeoutMs(requestedMs, t.settings.tickTime);
    const budget = Math.max(0, killedAt + negotiated + 2 * t.settings.tickTime + 10_000 - Date.now());
    const w = await this.k.watch(`broker ${id}'s registration to vanish`, (s) => !s.errors.session && !s.errors[`${this.k.chroot}/brokers/ids`] && !s.registered.includes(id), budget);
    const vanishedAt = w.met ? w.state.at : null;
    this.record("kafka-registration-expired", { broker: id, killedAt, vanishedAt, requestedMs, tickTime: t.settings.tickTime, watchedUntil: w.state.at });
    return vanishedAt === null ? null : vanishedAt - killedAt;
  }

  /**
   * acks=all's promise: the verifiable producer stopped, the topic read from the beginning, every
   * acknowledged record read back; lost ones named, duplicates counted.
   */
  async everyAckedConsumed(timeoutMs = 120_000): Promise<void> {
    const v = await this.k.stopVerifiable();
    const r = await this.k.consumeAll(v.topic, v.acked, timeoutMs);
    this.run.journal.append("note", { what: "kafka consumed", topic: v.topic, acknowledged: v.acked.length, consumed: r.consumed.length, stopped: r.stopped, durationMs: r.durationMs, sendErrors: v.failed.slice(0, 20) });
    this.record("kafka-delivery", { topic: v.topic, acked: v.acked, consumed: r.consumed, sendErrors: v.failed.length, consumerStopped: r.stopped });
  }

  /** The drill's objective for Kafka's records/s in `phase` against `baseline` (seed 003's "steady"). */
  /** Records/s in the phase at least `minRatio` of the baseline's (default: the objective minThroughputRatio). */
  throughputHolds(phase: string, baseline: string, minRatio?: number): void {
    const p = this.k.phases.find((x) => x.name === phase);
    const b = this.k.phases.find((x) => x.name === baseline);
    const perf = this.k.perf;
    if (!p || !b || !perf) throw new Error(`phases "${phase}" and "${baseline}" must both be measured with d.kafka.measure() while the perf tool runs; measured: ${this.k.phases.map((x) => x.name).join(", ") || "none"}`);
    const near = (w: { at: number }, ph: { start: number; end: number }) => w.at >= ph.start - 10_000 && w.at <= ph.end + 10_000;
    const windows = perf.windows.filter((w) => near(w, b) || near(w, p)).map((w) => ({ at: w.at, windowMs: w.windowMs, records: w.records }));
    this.record("kafka-throughput", { windows, tool: { startedAt: perf.startedAt, ...(perf.stoppedAt !== undefined ? { stoppedAt: perf.stoppedAt } : {}) }, baseline: b, phase: p, minRatio: this.run.throughputRatio(minRatio) });
  }
}
