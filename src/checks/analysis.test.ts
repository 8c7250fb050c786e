import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { operations } from "../history";
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
  return { ops: operations(h.events()), workload: new Set(), sessionOf: new Map(), faults: [], elections: [], serving: [], rtoMethod: "outage", breaks: [b], leaderSamples: [], lastReads: null, objectives: {}, samples: [], phases: [] };
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

describe("objective: at most N acknowledged writes lost (zero data loss is a count, not an age)", () => {
  /** /p acknowledged at 10 and at 90 (just before the break at 100); the read after the break holds `held`. */
  function run(held: string): RunEvidence {
    const h = new HistoryBuilder();
    h.process(1, "workload broker 0");
    h.process(2, "synced read on member 3", [3]);
    h.op({ process: 1, f: "create", path: "/p", value: "a", call: 0, ret: 10, result: { version: 0 } });
    h.op({ process: 1, f: "cas", path: "/p", value: "last", prev: "a", version: 0, call: 85, ret: 90, result: { version: 1 } });
    const sync = h.op({ process: 2, f: "create", path: "/sync", value: "s", call: 310, ret: 312, result: { version: 0 } });
    h.op({ process: 2, f: "read", path: "/p", call: 313, ret: 315, syncedBy: sync, result: held === "a" ? { value: "a", version: 0 } : { value: "last", version: 1 } });
    const b: LineageBreak = { name: "promotion", start: 100, end: 200, disasterAt: 90, disasterAtWall: 0 };
    return { ops: operations(h.events()), workload: new Set([1]), sessionOf: new Map(), faults: [], elections: [], serving: [], rtoMethod: "outage", breaks: [b], leaderSamples: [], lastReads: [{ member: 3, process: 2 }], objectives: { maxWritesLost: 0, rpoMs: 0 }, samples: [], phases: [] };
  }
  const check = (e: RunEvidence, kind: string) => analyseRun(e).checks.find((c) => c.kind === kind)!.result;

  it("fails on the last write lost, which an RPO of 0 s forgives (its age at the disaster is 0)", () => {
    expect(check(run("a"), "rpo-objective").status).to.equal("passed");
    const r = check(run("a"), "writes-lost-objective");
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^1 of 2 write\(s\) acknowledged before the recovery lost: \/p = last/);
  });

  it("passes when every write acknowledged before the recovery is there", () => {
    expect(check(run("last"), "writes-lost-objective").status).to.equal("passed");
  });
});
