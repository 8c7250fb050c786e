// bench/kafka: Kafka's records/s (producer perf tool, 1 KiB, acks=all, as fast as acknowledged) with
// ZooKeeper healthy, then with ZooKeeper's leader killed every N seconds, in one run on the
// kafka-three-brokers topology; the harness's own CPU (this process) beside each phase.
// Run: node --import tsx bench/kafka.ts [phase-seconds] [kill-every-seconds]
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import { drill, runDrill } from "../src/drill/runner";

const phaseS = Number(process.argv[2] ?? 30);
const everyS = Number(process.argv[3] ?? 10);
const cpu: Record<string, number> = {};
let rates: Record<string, number | null> = {};

/** CPU seconds this process used while `work` ran, per wall second. */
async function harnessCpu(name: string, work: () => Promise<void>): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = Date.now();
  await work();
  const c = process.cpuUsage(c0);
  cpu[name] = (c.user + c.system) / 1e6 / ((Date.now() - t0) / 1000);
}

const bench = drill({
  name: "bench-kafka",
  description: `records/s with ZooKeeper healthy for ${phaseS} s, then with its leader killed every ${everyS} s for ${phaseS} s`,
  procedure: "bench",
  topology: "kafka-three-brokers",
  async run(d) {
    const all = d.members();
    await d.quorum();
    await d.kafka.createTopic("bench", { partitions: 3, replicationFactor: 3 });
    await d.kafka.startPerf({ topic: "bench", recordSize: 1024, throughput: -1 });
    await harnessCpu("ZooKeeper healthy", () => d.kafka.measure("ZooKeeper healthy", phaseS * 1000));
    await harnessCpu(`leader killed every ${everyS} s`, async () => {
      const ends = Date.now() + phaseS * 1000;
      d.kafka.measure(`leader killed every ${everyS} s`, phaseS * 1000).catch(() => undefined);
      for (let round = 0; round < 100 && Date.now() + everyS * 1000 <= ends; round++) {
        const q = await d.quorum(all);
        const t = Date.now();
        await d.kill(q.leader);
        await d.start(q.leader);
        await d.quorum(all);
        const left = everyS * 1000 - (Date.now() - t);
        if (left > 0) await d.step(`hold ${left} ms before the next kill`, () => new Promise((r) => setTimeout(r, left)));
      }
      const rest = ends - Date.now();
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    });
    await d.kafka.stopPerf();
    rates = d.kafka.throughputByPhase;
  },
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-bench-kafka-"));
  const r = await runDrill(bench, { reportDir: dir });
  console.log(`bench/kafka: ${phaseS} s per phase, ZooKeeper's leader killed every ${everyS} s in the second (run ${r.status}, report ${dir})`);
  console.log("phase                              records/s   harness CPU (cores)");
  for (const [phase, rate] of Object.entries(rates)) console.log(`${phase.padEnd(34)} ${String(rate === null ? "-" : Math.round(rate)).padStart(9)}   ${(cpu[phase] ?? 0).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
