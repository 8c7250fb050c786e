// The live OpenMetrics endpoint scraped by a real Prometheus (Debian's package, on loopback, started
// and stopped here): what a team's monitoring would read during a run. No containers: the endpoint is
// fed the journal events of a recorded run, as the runner feeds it live.
import { expect } from "chai";
import { join } from "node:path";
import { readJournal } from "../src/journal";
import { MetricsServer, startMetricsServer } from "../src/metrics/server";
import { PrometheusServer, startPrometheus } from "./support/prometheus";
import { QUICKSTART } from "./support/runs";

describe("the live metrics endpoint, scraped by a real Prometheus", function () {
  this.timeout(90_000);
  let metrics: MetricsServer;
  let prometheus: PrometheusServer;

  before(async () => {
    metrics = await startMetricsServer(0, { drill: "quickstart-leader-failover", runId: "r-prom", zookeeperVersion: "3.9.5" });
    for (const e of readJournal(join(QUICKSTART, "journal.jsonl"))) metrics.observe(e);
    prometheus = await startPrometheus([`127.0.0.1:${metrics.port}`]);
  });

  after(async () => {
    await prometheus?.stop();
    await metrics?.close();
  });

  it("scrapes the endpoint as OpenMetrics and answers queries on what a run showed", async () => {
    const up = await prometheus.waitFor('up{job="zkdrill"} == 1');
    expect(up).to.have.length(1);
    const [target] = await prometheus.targets();
    expect(target).to.include({ health: "up", lastError: "" });

    const ops = await prometheus.waitFor('zkdrill_workload_ops_per_second{drill="quickstart-leader-failover"}');
    expect(Number(ops[0].value[1])).to.be.greaterThan(0);
    const p99 = await prometheus.waitFor('zkdrill_workload_latency_seconds{stat="p99"}');
    expect(Number(p99[0].value[1])).to.be.within(0.001, 60);
    expect(Number((await prometheus.waitFor("zkdrill_leader"))[0].value[1])).to.equal(2);
    const kills = await prometheus.waitFor('zkdrill_faults_total{kind="kill"}');
    expect(Number(kills[0].value[1])).to.equal(1);
    const checks = await prometheus.waitFor('zkdrill_checks{status="passed"}');
    expect(Number(checks[0].value[1])).to.equal(10);
    expect(Number((await prometheus.waitFor('zkdrill_run_status{status="passed"}'))[0].value[1])).to.equal(1);
  });

  it("keeps each fault's label as an exemplar of its counter", async () => {
    const found = await prometheus.exemplars('zkdrill_faults_total{kind="kill"}');
    expect(found.flatMap((s) => s.exemplars.map((x) => x.labels.label))).to.include("kill 3");
  });
});
