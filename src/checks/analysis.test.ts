import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { operations } from "../history/model";
import { analyseRun, RunEvidence } from "./analysis";
import type { LineageBreak } from "./lineage";

/** Lineage 0: /p created. A break. Lineage 1: /q created, then a synced read finds no /q (members that diverge). */
function evidence(expectViolation?: string, diverge = true): RunEvidence {
  const h = new HistoryBuilder();
  h.process(1);
  h.process(2);
  h.op({ process: 1, f: "create", path: "/p", value: "a", call: 0, ret: 5, result: { version: 0 } });
  h.op({ process: 1, f: "create", path: "/q", value: "b", call: 300, ret: 305, result: { version: 0 } });
  const sync = h.op({ process: 2, f: "create", path: "/sync", value: "s", call: 310, ret: 312, result: { version: 0 } });
  h.op({ process: 2, f: "read", path: "/q", call: 313, ret: 315, syncedBy: sync, result: diverge ? { value: null } : { value: "b", version: 0 } });
  const b: LineageBreak = { name: "wrong promotion", start: 100, end: 200, disasterAt: 90, disasterAtWall: 0, ...(expectViolation ? { expectViolation } : {}) };
  return { ops: operations(h.events()), workload: new Set(), sessionOf: new Map(), faults: [], elections: [], breaks: [b], leaderSamples: [], lastReads: null, objectives: {}, samples: [], phases: [] };
}

const linearizable = (e: RunEvidence) => analyseRun(e).checks.find((c) => c.kind === "linearizable")!.result;

describe("the run's linearizability verdict, per lineage", () => {
  it("fails when a lineage breaks linearizability unasked", () => {
    const r = linearizable(evidence());
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^lineage 1: not linearizable/);
  });

  it("passes when the drill expects the violation (a pitfall drill) and says so, with the checker's witness", () => {
    const r = linearizable(evidence("members diverge"));
    expect(r.status).to.equal("passed");
    expect(r.summary).to.match(/lineage 1: not linearizable, as the drill expects \(members diverge\)/);
    expect((r.evidence as { lineages: Array<{ expectedViolation?: string }> }).lineages[1].expectedViolation).to.equal("members diverge");
  });

  it("fails when the drill expects a violation and the lineage is linearizable (the pitfall did not reproduce)", () => {
    const r = linearizable(evidence("members diverge", false));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/lineage 1: linearizable, but the drill expects a violation \(members diverge\)/);
  });
});
