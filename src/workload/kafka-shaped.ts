// A Kafka-shaped load on ZooKeeper (no Kafka runs here; src/kafka is real Kafka), running through the
// whole drill (P7 (docs/procedures.md)): brokers register ephemeral znodes, a controller is elected
// through an ephemeral /controller, partition state moves by versioned setData (as ISR changes do),
// config changes are announced with persistent sequential znodes (Kafka keeps them for 15 minutes,
// longer than any drill), and metadata is read with watches. Every call goes to the run's history;
// every write carries a value no other write carries, so a lost one can be named.
import { SeededRandom, errorText } from "../common";
import { type HistoryRecorder, decodeValue, SET_PREFIX, SET_ROOT } from "../history";
import { CreateMode, errorKind, ZkClient } from "../zk";
import { Meter, perfLine, Sample } from "./meter";

export { perfLine, type Sample } from "./meter";

export interface WorkloadOptions {
  readonly connectString: string;
  /** The members `connectString` names, in its order. */
  readonly members: readonly number[];
  readonly history: HistoryRecorder;
  readonly brokers?: number;
  readonly partitions?: number;
  /** Closed loop: this many operations in flight. */
  readonly inFlight?: number;
  /** Open loop: operations started per second, whatever the ensemble does (a stall shows as latency). */
  readonly targetRate?: number;
  readonly payloadBytes?: number;
  readonly sessionTimeoutMs?: number;
  readonly seed: number;
  /** Called once a second with the sample, and the producer-perf style line. */
  readonly onSample?: (sample: Sample, line: string) => void;
}

export interface WorkloadSummary {
  readonly ops: number;
  readonly writesAcked: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly sessions: { readonly opened: number; readonly disconnects: number; readonly expirations: number; readonly reconnects: number; readonly readTimeouts: number };
  readonly controllerChanges: number;
}

/** Config-change notifications per bucket (SET_ROOT/bNNNN): each children list stays small. */
const BUCKET_SIZE = 1000;

export const partitionPath = (p: number) => `/brokers/topics/drill/partitions/${p}/state`;

export class KafkaShapedWorkload {
  private readonly rng: SeededRandom;
  private readonly clients: ZkClient[] = [];
  /** Sessions closed (moved or expired), still counted in the summary. */
  private readonly retired: ZkClient[] = [];
  private connectString: string;
  private members: readonly number[];
  private running = false;
  private loops: Promise<void>[] = [];
  private ticker?: NodeJS.Timeout;
  private readonly meter = new Meter();
  private inflight = 0;
  private controllerChanges = 0;
  private readonly payload: string;
  private changes = 0;
  private readonly buckets = new Set<number>();
  private replacing = new Map<number, Promise<void>>();
  /** Idle lanes of each session: a history process has one call open at a time, a session many. */
  private readonly idle = new Map<ZkClient, ZkClient[]>();
  private lanes = 0;
  /** One watcher for every metadata read: node-zookeeper-client keeps one copy of a function per path, not one per call. */
  private readonly metadataWatch = (): void => undefined;

  constructor(private readonly opts: WorkloadOptions) {
    this.rng = new SeededRandom(opts.seed);
    this.payload = "k".repeat(opts.payloadBytes ?? 200);
    this.connectString = opts.connectString;
    this.members = opts.members;
  }

  private get partitionCount() {
    return this.opts.partitions ?? 16;
  }

  private connect(broker: number): Promise<ZkClient> {
    return ZkClient.connect(this.connectString, {
      opTimeoutMs: 10_000,
      sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 10_000,
      record: { history: this.opts.history, role: `workload broker ${broker}`, members: this.members },
    });
  }

  /** Connects the brokers, creates the tree, registers brokers, runs the controller election. */
  async start(): Promise<void> {
    const brokers = this.opts.brokers ?? 3;
    for (let i = 0; i < brokers; i++) this.clients.push(await this.connect(i));
    const admin = this.clients[0];
    await admin.mkdirp("/brokers/ids");
    await admin.mkdirp(SET_ROOT);
    for (let p = 0; p < this.partitionCount; p++) await admin.mkdirp(partitionPath(p));
    this.running = true;
    for (let i = 0; i < brokers; i++) {
      await this.register(i);
      void this.campaign(i);
    }
    this.meter.restart();
    this.ticker = setInterval(() => this.tick(), 1000);
    if (this.opts.targetRate) this.loops.push(this.openLoop(this.opts.targetRate));
    else for (let w = 0; w < (this.opts.inFlight ?? 8); w++) this.loops.push(this.closedLoop(w));
  }

