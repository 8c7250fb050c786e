// Kafka's clients as the drill runs them, each in its own container in the brokers' zone: the producer
// perf tool (seed 003's load, its 5-second lines parsed), the verifiable producer and consumer (every
// acknowledged record read back), and the admin commands (create a topic, delete records).
import type { RecordRef, KafkaWindow } from "../checks";
import type { KafkaImageRef } from "../images";
import type { KafkaMetadata } from "../checks";
import { parseTopicConfigs, parseTopicsDescribe } from "./metadata-lines";
import { parsePerfLine, PerfTotal, PerfWindow } from "./perf-lines";
import { runTool, ToolRun, ToolSpec } from "./tool";
import { parseConsumerLine, parseProducerLine } from "./verifiable-lines";

/** Where a client runs: the run, the image, the brokers' zone network and bootstrap servers. */
export interface ClientPlace {
  readonly runId: string;
  readonly image: KafkaImageRef;
  readonly network: string;
  readonly bootstrap: string;
  readonly keep?: boolean;
}

/** A tool container named `name` where `place` says: the run, the Kafka image, the brokers' network. */
function toolAt(place: ClientPlace, name: string, tool: Pick<ToolSpec, "mainClass" | "args" | "heapMb" | "files">): ToolSpec {
  return { runId: place.runId, name, image: place.image, network: place.network, keep: place.keep, ...tool };
}

export interface PerfOptions {
  readonly topic: string;
  readonly recordSize?: number;
  /** Records/s cap; -1 (seed 003): as fast as the cluster acknowledges. */
  readonly throughput?: number;
  /** The tool stops after this many (it prints its percentiles then); default: more than any drill sends. */
  readonly numRecords?: number;
  readonly acks?: string;
}

export type PerfSample = KafkaWindow & PerfWindow;

/** A Kafka tool running in its own container: stopped once (SIGTERM, then SIGKILL after its grace), its log kept. */
abstract class RunningTool {
  stoppedAt?: number;

  protected constructor(
    protected readonly run: ToolRun,
    private readonly graceS: number,
  ) {}

  async stop(): Promise<void> {
    if (this.stoppedAt !== undefined) return;
    this.stoppedAt = Date.now();
    await this.run.stop(this.graceS);
  }

  log(): Promise<string> {
    return this.run.log();
  }
}

/** org.apache.kafka.tools.ProducerPerformance running until stopped; each line parsed as it arrives. */
export class ProducerPerf extends RunningTool {
  readonly windows: PerfSample[] = [];
  total?: PerfTotal;
  readonly startedAt = Date.now();

  private constructor(
    readonly options: PerfOptions,
    run: ToolRun,
  ) {
    // Stopped early it prints no total (only a run to its end does): a short grace.
    super(run, 5);
  }

  static async start(place: ClientPlace, name: string, o: PerfOptions, on: { window?: (w: PerfSample) => void; total?: (t: PerfTotal) => void }): Promise<ProducerPerf> {
    let perf: ProducerPerf | undefined;
    const early: Array<{ at: number; text: string }> = [];
    const handle = (at: number, text: string) => {
      const l = parsePerfLine(text);
      if (!l) return;
      if (l.kind === "total") {
        perf!.total = l;
        on.total?.(l);
        return;
      }
      // The tool's own arithmetic gives the window: records / (records/s).
      const windowMs = l.recordsPerSec > 0 ? (l.records * 1000) / l.recordsPerSec : 5_000;
      const w: PerfSample = { ...l, at, windowMs: Math.round(windowMs) };
      perf!.windows.push(w);
      on.window?.(w);
    };
    const run = await ToolRun.start(
      toolAt(place, name, {
        heapMb: 256,
        mainClass: "org.apache.kafka.tools.ProducerPerformance",
        args: [
          "--topic", o.topic,
          "--num-records", String(o.numRecords ?? 1_000_000_000),
          "--record-size", String(o.recordSize ?? 1024),
          "--throughput", String(o.throughput ?? -1),
          "--producer-props", `bootstrap.servers=${place.bootstrap}`, `acks=${o.acks ?? "all"}`,
        ],
      }),
      (l) => (perf ? handle(l.at, l.text) : l.stream === "stdout" && early.push(l)),
    );
    perf = new ProducerPerf(o, run);
    for (const l of early.splice(0)) handle(l.at, l.text);
    return perf;
  }

