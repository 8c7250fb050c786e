// bench/workload: the Kafka-style workload against 3 members at 1, 8, 32 and 128 operations in
// flight: ops/sec, latency percentiles, and the harness process's CPU share, to show whether the
// generator or the ensemble is the bottleneck.
// Run: node --import tsx bench/workload.ts [seconds per level]
import { statSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { HistoryRecorder } from "../src/history";
import { median } from "../src/common";
import { ensureZookeeperImage, DEFAULT_ZOOKEEPER_VERSION } from "../src/images";
import { newRunId, StartedEnsemble } from "../src/runtime";
import { parseTopology } from "../src/topology";
import { KafkaShapedWorkload, Sample } from "../src/workload";


async function level(e: StartedEnsemble, inFlight: number, seconds: number) {
  const samples: Sample[] = [];
  // Every call is recorded, as in a drill: the history's cost is part of the figure.
  const history = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), "zkdrill-bench-")), "history.jsonl"), "bench");
  const members = e.topology.members.map((m) => m.id);
  const w = new KafkaShapedWorkload({ connectString: e.connectString(), members, history, seed: 1234 + inFlight, inFlight, onSample: (s) => samples.push(s) });
  await w.start();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const summary = await w.stop();
  const anchor = history.close();
  const historyBytesPerSec = statSync(history.path).size / seconds;
  // The first sample includes session set-up; judge the steady state.
  const steady = samples.slice(1);
  return {
    inFlight,
    opsPerSec: median(steady.map((s) => s.ok)),
    p50: median(steady.map((s) => s.p50Ms)),
    p99: median(steady.map((s) => s.p99Ms)),
    max: Math.max(...steady.map((s) => s.maxMs)),
    cpuShare: (cpu.user + cpu.system) / wallUs,
    errors: summary.errors,
    historyKBps: historyBytesPerSec / 1024,
    historyLines: anchor.lines,
  };
}

async function main() {
  const seconds = Number(process.argv[2] ?? 10);
  if (!(seconds >= 3 && seconds <= 600)) throw new Error(`seconds per level: ${process.argv[2]}; give 3..600`);
  const image = await ensureZookeeperImage(DEFAULT_ZOOKEEPER_VERSION, { pull: false });
  const topology = parseTopology({ name: "bench-workload", zones: [{ name: "az1", region: "r1" }], members: [1, 2, 3].map((id) => ({ id, zone: "az1" })) });
  const e = await StartedEnsemble.start({ runId: newRunId("bench-wl"), topology, image, version: DEFAULT_ZOOKEEPER_VERSION, logDir: join(tmpdir(), "zkdrill-bench-logs") });
  try {
    await e.waitForQuorum({ timeoutMs: 60_000 });
    console.log(`3 members, ${image.name}; ${seconds} s per level; median of per-second samples`);
    console.log("in flight   ops/s   p50 ms   p99 ms   max ms   harness CPU   history KB/s   errors");
    for (const n of [1, 8, 32, 128]) {
      const r = await level(e, n, seconds);
      const errs = Object.entries(r.errors).map(([k, v]) => `${k}=${v}`).join(" ") || "-";
      console.log(
        `${String(n).padStart(9)} ${String(r.opsPerSec).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(0).padStart(8)} ${(r.cpuShare * 100).toFixed(0).padStart(12)}% ${r.historyKBps.toFixed(0).padStart(14)}   ${errs}`,
      );
    }
    console.log("harness CPU: this process's user+system time over wall time (100% = one core of 2).");
  } finally {
    await e.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