  /**
   * The broker's ephemeral registration. An old session's may linger: a moment after it closed, or a
   * whole session timeout when the ensemble was restored from a backup holding it (P3), as a Kafka
   * broker waits for it too. Bounded by twice the session timeout.
   */
  private async register(broker: number): Promise<void> {
    const c = this.clients[broker];
    const deadline = Date.now() + 2 * (this.opts.sessionTimeoutMs ?? 10_000);
    for (;;) {
      try {
        await c.create(`/brokers/ids/${broker}`, c.uniqueData({ host: `broker-${broker}`, port: 9092 }), CreateMode.EPHEMERAL);
        return;
      } catch (err) {
        if (errorKind(err) !== "NODE_EXISTS" || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /**
   * Points the brokers at other members (P5: clients switch to the target hosts), one broker at a
   * time as a rolling broker restart does: its session closes, a new one opens on `connectString`,
   * the broker registers again and rejoins the controller election. The load keeps running.
   */
  async moveTo(connectString: string, members: readonly number[]): Promise<void> {
    this.connectString = connectString;
    this.members = members;
    for (let i = 0; i < this.clients.length; i++) await this.replace(i);
  }

  /** A new session for a broker (moved, or its session expired), registered again. Bounded. */
  private replace(broker: number): Promise<void> {
    const pending = this.replacing.get(broker);
    if (pending) return pending;
    const work = (async () => {
      const old = this.clients[broker];
      old.close();
      this.retired.push(old);
      this.clients[broker] = await this.connect(broker);
      await this.register(broker);
      void this.campaign(broker);
    })().finally(() => this.replacing.delete(broker));
    this.replacing.set(broker, work);
    return work;
  }

  /** A lane of the broker's session for one call, and its return when the call is done. */
  private acquire(broker: number): { lane: ZkClient; release: () => void } {
    const session = this.clients[broker];
    const free = this.idle.get(session) ?? [];
    this.idle.set(session, free);
    const lane = free.pop() ?? session.lane(`workload broker ${broker} lane ${++this.lanes}`);
    return { lane, release: () => free.push(lane) };
  }

  /** Controller election: create ephemeral /controller, or watch it and try again when it goes. */
  private async campaign(broker: number): Promise<void> {
    const session = this.clients[broker];
    const c = session.lane(`workload broker ${broker} controller election`);
    // One watcher function for the whole campaign: the client keeps a watcher per distinct function, so a
    // new closure per wait piled up one listener per 5 s on /controller while nothing changed.
    let changed: (() => void) | null = null;
    const watch = (): void => changed?.();
    // A broker moved to a new session campaigns again there; this loop ends with its old session.
    for (let attempt = 0; attempt < 10_000 && this.running && this.clients[broker] === session && !c.isExpired; attempt++) {
      try {
        await c.create("/controller", c.uniqueData({ brokerid: broker }), CreateMode.EPHEMERAL);
        this.controllerChanges++;
      } catch (err) {
        if (errorKind(err) !== "NODE_EXISTS") {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
      }
      // Wait for /controller to change (deletion when its session dies), bounded by a timer.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          changed = null;
          resolve();
        };
        const timer = setTimeout(done, 5_000);
        changed = done;
        c.exists("/controller", watch).catch(done);
      });
    }
  }

  private record(startedAt: number, write: boolean, err?: unknown): void {
    this.meter.record(startedAt, write, err);
  }

  /** Every per-second sample so far. */
  get samples(): readonly Sample[] {
    return this.meter.samples;
  }

  /** One operation, chosen by the seeded random: the mix a Kafka cluster puts on ZooKeeper. */
  private async operation(broker: number): Promise<void> {
    const { lane: client, release } = this.acquire(broker);
    const roll = this.rng.next();
    const started = Date.now();
    try {
      if (roll < 0.5) {
        // ISR change: read the partition state, write it back with the version read (compare-and-set).
        // The new state names the one it replaces, as a lineage.
        const path = partitionPath(this.rng.int(this.partitionCount));
        const read = await client.getData(path);
        const prev = decodeValue(read.data);
        const data = client.uniqueData({ prev, leader: this.rng.int(3), leader_epoch: read.stat.version + 1, pad: this.payload });
        await client.setData(path, data, read.stat.version, { prev });
        this.record(started, true);
      } else if (roll < 0.75) {
        // A config change notification: a persistent sequential znode whose name carries its value.
        const bucket = Math.floor(this.changes++ / BUCKET_SIZE);
        const parent = `${SET_ROOT}/b${String(bucket).padStart(4, "0")}`;
        if (!this.buckets.has(bucket)) {
          await client.mkdirp(parent);
          this.buckets.add(bucket);
        }
        const data = client.uniqueData({ version: 2, entity_path: `topics/drill-${this.rng.int(100)}` });
        await client.create(`${parent}/${SET_PREFIX}${decodeValue(data)}_`, data, CreateMode.PERSISTENT_SEQUENTIAL).catch((err) => {
          // The ensemble may have come back without the bucket (a restore): create it again next time.
          if (errorKind(err) === "NO_NODE") this.buckets.delete(bucket);
          throw err;
        });
        this.record(started, true);
      } else {
        // Metadata read with a watch, as brokers do on topic metadata.
        await client.getData(partitionPath(this.rng.int(this.partitionCount)), this.metadataWatch);
        this.record(started, false);
      }
    } catch (err) {
      this.record(started, roll < 0.75, err);
      // An expired session never comes back: the broker opens a new one, as a Kafka broker does.
      if (client.isExpired && this.running) await this.replace(broker).catch(() => undefined);
    } finally {
      release();
    }
  }

  private async closedLoop(worker: number): Promise<void> {
    while (this.running) {
      // Picked per operation: moveTo and expiry swap the sessions under a running load.
      const broker = worker % this.clients.length;
      this.inflight++;
      const failuresBefore = this.meter.failures;
      await this.operation(broker);
      this.inflight--;
      // A failing (or closed) session answers at once, within microtasks: back off as a client
      // would, and never starve the timers (the per-second samples) of the event loop.
      if (this.meter.failures > failuresBefore) await new Promise((r) => setTimeout(r, 20));
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
      this.inflight++;
      const p: Promise<void> = this.operation(i++ % this.clients.length).finally(() => {
        this.inflight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.allSettled([...pending]);
  }

  private tick(): void {
    const s = this.meter.tick(this.inflight);
    this.opts.onSample?.(s, perfLine(s));
  }

  /** Writes acknowledged so far (the drill waits on it as a condition). */
  get writesAcked(): number {
    return this.meter.totals.writesAcked;
  }

  /** Stops the load, flushes the last sample, closes every session. Idempotent. */
  async stop(): Promise<WorkloadSummary> {
    const wasRunning = this.running;
    this.running = false;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    // Bounded: each in-flight operation has its own 10 s timeout.
    await Promise.allSettled([...this.loops, ...this.replacing.values()]);
    if (wasRunning) this.tick();
    const sessions = { opened: this.clients.length + this.retired.length, disconnects: 0, expirations: 0, reconnects: 0, readTimeouts: 0 };
    for (const c of [...this.retired, ...this.clients]) {
      sessions.disconnects += c.counters.disconnects;
      sessions.expirations += c.counters.expirations;
      sessions.reconnects += c.counters.reconnects;
      sessions.readTimeouts += c.counters.readTimeouts;
    }
    for (const c of this.clients) {
      try {
        c.close();
      } catch (err) {
        process.stderr.write(`zkdrill: closing a workload session failed: ${errorText(err)}\n`);
      }
    }
    const t = this.meter.totals;
    return { ops: t.ops, writesAcked: t.writesAcked, errors: t.errors, sessions, controllerChanges: this.controllerChanges };
  }
}
