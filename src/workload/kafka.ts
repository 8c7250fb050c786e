// A Kafka-style load on the ensemble, running through the whole drill (PROCEDURES.md P7):
// brokers register ephemeral znodes, a controller is elected through an ephemeral /controller,
// partition state moves by versioned setData (as ISR changes do), change notifications go through
// sequential znodes, and metadata is read with watches.
import { createHash } from "node:crypto";
import * as hdr from "hdr-histogram-js";
import { SeededRandom } from "../common/random";
import { errorText } from "../common/wait";
import { CreateMode, errorKind, statZxid, ZkClient } from "../zk/client";

export interface WorkloadOptions {
  readonly connectString: string;
  readonly brokers?: number;
  readonly partitions?: number;
  /** Closed loop: this many operations in flight. */
  readonly inFlight?: number;
  /** Open loop: operations started per second, whatever the ensemble does (a stall shows as latency). */
  readonly targetRate?: number;
  readonly payloadBytes?: number;
  readonly seed: number;
  /** Called once a second with the sample, and the producer-perf style line. */
  readonly onSample?: (sample: Sample, line: string) => void;
}

export interface Sample {
  /** Start of the one-second interval, ms since the epoch. */
  readonly at: number;
  readonly ok: number;
  readonly writesOk: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly backlog: number;
}

export interface ManifestEntry {
  readonly path: string;
  readonly version: number;
  readonly digest: string;
  readonly mzxid: string;
  readonly ackedAt: number;
}

export interface WorkloadSummary {
  readonly ops: number;
  readonly writesAcked: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly sessions: { readonly disconnects: number; readonly expirations: number; readonly reconnects: number; readonly readTimeouts: number };
  readonly controllerChanges: number;
}

const digestOf = (b: Buffer) => createHash("sha256").update(b).digest("hex").slice(0, 16);

/** Producer-perf style, as operators read it in P7's write-up. */
export function perfLine(s: Sample): string {
  const errs = Object.values(s.errors).reduce((a, b) => a + b, 0);
  return `${s.ok} ops sent, ${s.ok.toFixed(1)} ops/sec, ${s.meanMs.toFixed(1)} ms avg latency, ${s.maxMs.toFixed(1)} ms max latency${errs ? `, ${errs} errors` : ""}.`;
}

