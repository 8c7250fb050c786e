import { expect } from "chai";
import { createServer } from "node:net";
import { join } from "node:path";
import { readJournal } from "../journal";
import { MetricsServer, startMetricsServer } from "./server";

const RUN = { drill: "d1", runId: "run-1", zookeeperVersion: "3.9.5" };
const FIXTURE = join(__dirname, "..", "..", "test", "fixtures", "runs", "quickstart", "journal.jsonl");

async function scrape(s: MetricsServer): Promise<{ type: string; text: string }> {
  const res = await fetch(s.url, { headers: { accept: "application/openmetrics-text; version=1.0.0" } });
  expect(res.status).to.equal(200);
  return { type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** A sample line's value, by metric name and a label subset. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

describe("live OpenMetrics endpoint", () => {
  let s: MetricsServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("serves OpenMetrics on loopback: ops/s, latency percentiles, leader, faults, checks, each labelled with the run", async () => {
    s = await startMetricsServer(0, RUN);
    expect(s.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    s.update({ at: 1_700_000_000_000, ok: 40, writesOk: 30, errors: { timeout: 2 }, p50Ms: 4, p95Ms: 8, p99Ms: 13, maxMs: 20, meanMs: 5, backlog: 1 });
    s.update({ at: 1_700_000_001_000, ok: 38, writesOk: 29, errors: {}, p50Ms: 5, p95Ms: 9, p99Ms: 12, maxMs: 15, meanMs: 5, backlog: 0 });
    s.leader(3);
    s.fault({ kind: "kill", label: "kill 3" });
    s.leader(null);
    s.leader(2);
    s.check({ name: "exactly one leader among 1, 2", kind: "one-leader", status: "passed" });
    s.check({ name: "writes survive", kind: "writes", status: "failed" });
    const { type, text } = await scrape(s);
    expect(type).to.match(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(text.trimEnd().endsWith("# EOF")).to.equal(true);
    expect(value(text, "zkdrill_workload_ops_per_second", { drill: "d1", run_id: "run-1" })).to.equal(38);
    expect(value(text, "zkdrill_workload_operations_total")).to.equal(78);
    expect(value(text, "zkdrill_workload_errors_total", { kind: "timeout" })).to.equal(2);
    expect(value(text, "zkdrill_workload_latency_seconds", { stat: "p99" })).to.equal(0.012);
    expect(value(text, "zkdrill_leader")).to.equal(2);
    expect(value(text, "zkdrill_leader_changes_total")).to.equal(2);
    expect(value(text, "zkdrill_faults_total", { kind: "kill" })).to.equal(1);
    expect(text).to.match(/zkdrill_faults_total\{kind="kill",[^}]*\} 1 # \{label="kill 3"\} 1 \d+/);
    expect(value(text, "zkdrill_check_status", { check: "writes survive", status: "failed" })).to.equal(1);
    expect(value(text, "zkdrill_checks", { status: "passed" })).to.equal(1);
    expect(value(text, "zkdrill_checks", { status: "failed" })).to.equal(1);
    expect(value(text, "zkdrill_run_info", { zookeeper_version: "3.9.5" })).to.equal(1);
    // No verdict yet: the run is still going.
    expect(value(text, "zkdrill_run_status")).to.equal(undefined);
  });

  it("takes a whole recorded run through one hook (observe), ending with its verdict", async () => {
    s = await startMetricsServer(0, RUN);
    for (const e of readJournal(FIXTURE)) s.observe(e);
    const { text } = await scrape(s);
    expect(value(text, "zkdrill_run_status", { status: "passed" })).to.equal(1);
    expect(value(text, "zkdrill_checks", { status: "passed" })).to.equal(10);
    expect(value(text, "zkdrill_faults_total", { kind: "kill" })).to.equal(1);
    expect(value(text, "zkdrill_leader")).to.equal(2);
    expect(value(text, "zkdrill_workload_ops_per_second")).to.be.a("number");
  });

  it("answers 404 elsewhere, and says what to do when the port is taken", async () => {
    s = await startMetricsServer(0, RUN);
    expect((await fetch(`http://127.0.0.1:${s.port}/other`)).status).to.equal(404);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await startMetricsServer(port, RUN).then(
        () => expect.fail("a taken port was accepted"),
        (err: Error) => {
          expect(err.name).to.equal("InputError");
          expect(err.message).to.include(`--metrics-port ${port}`).and.include("give another port");
        },
      );
    } finally {
      blocker.close();
    }
  });
});
