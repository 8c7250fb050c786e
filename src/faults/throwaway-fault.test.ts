// A fault added as one row, outside the catalog: usable from YAML (validated, run, told in a dry
// run) and from TypeScript (d.fault), journaled through the one path with its rollback, with no
// other file touched. What "adding a fault" costs, proven.
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { drillContext } from "../drill/context";
import { RunCore } from "../drill/core";
import { checkAgainstTopology, explainYamlDrill, parseYamlDrillText, runYamlSteps } from "../drill/yaml";
import { RecordingContext } from "../drill/yaml/recording-context";
import { HistoryRecorder } from "../history/recorder";
import { Journal } from "../journal/journal";
import type { StartedEnsemble } from "../runtime/ensemble";
import { parseTopology } from "../topology";
import { registerFault } from "./catalog";
import { ArgHelpers, defineFault } from "./spec";

// ---- the one file a new fault is: its row ----
const dropped: string[] = [];
const dropCaches = defineFault({
  verb: "drop-page-cache",
  about: "Drops members' page caches (a cold restart's reads)",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("Whose page cache is dropped"), times: z.number().int().min(1).optional(), save: h.save }),
  kinds: ["drop-page-cache"],
  effect: "fault",
  step: (p) => `drop member(s) ${p.members.join(", ")}'s page cache`,
  label: (p) => `drop caches ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ times: p.times ?? 1 }),
  inject: async (p) => {
    dropped.push(`drop ${p.members.join(",")}`);
    return { label: `warm ${p.members.join(",")}`, run: async () => void dropped.push(`warm ${p.members.join(",")}`) };
  },
  explain: (a, run) => ({ text: `drop ${run.sketch(a.members).text}'s page cache` }),
  check: (a, t) => (t.named(a.members).includes(9) ? [`${t.at}.members: member 9 keeps its cache`] : []),
});

const TOPOLOGY = { name: "three", zones: [{ name: "z", region: "r" }], members: [{ id: 1, zone: "z" }, { id: 2, zone: "z" }, { id: 3, zone: "z" }] };
const DRILL = `name: cold-caches
description: a throwaway fault, from YAML
procedure: the tests
topology: ${JSON.stringify(TOPOLOGY)}
steps:
  - drop-page-cache: { members: followers, times: 2, save: cold }
  - kill: { members: $cold }
`;

describe("a fault added as one row", () => {
  let unregister: () => void;
  before(() => (unregister = registerFault(dropCaches)));
  after(() => unregister());
  beforeEach(() => dropped.splice(0));

  it("runs from YAML: validated, its selectors resolved, saved for later steps", async () => {
    const drill = parseYamlDrillText(DRILL);
    const d = new RecordingContext(parseTopology(TOPOLOGY), [{ leader: 1, followers: [2, 3], observers: [], epoch: 1 }]);
    await runYamlSteps(drill.steps, d);
    expect(d.calls).to.deep.equal([
      ["quorum", undefined, undefined],
      ["drop-page-cache", { members: [2, 3], times: 2 }],
      ["kill", { members: [2, 3] }],
    ]);
    expect(() => parseYamlDrillText(DRILL.replace("times: 2", "times: 0"))).to.throw(/steps\[0\] \(drop-page-cache\)\.times/);
  });

  it("shows in a dry run", () => {
    const lines = explainYamlDrill(parseYamlDrillText(DRILL), parseTopology(TOPOLOGY));
    expect(lines).to.include("steps[0] (drop-page-cache): drop the followers at that moment's page cache");
  });

  it("checks its preconditions against the topology", () => {
    const problems = checkAgainstTopology(parseYamlDrillText(DRILL.replace("followers", "[9]")), parseTopology(TOPOLOGY));
    expect(problems).to.include("steps[0] (drop-page-cache).members: member 9 keeps its cache");
  });

  it("runs from TypeScript as d.fault: a journaled step and fault, its rollback run at the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-throwaway-"));
    const journal = new Journal(join(dir, "journal.jsonl"));
    const history = new HistoryRecorder(join(dir, "history.jsonl"), "n");
    // The row touches no container: an ensemble with a topology is all the path reads.
    const ensemble = { topology: parseTopology(TOPOLOGY), members: { versionOf: () => "3.9.5" } } as unknown as StartedEnsemble;
    const d = drillContext(new RunCore(ensemble, journal, history, 1, true, () => {}), {});
    await d.fault(dropCaches, { members: [1, 3] });
    await d.machinery.faults.runRollbacks();
    history.close();
    expect(dropped).to.deep.equal(["drop 1,3", "warm 1,3"]);
    const types = journal.events.map((e) => [e.type, e.data.name ?? e.data.label]);
    expect(types).to.deep.equal([
      ["step-start", "drop member(s) 1, 3's page cache"],
      ["fault", "drop caches 1,3"],
      ["fault-end", "drop caches 1,3"],
      ["step-end", "drop member(s) 1, 3's page cache"],
      ["rollback", "warm 1,3"],
    ]);
    expect(journal.events[1].data).to.include({ kind: "drop-page-cache", effect: "fault", times: 1 });
  });
});