  get stderrTail(): readonly string[] {
    return this.run.stderrTail;
  }

}

/** The verifiable producer: increasing integers, one JSON line per acknowledged (or failed) send. */
export class VerifiableProducer extends RunningTool {
  readonly acked: RecordRef[] = [];
  readonly failed: Array<{ value: string; error: string }> = [];

  private constructor(
    readonly topic: string,
    run: ToolRun,
  ) {
    // On SIGTERM it closes its producer (in-flight sends complete or fail) and prints their outcome.
    super(run, 30);
  }

  /** `valuePrefix` keeps values unique across producers of one topic (each counts from 0). */
  static async start(place: ClientPlace, name: string, o: { topic: string; throughput: number; maxMessages?: number; valuePrefix?: number }): Promise<VerifiableProducer> {
    let vp: VerifiableProducer | undefined;
    const early: string[] = [];
    const handle = (text: string) => {
      const e = parseProducerLine(text);
      if (e?.kind === "acked") vp!.acked.push([e.partition, e.offset, e.value]);
      else if (e?.kind === "failed") vp!.failed.push({ value: e.value, error: e.error });
    };
    const run = await ToolRun.start(
      toolAt(place, name, {
        mainClass: "org.apache.kafka.tools.VerifiableProducer",
        args: ["--topic", o.topic, "--bootstrap-server", place.bootstrap, "--acks", "-1", "--throughput", String(o.throughput), "--max-messages", String(o.maxMessages ?? -1), ...(o.valuePrefix !== undefined ? ["--value-prefix", String(o.valuePrefix)] : []), "--producer.config", "/zkdrill/producer.properties"],
        // The tool sets retries=0 (Kafka's system tests count each failure); a producer in production retries
        // within delivery.timeout.ms, and so does this one (idempotent then: a retry adds no duplicate).
        files: [{ path: "/zkdrill/producer.properties", content: "retries=2147483647\n" }],
      }),
      (l) => l.stream === "stdout" && (vp ? handle(l.text) : early.push(l.text)),
    );
    vp = new VerifiableProducer(o.topic, run);
    for (const t of early.splice(0)) handle(t);
    return vp;
  }

}

export interface ConsumeResult {
  readonly consumed: RecordRef[];
  /** Why the consumer was stopped: it reached every acknowledged offset, or its deadline passed. */
  readonly stopped: string;
  readonly durationMs: number;
}

/**
 * Reads `topic` from the beginning with the verifiable consumer (--verbose: one line per record) until
 * it has passed the highest acknowledged offset of every partition, or `timeoutMs` passes (then what it
 * read is judged: a record it never reached is lost to the check, said in `stopped`).
 */
export async function consumeAll(place: ClientPlace, name: string, topic: string, acked: readonly RecordRef[], timeoutMs: number): Promise<ConsumeResult> {
  const started = Date.now();
  const want = new Map<number, number>();
  for (const [p, o] of acked) want.set(p, Math.max(want.get(p) ?? -1, o));
  const reached = new Map<number, number>();
  const consumed: RecordRef[] = [];
  let caughtUp: () => void = () => {};
  const done = new Promise<void>((r) => (caughtUp = r));
  const check = () => [...want].every(([p, o]) => (reached.get(p) ?? -1) >= o) && caughtUp();
  const run = await ToolRun.start(
    toolAt(place, name, {
      mainClass: "org.apache.kafka.tools.VerifiableConsumer",
      args: ["--topic", topic, "--group-id", `${name}-${started}`, "--bootstrap-server", place.bootstrap, "--reset-policy", "earliest", "--verbose"],
    }),
    (l) => {
      if (l.stream !== "stdout") return;
      const e = parseConsumerLine(l.text);
      if (e?.kind !== "record") return;
      consumed.push([e.partition, e.offset, e.value]);
      reached.set(e.partition, Math.max(reached.get(e.partition) ?? -1, e.offset));
      check();
    },
  );
  check();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), timeoutMs)));
  const why = await Promise.race([done.then(() => "caught up" as const), late]);
  clearTimeout(timer);
  await run.stop(10).catch(() => undefined);
  await run.remove();
  const short = [...want].filter(([p, o]) => (reached.get(p) ?? -1) < o).map(([p, o]) => `partition ${p} read to ${reached.get(p) ?? "nothing"} of ${o}`);
  return { consumed, stopped: why === "caught up" ? "read past every acknowledged offset" : `deadline of ${(timeoutMs / 1000).toFixed(0)} s passed (${short.join("; ")})`, durationMs: Date.now() - started };
}

