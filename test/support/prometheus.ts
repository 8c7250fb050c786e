// A real Prometheus server for tests: Debian's package (`apt-get install prometheus`), started by the
// test on loopback with a temporary config and storage, scraping the given targets every second, and
// queried through its HTTP API. Always stopped and removed by the test (and on process exit).
import { ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort } from "../../src/docker";

export const PROMETHEUS_BIN = process.env.ZKDRILL_PROMETHEUS ?? "/usr/bin/prometheus";

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

export interface PrometheusServer {
  readonly url: string;
  /** An instant query; the result vector. */
  query(expr: string): Promise<Sample[]>;
  /** Polls `expr` until it returns at least one sample (and `ok` accepts them), or fails after `timeoutMs`. */
  waitFor(expr: string, ok?: (s: Sample[]) => boolean, timeoutMs?: number): Promise<Sample[]>;
  /** The scrape targets' health as Prometheus sees it. */
  targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>>;
  /** Exemplars of `expr` over the last hour. */
  exemplars(expr: string): Promise<Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string>; value: string }> }>>;
  stop(): Promise<void>;
}

async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`);
  return body.data;
}

/** Starts Prometheus on 127.0.0.1 scraping `targets` ("127.0.0.1:PORT") every second. */
export async function startPrometheus(targets: readonly string[], opts: { scrapeIntervalS?: number } = {}): Promise<PrometheusServer> {
  try {
    accessSync(PROMETHEUS_BIN, constants.X_OK);
  } catch {
    throw new Error(`${PROMETHEUS_BIN} is missing: install Debian's package (apt-get install -y --no-install-recommends prometheus), or set ZKDRILL_PROMETHEUS`);
  }
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-prometheus-"));
  const interval = `${opts.scrapeIntervalS ?? 1}s`;
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\n  evaluation_interval: ${interval}\nscrape_configs:\n  - job_name: zkdrill\n    static_configs:\n      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]\n`,
  );
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--storage.tsdb.retention.time=1h",
    // Faults are counters with the fault's label as an exemplar: keep them to query.
    "--enable-feature=exemplar-storage",
    "--log.level=warn",
  ];
  const child: ChildProcess = spawn(PROMETHEUS_BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8192)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Whatever happens to the test, the server does not outlive it.
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${child.exitCode}) before it was ready: ${stderr.trim().split("\n").slice(-5).join(" | ")}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready on ${url} within 30 s: ${stderr.trim().split("\n").slice(-5).join(" | ")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const query = async (expr: string) => (await api<{ result: Sample[] }>(url, `/api/v1/query?query=${encodeURIComponent(expr)}`)).result;
  return {
    url,
    query,
    async waitFor(expr, ok = (s) => s.length > 0, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const s = await query(expr);
        if (ok(s)) return s;
        if (Date.now() > until) throw new Error(`Prometheus: ${expr} gave ${JSON.stringify(s)} for ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async targets() {
      const d = await api<{ activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> }>(url, "/api/v1/targets");
      return d.activeTargets.map((t) => ({ scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError }));
    },
    async exemplars(expr) {
      const now = Date.now() / 1000;
      return api(url, `/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${now - 3600}&end=${now + 60}`);
    },
    stop,
  };
}
