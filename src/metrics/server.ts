// A live OpenMetrics endpoint for a running drill (`zkdrill run --metrics-port N`): the workload's
// ops/s and latency percentiles each second, who leads, every fault as it happens (a counter per
// kind, the fault's label as an exemplar), and the checks as they are judged. Loopback only: a drill
// harness has no business listening on a network. Built on prom-client's OpenMetrics registry.
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, OpenMetricsContentType, Registry } from "prom-client";
import type { JournalEvent } from "../journal";

/** One second of the workload, as the journal's "sample" event holds it. */
export interface MetricsSample {
  /** Start of the second, ms since the epoch. */
  readonly at: number;
  readonly ok: number;
  readonly writesOk?: number;
  readonly errors?: Readonly<Record<string, number>>;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxMs?: number;
  readonly meanMs?: number;
  readonly backlog?: number;
}

export interface RunLabels {
  readonly drill: string;
  readonly runId: string;
  readonly zookeeperVersion: string;
}

export interface MetricsServer {
  readonly port: number;
  /** http://127.0.0.1:<port>/metrics */
  readonly url: string;
  update(sample: MetricsSample): void;
  fault(event: { readonly kind: string; readonly label?: string }): void;
  check(result: { readonly name: string; readonly kind?: string | null; readonly status: string }): void;
  /** The leader's member id, or null while none leads. */
  leader(id: number | null): void;
  /** The run's verdict, once known. */
  verdict(status: string): void;
  /** Any journal event: samples, faults, checks, leadership and run-end are picked out (one hook for the runner). */
  observe(event: JournalEvent): void;
  close(): Promise<void>;
}

export class MetricsPortError extends Error {
  override name = "InputError";
}

const STATS = [
  ["p50", "p50Ms"],
  ["p95", "p95Ms"],
  ["p99", "p99Ms"],
  ["max", "maxMs"],
  ["mean", "meanMs"],
] as const;

/** Exemplar label sets are limited to 128 characters in OpenMetrics. */
const exemplarText = (s: string) => (s.length > 100 ? `${s.slice(0, 99)}…` : s);

function metrics(run: RunLabels) {
  // prom-client's typings omit the constructor's content type; set it the typed way.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels({ drill: run.drill, run_id: run.runId });
  const registers = [registry];
  const m = {
    registry,
    info: new Gauge({ name: "zkdrill_run_info", help: "The drill running; always 1.", labelNames: ["zookeeper_version"], registers }),
    started: new Gauge({ name: "zkdrill_run_start_timestamp_seconds", help: "When the run started, Unix time.", registers }),
    status: new Gauge({ name: "zkdrill_run_status", help: "The run's verdict once known: 1 for it, 0 for the others; absent while running.", labelNames: ["status"], registers }),
    opsPerSec: new Gauge({ name: "zkdrill_workload_ops_per_second", help: "Operations acknowledged in the workload's last whole second.", registers }),
    writesPerSec: new Gauge({ name: "zkdrill_workload_writes_per_second", help: "Writes acknowledged in the workload's last whole second.", registers }),
    ops: new Counter({ name: "zkdrill_workload_operations", help: "Operations the workload got acknowledged.", registers }),
    errors: new Counter({ name: "zkdrill_workload_errors", help: "Operations that failed or timed out, by kind.", labelNames: ["kind"], registers }),
    latency: new Gauge({ name: "zkdrill_workload_latency_seconds", help: "Latency of the workload's last whole second (p50, p95, p99, max, mean).", labelNames: ["stat"], registers }),
    backlog: new Gauge({ name: "zkdrill_workload_backlog", help: "Operations waiting to be sent at the end of the last second.", registers }),
    sampled: new Gauge({ name: "zkdrill_workload_sample_timestamp_seconds", help: "Start of the workload's last whole second, Unix time.", registers }),
    leader: new Gauge({ name: "zkdrill_leader", help: "The leading member's id; 0 while no single member leads.", registers }),
    leaderChanges: new Counter({ name: "zkdrill_leader_changes", help: "Times the leader changed (none counts as a change).", registers }),
    // "label" is typed for the exemplar only: the series carry "kind" (a bounded set), never a fault's free text.
    faults: new Counter<"kind" | "label">({ name: "zkdrill_faults", help: "Faults injected (and recoveries: start, heal, restore), by kind; the fault's label is the exemplar.", labelNames: ["kind"], registers, enableExemplars: true }),
    lastFault: new Gauge({ name: "zkdrill_fault_last_timestamp_seconds", help: "When the last fault of each kind was injected, Unix time.", labelNames: ["kind"], registers }),
    check: new Gauge({ name: "zkdrill_check_status", help: "Each check judged so far: 1 for its status.", labelNames: ["check", "kind", "status"], registers }),
    checks: new Gauge({ name: "zkdrill_checks", help: "Checks judged so far, by status.", labelNames: ["status"], registers }),
  };
  m.info.set({ zookeeper_version: run.zookeeperVersion }, 1);
  m.started.set(Date.now() / 1000);
  for (const s of ["passed", "failed", "inconclusive"]) m.checks.set({ status: s }, 0);
  return m;
}

