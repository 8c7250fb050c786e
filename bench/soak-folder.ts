// A soak drill's run folder, generated without containers: the history of src/history/soak.ts, a journal
// around it (the workload's per-second samples, the leader kills with their ends, the closing synced reads,
// the history's final anchor), judged at its end as the runner judges a run (src/drill/judge-run.ts), and
// report.json, report.md, junit.xml and SHA256SUMS rendered, so `zkdrill report verify` takes it as a real one.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { judgeRun } from "../src/drill/judge-run";
import { writeSoakHistory, type SoakHistory, type SoakHistoryOptions } from "../src/history/soak";
import { Journal } from "../src/journal";
import { deriveStatus, writeReports } from "../src/report";

export async function writeSoakFolder(dir: string, o: SoakHistoryOptions): Promise<SoakHistory> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const historyPath = join(dir, "history.jsonl");
  const h = writeSoakHistory(historyPath, o);
  let now = h.startMono - 2_000;
  const journal = new Journal(join(dir, "journal.jsonl"), { wall: () => h.startTime - h.startMono + now, mono: () => now });
  const members = [1, 2, 3].map((id) => ({ id, zone: "dc1" }));
  journal.append("run-start", {
    drill: "soak (generated)",
    procedure: "bench/soak-folder.ts: a soak drill's history, generated",
    origin: "zkdrill",
    description: "A Kafka-shaped load for a quarter of an hour, leaders killed under it (generated, no containers).",
    runId: `soak-${o.seed ?? 1}`,
    seed: o.seed ?? 1,
    quick: false,
    rtoMethod: "outage",
    zookeeperVersion: "3.9.3",
    objectives: { rtoMs: 15_000, maxWritesLost: 0 },
    record: {},
    topology: { name: "three-members", zones: [{ name: "dc1", region: "r1" }], members },
  });
  now = h.startMono;
  journal.append("step-start", { step: 1, label: "start the workload" });
  journal.append("phase", { name: "soak" });
  let k = 0;
  h.ackedPerSecond.forEach((writesOk, second) => {
    const at = h.startMono + second * 1000;
    for (; k < h.kills.length && h.kills[k].mono <= at + 1000; k++) {
      const kill = h.kills[k];
      now = kill.mono;
      journal.append("fault", { id: k + 1, kind: "kill", effect: "breaks", members: [kill.member], label: `kill member ${kill.member} (the leader)` });
      now = kill.mono + 150;
      journal.append("fault-end", { id: k + 1, label: `kill member ${kill.member} (the leader)`, status: "done" });
    }
    now = Math.max(now, at + 1000);
    journal.append("sample", { at: h.startTime + second * 1000, ok: writesOk, writesOk, errors: {}, p50Ms: 1, p95Ms: 3, p99Ms: 5, maxMs: 20, meanMs: 1.4, backlog: 0 });
  });
  now = h.endMono + 1;
  journal.append("note", { what: "synced reads", reads: h.syncedReads, paths: Array.from({ length: h.partitions }, (_, p) => `/brokers/topics/drill/partitions/${p}/state`), set: true });
  journal.append("step-end", { step: 1, status: "passed" });
  journal.append("history", { ...h.anchor, final: true });
  judgeRun(journal, historyPath);
  const runEnd = { error: null, aborted: false, throughputByPhase: {}, kept: false };
  const { status } = deriveStatus([...journal.events, { seq: -1, ts: "", type: "run-end", data: runEnd, prev: "" }]);
  journal.append("run-end", { status, ...runEnd });
  await writeReports(dir, ["json", "md", "junit"], { progress: () => undefined });
  return h;
}
