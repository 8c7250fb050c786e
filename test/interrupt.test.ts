// Ctrl-C during a run: the journal is closed as aborted, the run's containers and networks are gone.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../src/common";
import { readJournal, verifyJournal } from "../src/journal";
import { docker } from "../src/docker";
import { zookeeperImage } from "./support";

describe("an interrupted run", function () {
  this.timeout(180_000);

  it("exits 130 after removing its containers and networks, its journal ending in an aborted record", async () => {
    await zookeeperImage();
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-interrupt-"));
    const journal = join(dir, "journal.jsonl");
    const child = spawn(join(__dirname, "..", "bin", "zkdrill"), ["run", "quickstart-leader-failover", "--report-dir", dir], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Interrupt once the workload is running (a sample in the journal), not after a fixed time.
    await waitFor("the first workload sample", async () => (existsSync(journal) && readFileSync(journal, "utf8").includes('"type":"sample"') ? { done: true, value: undefined } : { done: false, seen: "no sample yet" }), {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    const runId = String(readJournal(journal)[0].data.runId);
    child.kill("SIGINT");
    expect(await exited).to.equal(130);
    const events = readJournal(journal);
    expect(events[events.length - 1]).to.deep.include({ type: "run-end" });
    expect(events[events.length - 1].data.status).to.equal("aborted");
    expect(verifyJournal(journal).ok).to.equal(true);
    expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).status).to.equal("aborted");
    expect(readFileSync(join(dir, "report.md"), "utf8").split("\n")[0]).to.match(/: ABORTED$/);
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).to.include('errors="1"');
    expect(await docker().listContainers({ all: true, filters: { label: [`zkdrill.run=${runId}`] } })).to.deep.equal([]);
    expect(await docker().listNetworks({ filters: { label: [`zkdrill.run=${runId}`] } })).to.deep.equal([]);
  });
});