/** Starts the endpoint on 127.0.0.1:`port` (0: any free port). Rejects, saying what to do, when the port is taken. */
export async function startMetricsServer(port: number, run: RunLabels): Promise<MetricsServer> {
  const m = metrics(run);
  let current: number | null | undefined;
  const checkCounts = { passed: 0, failed: 0, inconclusive: 0 } as Record<string, number>;
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url !== "/metrics" && req.url !== "/")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("zkdrill serves OpenMetrics at /metrics\n");
      return;
    }
    m.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": m.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new MetricsPortError(err.code === "EADDRINUSE" ? `--metrics-port ${port}: 127.0.0.1:${port} is taken; give another port, or 0 for any free one` : `--metrics-port ${port}: ${err.message}`)),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  // A scrape in flight must not keep a finished run's process alive.
  server.unref();
  const bound = (server.address() as AddressInfo).port;

  const api: MetricsServer = {
    port: bound,
    url: `http://127.0.0.1:${bound}/metrics`,
    update(s) {
      m.opsPerSec.set(s.ok);
      if (s.writesOk !== undefined) m.writesPerSec.set(s.writesOk);
      m.ops.inc(s.ok);
      for (const [kind, n] of Object.entries(s.errors ?? {})) if (n > 0) m.errors.inc({ kind }, n);
      for (const [stat, field] of STATS) {
        const v = s[field];
        if (v !== undefined) m.latency.set({ stat }, v / 1000);
      }
      if (s.backlog !== undefined) m.backlog.set(s.backlog);
      m.sampled.set(s.at / 1000);
    },
    fault(f) {
      m.faults.inc({ labels: { kind: f.kind }, value: 1, exemplarLabels: { label: exemplarText(f.label ?? f.kind) } });
      m.lastFault.set({ kind: f.kind }, Date.now() / 1000);
    },
    check(c) {
      for (const s of ["passed", "failed", "inconclusive"]) m.check.set({ check: c.name, kind: c.kind ?? "", status: s }, c.status === s ? 1 : 0);
      checkCounts[c.status] = (checkCounts[c.status] ?? 0) + 1;
      m.checks.set({ status: c.status }, checkCounts[c.status]);
    },
    leader(id) {
      if (current !== undefined && current !== id) m.leaderChanges.inc();
      current = id;
      m.leader.set(id ?? 0);
    },
    verdict(status) {
      for (const s of ["passed", "failed", "inconclusive", "aborted"]) m.status.set({ status: s }, s === status ? 1 : 0);
    },
    observe(e) {
      const d = e.data;
      if (e.type === "sample") api.update(d as unknown as MetricsSample);
      else if (e.type === "fault") api.fault({ kind: String(d.kind), label: d.label === undefined ? undefined : String(d.label) });
      else if (e.type === "check") api.check({ name: String(d.name), kind: d.kind === undefined ? null : String(d.kind), status: String(d.status) });
      else if (e.type === "note" && d.what === "leadership") api.leader(typeof d.leader === "number" ? d.leader : null);
      else if (e.type === "run-end") api.verdict(String(d.status));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