export class KafkaWorkload {
  private readonly rng: SeededRandom;
  private readonly clients: ZkClient[] = [];
  /** Sessions closed by moveTo, still counted in the summary. */
  private readonly retired: ZkClient[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private ticker?: NodeJS.Timeout;
  private histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 2 });
  private interval = { ok: 0, writesOk: 0, errors: {} as Record<string, number>, start: Date.now() };
  private inflight = 0;
  private failures = 0;
  private readonly totals = { ops: 0, writesAcked: 0, errors: {} as Record<string, number>, controllerChanges: 0 };
  /** Every acknowledged write: the latest acknowledged version of each path. */
  readonly manifest = new Map<string, ManifestEntry>();
  /** Every acknowledged write in order, for "what was acknowledged by time T" (P3's recovery point). */
  readonly ackHistory: ManifestEntry[] = [];
  readonly samples: Sample[] = [];
  /** Time of every successful write, for the unavailability window. */
  readonly writeAcks: number[] = [];
  private readonly payload: Buffer;
  private notificationSeq = 0;

  constructor(private readonly opts: WorkloadOptions) {
    this.rng = new SeededRandom(opts.seed);
    this.payload = Buffer.alloc(opts.payloadBytes ?? 256, "k");
  }

  private get partitionCount() {
    return this.opts.partitions ?? 16;
  }

  private partitionPath(p: number) {
    return `/brokers/topics/drill/partitions/${p}/state`;
  }

  /** Connects the brokers, creates the tree, registers brokers, runs the controller election. */
  async start(): Promise<void> {
    const brokers = this.opts.brokers ?? 3;
    for (let i = 0; i < brokers; i++) this.clients.push(await ZkClient.connect(this.opts.connectString, { opTimeoutMs: 10_000, sessionTimeoutMs: 10_000 }));
    const admin = this.clients[0];
    await admin.mkdirp("/brokers/ids");
    await admin.mkdirp("/admin/notifications");
    for (let p = 0; p < this.partitionCount; p++) {
      const path = this.partitionPath(p);
      if (!(await admin.exists(path))) await admin.mkdirp(path);
    }
    for (let i = 0; i < brokers; i++) {
      await this.clients[i].create(`/brokers/ids/${i}`, Buffer.from(JSON.stringify({ host: `broker-${i}`, port: 9092 })), CreateMode.EPHEMERAL).catch((err) => {
        if (errorKind(err) !== "NODE_EXISTS") throw err;
      });
      void this.campaign(i);
    }
    this.running = true;
    this.interval.start = Date.now();
    this.ticker = setInterval(() => this.tick(), 1000);
    if (this.opts.targetRate) this.loops.push(this.openLoop(this.opts.targetRate));
    else for (let w = 0; w < (this.opts.inFlight ?? 8); w++) this.loops.push(this.closedLoop(w));
  }

  /**
   * Points the brokers at other members (P5: clients switch to the target hosts), one broker at a
   * time as a rolling broker restart does: its session closes, a new one opens on `connectString`,
   * the broker registers again and rejoins the controller election. The load keeps running.
   */
  async moveTo(connectString: string): Promise<void> {
    for (let i = 0; i < this.clients.length; i++) {
      const old = this.clients[i];
      old.close();
      this.retired.push(old);
      const fresh = await ZkClient.connect(connectString, { opTimeoutMs: 10_000, sessionTimeoutMs: 10_000 });
      this.clients[i] = fresh;
      // The old session's ephemeral goes a moment after its close: retry a bounded number of times.
      for (let attempt = 0; attempt < 25; attempt++) {
        try {
          await fresh.create(`/brokers/ids/${i}`, Buffer.from(JSON.stringify({ host: `broker-${i}`, port: 9092 })), CreateMode.EPHEMERAL);
          break;
        } catch (err) {
          if (errorKind(err) !== "NODE_EXISTS" || attempt === 24) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      void this.campaign(i);
    }
  }

  /** Controller election: create ephemeral /controller, or watch it and try again when it goes. */
  private async campaign(broker: number): Promise<void> {
    const c = this.clients[broker];
    // A broker moved to a new session campaigns again there; this loop ends with its old session.
    for (let attempt = 0; attempt < 10_000 && (this.running || attempt === 0) && this.clients[broker] === c; attempt++) {
      try {
        await c.create("/controller", Buffer.from(JSON.stringify({ brokerid: broker })), CreateMode.EPHEMERAL);
        this.totals.controllerChanges++;
      } catch (err) {
        if (errorKind(err) !== "NODE_EXISTS") {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
      }
      // Wait for /controller to change (deletion when its session dies), bounded by a timer.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        c.exists("/controller", () => {
          clearTimeout(timer);
          resolve();
        }).catch(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!this.running) return;
    }
  }

  private record(startedAt: number, write: boolean, err?: unknown): void {
    const ms = Math.max(1, Date.now() - startedAt);
    this.totals.ops++;
    if (err) {
      this.failures++;
      const kind = errorKind(err);
      this.interval.errors[kind] = (this.interval.errors[kind] ?? 0) + 1;
      this.totals.errors[kind] = (this.totals.errors[kind] ?? 0) + 1;
      return;
    }
    this.histogram.recordValue(ms * 1000);
    this.interval.ok++;
    if (write) {
      this.interval.writesOk++;
      this.totals.writesAcked++;
      this.writeAcks.push(Date.now());
    }
  }

  /** One operation, chosen by the seeded random: the mix a Kafka cluster puts on ZooKeeper. */
  private async operation(client: ZkClient): Promise<void> {
    const roll = this.rng.next();
    const started = Date.now();
    if (roll < 0.5) {
      // ISR change: read the partition state, write it back with the version read (compare-and-set).
      const path = this.partitionPath(this.rng.int(this.partitionCount));
      try {
        const { stat } = await client.getData(path);
        const data = Buffer.concat([Buffer.from(`{"leader":${this.rng.int(3)},"epoch":${stat.version + 1}}`), this.payload]);
        const after = await client.setData(path, data, stat.version);
        const entry: ManifestEntry = { path, version: after.version, digest: digestOf(data), mzxid: `0x${statZxid(after).toString(16)}`, ackedAt: Date.now() };
        const prior = this.manifest.get(path);
        if (!prior || prior.version < entry.version) this.manifest.set(path, entry);
        this.ackHistory.push(entry);
        this.record(started, true);
      } catch (err) {
        this.record(started, true, err);
      }
    } else if (roll < 0.75) {
      // Change notification: a sequential znode, consumed and deleted (as the controller does).
      try {
        const data = Buffer.from(`change-${this.notificationSeq++}`);
        const created = await client.create("/admin/notifications/change-", data, CreateMode.PERSISTENT_SEQUENTIAL);
        this.record(started, true);
        // Consuming it is a separate operation: its failure is counted, not hidden (the write above stands).
        await client.remove(created).catch((err) => this.record(Date.now(), false, err));
      } catch (err) {
        this.record(started, true, err);
      }
    } else {
      // Metadata read with a watch, as brokers do on topic metadata.
      try {
        await client.getData(this.partitionPath(this.rng.int(this.partitionCount)), () => undefined);
        this.record(started, false);
      } catch (err) {
        this.record(started, false, err);
      }
    }
  }

  private async closedLoop(worker: number): Promise<void> {
    while (this.running) {
      // Picked per operation: moveTo swaps the sessions under a running load.
      const client = this.clients[worker % this.clients.length];
      this.inflight++;
      const failuresBefore = this.failures;
      await this.operation(client);
      this.inflight--;
      // A failing (or closed) session answers at once, within microtasks: back off as a client
      // would, and never starve the timers (the per-second samples) of the event loop.
      if (this.failures > failuresBefore) await new Promise((r) => setTimeout(r, 20));
      else await new Promise((r) => setImmediate(r));
    }
  }

  private async openLoop(rate: number): Promise<void> {
    const periodMs = 1000 / rate;
    const maxBacklog = rate * 30;
    const pending = new Set<Promise<void>>();
    let next = Date.now();
    let i = 0;
    while (this.running) {
      const now = Date.now();
      if (now < next) {
        await new Promise((r) => setTimeout(r, next - now));
        continue;
      }
      next += periodMs;
      if (pending.size >= maxBacklog) {
        this.record(now, false, { name: "BACKLOG_FULL", message: "backlog full" });
        continue;
      }
      const client = this.clients[i++ % this.clients.length];
      this.inflight++;
      const p: Promise<void> = this.operation(client).finally(() => {
        this.inflight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.allSettled([...pending]);
  }

  private tick(): void {
    const h = this.histogram;
    const s: Sample = {
      at: this.interval.start,
      ok: this.interval.ok,
      writesOk: this.interval.writesOk,
      errors: this.interval.errors,
      p50Ms: h.totalCount ? h.getValueAtPercentile(50) / 1000 : 0,
      p95Ms: h.totalCount ? h.getValueAtPercentile(95) / 1000 : 0,
      p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0,
      maxMs: h.totalCount ? h.maxValue / 1000 : 0,
      meanMs: h.totalCount ? h.mean / 1000 : 0,
      backlog: this.inflight,
    };
    this.samples.push(s);
    this.opts.onSample?.(s, perfLine(s));
    h.reset();
    this.interval = { ok: 0, writesOk: 0, errors: {}, start: Date.now() };
  }

  /** Stops the load, flushes the last sample, closes every session. */
  async stop(): Promise<WorkloadSummary> {
    this.running = false;
    if (this.ticker) clearInterval(this.ticker);
    // Bounded: each in-flight operation has its own 10 s timeout.
    await Promise.allSettled(this.loops);
    this.tick();
    const sessions = { disconnects: 0, expirations: 0, reconnects: 0, readTimeouts: 0 };
    for (const c of this.retired) {
      sessions.disconnects += c.counters.disconnects;
      sessions.expirations += c.counters.expirations;
      sessions.reconnects += c.counters.reconnects;
      sessions.readTimeouts += c.counters.readTimeouts;
    }
    for (const c of this.clients) {
      sessions.disconnects += c.counters.disconnects;
      sessions.expirations += c.counters.expirations;
      sessions.reconnects += c.counters.reconnects;
      sessions.readTimeouts += c.counters.readTimeouts;
      try {
        c.close();
      } catch (err) {
        process.stderr.write(`zkdrill: closing a workload session failed: ${errorText(err)}\n`);
      }
    }
    return { ops: this.totals.ops, writesAcked: this.totals.writesAcked, errors: this.totals.errors, sessions, controllerChanges: this.totals.controllerChanges };
  }
}
