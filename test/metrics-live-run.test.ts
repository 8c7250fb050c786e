// A real drill scraped while it runs: the quickstart drill on real containers with --metrics-port, a real
// Prometheus (Debian's package, on loopback) scraping it every second, and queries on what it saw: the
// workload's throughput and p99, the leader changing, the kill as a fault with its label, every check,
// the verdict. Then the run folder's metrics.prom and record agree with what Prometheus saw.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadDrill } from "../src/cli/run";
import { runDrill } from "../src/drill/runner";
import { startPrometheus } from "./support/prometheus";
import { reportDir, zookeeperImage } from "./support";
import { freeLoopbackPort } from "../src/docker";

describe("a live drill scraped by a real Prometheus", function () {
  this.timeout(600_000);

  it("Prometheus sees throughput, latency, the leader change, the kill, the checks and the verdict", async () => {
    await zookeeperImage();
    const port = await freeLoopbackPort();
    const prometheus = await startPrometheus([`127.0.0.1:${port}`]);
    try {
      const dir = reportDir("metrics-live");
      const r = await runDrill(loadDrill("quickstart-leader-failover"), { quick: true, seed: 7, reportDir: dir, metricsPort: port, record: { operator: "CI", observers: ["mocha"] } });
      expect(r.status).to.equal("passed");
      const q = async (expr: string) => Number((await prometheus.waitFor(expr, undefined, 10_000))[0].value[1]);
      const labels = `{drill="quickstart-leader-failover",run_id="${r.runId}"}`;
      expect(await q(`max_over_time(zkdrill_workload_ops_per_second${labels}[10m])`)).to.be.greaterThan(0);
      expect(await q(`max_over_time(zkdrill_workload_latency_seconds{stat="p99",run_id="${r.runId}"}[10m])`)).to.be.greaterThan(0);
      // The leader was killed and another took over: the leader id changed (through "none" when the watch saw the election).
      expect(await q(`max_over_time(zkdrill_leader_changes_total${labels}[10m])`)).to.be.at.least(1);
      expect(await q(`max_over_time(zkdrill_faults_total{kind="kill",run_id="${r.runId}"}[10m])`)).to.equal(1);
      const kills = await prometheus.exemplars(`zkdrill_faults_total{kind="kill",run_id="${r.runId}"}`);
      expect(kills.flatMap((s) => s.exemplars.map((x) => x.labels.label)).join()).to.match(/^kill \d$/);
      expect(await q(`max_over_time(zkdrill_checks{status="passed",run_id="${r.runId}"}[10m])`)).to.equal(r.report.checks.length);
      expect(await q(`max_over_time(zkdrill_run_status{status="passed",run_id="${r.runId}"}[10m])`)).to.equal(1);
      // The run folder's textfile agrees with the run.
      const prom = readFileSync(join(dir, "metrics.prom"), "utf8");
      expect(prom).to.include('zkdrill_drill_last_status{drill="quickstart-leader-failover",zookeeper_version=');
      expect(prom).to.match(/zkdrill_drill_rto_seconds\{[^}]*\} \d+(\.\d+)?\n/);
    } finally {
      await prometheus.stop();
    }
  });
});
