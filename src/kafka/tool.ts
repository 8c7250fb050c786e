// Kafka's own tools (the producer perf tool, the verifiable producer and consumer, topic and
// delete-records commands) in a container of their own on a zone's network, as a client placed in
// that zone runs them. Each line they print reaches the caller with the time Docker received it.
import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import type Dockerode from "dockerode";
import { containerLog, putFiles, FileToPut, docker, runLabels } from "../docker";
import type { KafkaImageRef } from "../images";
import { readAsset } from "../runtime";
import { splitTimestamp } from "./perf-lines";

export interface ToolSpec {
  readonly runId: string;
  /** Unique within the run: the container is zkdrill-<run>-<name>. */
  readonly name: string;
  readonly image: KafkaImageRef;
  /** The zone network it joins (the brokers' zone: src/topology/brokers.ts). */
  readonly network: string;
  readonly mainClass: string;
  readonly args: readonly string[];
  readonly heapMb?: number;
  readonly files?: readonly FileToPut[];
  readonly keep?: boolean;
}

export type LineHandler = (line: { at: number; text: string; stream: "stdout" | "stderr" }) => void;

const KEEP_STDERR = 200;

/** A running tool: its lines stream to the handler; stopped (SIGTERM) or awaited. */
export class ToolRun {
  /** The last lines it printed on stderr (warnings, a stack trace), for error messages. */
  readonly stderrTail: string[] = [];
  private finished?: Promise<{ exitCode: number }>;
  private drained?: Promise<void>;

  private constructor(
    readonly spec: ToolSpec,
    private readonly container: Dockerode.Container,
  ) {}

  get containerId(): string {
    return this.container.id;
  }

  static async start(spec: ToolSpec, onLine: LineHandler): Promise<ToolRun> {
    const flags = [`-Xms${spec.heapMb ?? 128}m`, `-Xmx${spec.heapMb ?? 128}m`, "-XX:+UseSerialGC", "-Djava.security.properties=/zkdrill/java.security", ...spec.image.toolsJvmFlags];
    const container = await docker().createContainer({
      name: `zkdrill-${spec.runId}-${spec.name}`,
      Image: spec.image.name,
      Entrypoint: ["java"],
      Cmd: [...flags, "-cp", spec.image.classpath, spec.mainClass, ...spec.args],
      Labels: { ...runLabels(spec.runId, spec.keep), "zkdrill.kafka-tool": spec.name },
      HostConfig: { NetworkMode: spec.network },
    });
    // The JVM remembers a failed lookup for 10 s otherwise (ENVIRONMENT.md): a broker restarting would stay unknown.
    await putFiles(container.id, [{ path: "/zkdrill/java.security", content: readAsset("java.security") }, ...(spec.files ?? [])]);
    const run = new ToolRun(spec, container);
    await container.start();
    run.finished = container.wait().then((r: { StatusCode: number }) => ({ exitCode: r.StatusCode }));
    run.drained = run.follow(onLine);
    return run;
  }

  /** Docker's log stream from the start, with timestamps, split into lines per stream. */
  private async follow(onLine: LineHandler): Promise<void> {
    const raw = (await this.container.logs({ follow: true, stdout: true, stderr: true, timestamps: true })) as unknown as NodeJS.ReadableStream;
    const out = new PassThrough();
    const err = new PassThrough();
    docker().modem.demuxStream(raw, out, err);
    const lines = (s: PassThrough, stream: "stdout" | "stderr") =>
      new Promise<void>((resolve) => {
        const rl = createInterface({ input: s });
        rl.on("line", (l) => {
          const { at, text } = splitTimestamp(l);
          if (stream === "stderr") {
            this.stderrTail.push(text);
            if (this.stderrTail.length > KEEP_STDERR) this.stderrTail.shift();
          }
          onLine({ at: at ?? Date.now(), text, stream });
        });
        rl.on("close", resolve);
      });
    const done = Promise.all([lines(out, "stdout"), lines(err, "stderr")]);
    raw.on("end", () => {
      out.end();
      err.end();
    });
    raw.on("error", () => {
      out.end();
      err.end();
    });
    await done;
  }

  /** Waits for the tool to exit by itself (at most `timeoutMs`; then it is killed and this throws). */
  async wait(timeoutMs: number): Promise<{ exitCode: number }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.spec.mainClass} did not finish within ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
    });
    try {
      const r = await Promise.race([this.finished!, late]);
      await this.drainBounded();
      return r;
    } catch (err) {
      await this.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM (the tools close their clients and print their last lines), SIGKILL after `graceS`. */
  async stop(graceS = 10): Promise<{ exitCode: number }> {
    await this.container.stop({ t: graceS }).catch((err: { statusCode?: number }) => {
      // Already exited (304) or gone: nothing to stop.
      if (err.statusCode !== 304 && err.statusCode !== 404) throw err;
    });
    const r = await this.finished!;
    await this.drainBounded();
    return r;
  }

  async kill(): Promise<void> {
    await this.container.kill({ signal: "SIGKILL" }).catch(() => undefined);
  }

  /** The log stream ends shortly after the container; bounded so a stuck stream cannot hold the run. */
  private async drainBounded(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drained, new Promise<void>((r) => (timer = setTimeout(r, 5_000)))]);
    clearTimeout(timer);
  }

  /** Everything it printed, for the run folder. */
  log(): Promise<string> {
    return containerLog(this.container.id);
  }

  async remove(): Promise<void> {
    await this.container.remove({ force: true }).catch(() => undefined);
  }
}

/** A tool run to its end: exit code and output (a topic created, records deleted). */
export async function runTool(spec: ToolSpec, timeoutMs: number): Promise<{ exitCode: number; stdout: string; stderr: string; durationMs: number }> {
  const started = Date.now();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const run = await ToolRun.start(spec, (l) => (l.stream === "stdout" ? stdout : stderr).push(l.text));
  try {
    const { exitCode } = await run.wait(timeoutMs);
    return { exitCode, stdout: stdout.join("\n"), stderr: stderr.join("\n"), durationMs: Date.now() - started };
  } finally {
    await run.remove();
  }
}