/** kafka-topics --create, bounded: the outcome and how long it took, success or not (a figure, not a check). */
export async function createTopic(place: ClientPlace, name: string, topic: string, o: { partitions: number; replicationFactor: number; configs?: Readonly<Record<string, string>>; timeoutMs?: number }): Promise<{ ok: boolean; durationMs: number; output: string }> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const started = Date.now();
  try {
    const r = await runTool(
      toolAt(place, name, {
        mainClass: "org.apache.kafka.tools.TopicCommand",
        args: ["--bootstrap-server", place.bootstrap, "--create", "--topic", topic, "--partitions", String(o.partitions), "--replication-factor", String(o.replicationFactor), ...Object.entries(o.configs ?? {}).flatMap(([k, v]) => ["--config", `${k}=${v}`]), "--command-config", "/zkdrill/admin.properties"],
        files: [{ path: "/zkdrill/admin.properties", content: `default.api.timeout.ms=${timeoutMs - 5_000}\nrequest.timeout.ms=${Math.min(30_000, timeoutMs - 5_000)}\n` }],
      }),
      timeoutMs + 30_000,
    );
    const output = `${r.stdout}\n${r.stderr}`.trim().split("\n").filter((l) => !/^\s*at /.test(l)).slice(-6).join("\n");
    return { ok: r.exitCode === 0 && /Created topic/.test(r.stdout), durationMs: Date.now() - started, output };
  } catch (err) {
    return { ok: false, durationMs: Date.now() - started, output: (err as Error).message };
  }
}

/** kafka-delete-records: every record of `partition` before `beforeOffset` deleted (a test deletes them behind the check's back). */
export async function deleteRecords(place: ClientPlace, name: string, topic: string, partition: number, beforeOffset: number): Promise<string> {
  const r = await runTool(
    toolAt(place, name, {
      mainClass: "org.apache.kafka.tools.DeleteRecordsCommand",
      args: ["--bootstrap-server", place.bootstrap, "--offset-json-file", "/zkdrill/delete.json"],
      files: [{ path: "/zkdrill/delete.json", content: JSON.stringify({ version: 1, partitions: [{ topic, partition, offset: beforeOffset }] }) }],
    }),
    120_000,
  );
  if (r.exitCode !== 0) throw new Error(`kafka-delete-records exited ${r.exitCode}: ${`${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-5).join(" | ")}`);
  return r.stdout;
}

/**
 * The metadata the cluster serves, read as an operator reads it through the brokers: `kafka-topics
 * --describe` (topics, ids, replicas) and `kafka-configs --describe --entity-type topics` (overrides).
 * KRaft brokers answer from the KRaft metadata log; ZooKeeper-mode brokers from what their controller
 * sent them and ZooKeeper. ACLs are not read: the drill's clusters run no authorizer (kafka-acls would
 * fail with SecurityDisabledException), so there are none to compare.
 */
export async function describeMetadata(place: ClientPlace, name: string, source: string, timeoutMs = 90_000): Promise<KafkaMetadata> {
  const errors: Record<string, string> = {};
  const run = async (what: string, mainClass: string, args: string[]): Promise<string> => {
    try {
      const r = await runTool(toolAt(place, `${name}-${what}`, { mainClass, args: ["--bootstrap-server", place.bootstrap, ...args] }), timeoutMs);
      if (r.exitCode !== 0) errors[what] = `exited ${r.exitCode}: ${`${r.stdout}\n${r.stderr}`.trim().split("\n").filter((l) => !/^\s*at /.test(l)).slice(-4).join(" | ")}`;
      return r.stdout;
    } catch (err) {
      errors[what] = (err as Error).message;
      return "";
    }
  };
  const [topics, configs] = await Promise.all([run("topics", "org.apache.kafka.tools.TopicCommand", ["--describe"]), run("configs", "kafka.admin.ConfigCommand", ["--describe", "--entity-type", "topics"])]);
  const overrides = parseTopicConfigs(configs);
  return { source, topics: parseTopicsDescribe(topics).map((t) => ({ ...t, configs: overrides[t.topic] ?? {} })), acls: [], errors };
}
