// A flap is judged as every fault is: each of its cuts proven on the wire (a cut-holds check per cut,
// right after it), and a cut that lets a connection through fails the run there, not at the end.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drillContext } from "../drill/context";
import { CheckFailed, RunCore } from "../drill/core";
import { oneZoneTopology } from "../drill/definition";
import { HistoryRecorder } from "../history/recorder";
import { Journal } from "../journal/journal";
import type { StartedEnsemble } from "../runtime/ensemble";
import { parseTopology } from "../topology";
import { Faults } from "./faults";
import { flap } from "./member-link-faults";

const topology = parseTopology(oneZoneTopology("five", 5), "test");

/** Five running members whose iptables always work; a probe across a cut is answered when `leaks` says so. */
function fakeEnsemble(leaks: () => boolean): StartedEnsemble {
  const ids = topology.members.map((m) => m.id);
  return {
    topology,
    members: { versionOf: () => "3.9.5" },
    running: async () => ids,
    state: async () => "running",
    exec: async (_id: number, cmd: readonly string[]) => {
      const script = cmd.join(" ");
      if (script.includes("ruok")) return { exitCode: 0, stdout: `${leaks() ? "imok" : ""} 0 1.000 ${leaks() ? "1.001" : "3.000"}\n`, stderr: "" };
      if (script.includes("getent hosts") && !script.includes("iptables")) return { exitCode: 0, stdout: "10.0.0.9\n", stderr: "" };
      return { exitCode: 0, stdout: "", stderr: "" };
    },
  } as unknown as StartedEnsemble;
}

function run(leaks: () => boolean) {
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-flap-"));
  const journal = new Journal(join(dir, "journal.jsonl"));
  const history = new HistoryRecorder(join(dir, "history.jsonl"), "n");
  const d = drillContext(new RunCore(fakeEnsemble(leaks), journal, history, 1, true, () => {}), {});
  return { d, journal, close: () => history.close() };
}

describe("a flapping link, judged as every fault is", () => {
  it("proves each cut on the wire right after it, before its heal", async () => {
    const { d, journal, close } = run(() => false);
    await d.fault(flap, { member: 5, "every-seconds": 0.1, "for-seconds": 0.25 });
    await d.machinery.faults.runRollbacks();
    close();
    const seq = journal.events
      .filter((e) => e.type === "fault" || e.type === "check")
      .map((e) => (e.type === "check" ? `check ${String(e.data.kind)} ${String(e.data.status)}` : `${String(e.data.effect)} ${String(e.data.label)}`));
    const cuts = seq.filter((s) => s.startsWith("fault partition")).length;
    expect(cuts, seq.join("\n")).to.be.greaterThan(1);
    for (let i = 0; i < cuts; i++) {
      expect(seq.slice(3 * i, 3 * i + 3)).to.deep.equal(["fault partition member 5 isolated (drop)", "check cut-holds passed", "recovery heal member links"]);
    }
    expect(seq).to.have.length(3 * cuts);
  });

  it("fails the run at the cut that let a connection through", async () => {
    const { d, journal, close } = run(() => true);
    let err: unknown;
    await d.fault(flap, { member: 5, "every-seconds": 0.1, "for-seconds": 0.25 }).catch((e: unknown) => (err = e));
    await d.machinery.faults.runRollbacks();
    close();
    expect(err).to.be.instanceOf(CheckFailed);
    expect((err as CheckFailed).check.summary).to.match(/^answered across the cut: member 5 -> member 1: answered/);
    expect(journal.events.filter((e) => e.type === "fault").map((e) => e.data.effect)).to.deep.equal(["fault"]);
  });

  it("a cut no prover can prove is a wiring mistake, said so", async () => {
    const faults = new Faults(fakeEnsemble(() => false), new Journal(join(mkdtempSync(join(tmpdir(), "zkdrill-flap-")), "journal.jsonl")));
    let err: unknown;
    await faults.fault(flap, { member: 5, "every-seconds": 0.1, "for-seconds": 0.1 }).catch((e: unknown) => (err = e));
    expect(String(err)).to.match(/cannot be proven on the wire: these Faults have no prover/);
  });
});
