// Interrupted at seeded random moments (start, workload start, faults, checks, the ending) with SIGINT,
// SIGTERM and SIGKILL: the exit code is the README's, nothing labelled is left (after `down --stale`
// for SIGKILL), and the journal verifies, ending in an aborted run-end (or in none after SIGKILL).
// CI tries a few moments; the scheduled workflow more (ZKDRILL_ABORT_MOMENTS=20).
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SeededRandom, waitFor } from "../src/common";
import { docker } from "../src/docker";
import { readJournal, verifyJournal } from "../src/journal";
import { zookeeperImage } from "./support";

const BIN = join(__dirname, "..", "bin", "zkdrill");
const MOMENTS = Number(process.env.ZKDRILL_ABORT_MOMENTS ?? 5);
const SEED = Number(process.env.ZKDRILL_ABORT_SEED ?? 20261123);

/** Where in a run to interrupt: after the journal shows this, plus a seeded delay. */
const MARKERS = [
  { name: "start", line: '"type":"run-start"' },
  { name: "workload start", line: '"name":"start the Kafka-style workload"' },
  { name: "fault", line: '"type":"fault"' },
  { name: "checks", line: '"type":"check"' },
  { name: "ending", line: '"what":"workload summary"' },
] as const;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGKILL"] as const;

async function labelled(runId: string): Promise<number> {
  const c = await docker().listContainers({ all: true, filters: { label: [`zkdrill.run=${runId}`] } });
  const n = await docker().listNetworks({ filters: { label: [`zkdrill.run=${runId}`] } });
  return c.length + n.length;
}

describe("interrupted at seeded random moments", function () {
  this.timeout(240_000);
  const rng = new SeededRandom(SEED);
  before(async () => {
    await zookeeperImage();
  });

  for (let i = 0; i < MOMENTS; i++) {
    const marker = MARKERS[i % MARKERS.length];
    const signal = SIGNALS[i % SIGNALS.length];
    const delayMs = rng.int(1500);
    it(`${signal} ${delayMs} ms after ${marker.name} (seed ${SEED}, moment ${i + 1})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "zkdrill-abort-"));
      const journal = join(dir, "journal.jsonl");
      const child = spawn(BIN, ["run", "quickstart-leader-failover", "--quick", "--seed", String(i + 1), "--report-dir", dir], { stdio: "ignore" });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
      await waitFor(`the journal to show ${marker.name}`, async () => (existsSync(journal) && readFileSync(journal, "utf8").includes(marker.line) ? { done: true, value: undefined } : { done: false, seen: "not yet" }), {
        timeoutMs: 120_000,
        intervalMs: 50,
      });
      // The moment itself is the test's seeded randomness, not a stand-in for a condition.
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill(signal);
      const { code } = await exited;
      const events = readJournal(journal);
      const runId = String(events[0].data.runId);
      expect(verifyJournal(journal).ok, "every line of the journal verifies").to.equal(true);
      const end = events.find((e) => e.type === "run-end");
      if (signal === "SIGKILL") {
        if (!end) {
          const report = spawnSync(BIN, ["report", dir], { encoding: "utf8", timeout: 60_000 });
          expect(report.status, report.stderr).to.equal(0);
          const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { status: string; statusReason: string };
          expect([json.status, json.statusReason]).to.deep.equal(["aborted", "interrupted: the journal has no run-end record (the process was killed?)"]);
        }
        if ((await labelled(runId)) > 0) {
          const down = spawnSync(BIN, ["down", "--stale"], { encoding: "utf8", timeout: 120_000 });
          expect(down.status, down.stderr).to.equal(0);
          expect(down.stderr).to.include(`removed stale run ${runId}`);
        }
      } else if (end && end.data.aborted !== true) {
        // The run had finished before the signal landed: its verdict's code, not 130.
        expect(code).to.equal(end.data.status === "passed" ? 0 : 1);
      } else {
        expect(code).to.equal(130);
        expect(end?.data.aborted, "the journal ends in an aborted run-end").to.equal(true);
        expect(events[events.length - 1].type).to.equal("run-end");
      }
      expect(await labelled(runId), "containers and networks left").to.equal(0);
    });
  }
});
