// Files generated from code stay what the code writes today; the workflows are valid GitHub Actions.
import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { catalogTopologies, loadTopology, resolveTopologyPath } from "../topology";
import { ROOT } from "./catalog";
import { COMPOSE_DIR, composeFor } from "./compose";
import { catalogDrills, loadDrill } from "./run";
import { bugRuns } from "../drill/known-bug";
import { bugMatrix, DRILLS_WORKFLOW, drillMatrix, drillsWorkflow } from "./workflows";

const WORKFLOWS = join(ROOT, ".github", "workflows");

describe("compose/ (generated from the catalog topologies)", () => {
  it("holds one file per catalog topology and nothing else", () => {
    expect(readdirSync(COMPOSE_DIR).sort()).to.deep.equal(catalogTopologies().map((t) => `${t}.yaml`));
  });

  for (const name of catalogTopologies()) {
    it(`${name}.yaml is exactly what \`zkdrill compose ${name}\` writes (regenerate: zkdrill compose --all --write)`, () => {
      const t = loadTopology(resolveTopologyPath(name));
      const committed = readFileSync(join(COMPOSE_DIR, `${name}.yaml`), "utf8");
      expect(committed).to.equal(composeFor(t));
      const doc = parse(committed) as { services: Record<string, { profiles?: string[]; ports: string[] }> };
      expect(Object.keys(doc.services).sort()).to.deep.equal(t.members.map((m) => `zk${m.id}`).sort());
      for (const m of t.members) {
        expect(doc.services[`zk${m.id}`].ports.every((p) => p.startsWith("127.0.0.1:"))).to.equal(true);
        expect(doc.services[`zk${m.id}`].profiles ?? []).to.deep.equal(m.standby ? ["standby"] : []);
      }
    });
  }
});

describe(".github/workflows", () => {
  for (const file of ["ci.yml", "drills.yml"]) {
    it(`${file} validates against the GitHub Actions workflow schema`, () => {
      const state = validateWorkflow(readFileSync(join(WORKFLOWS, file), "utf8")) as { errors: unknown[] };
      expect(state.errors, JSON.stringify(state.errors, null, 2)).to.deep.equal([]);
    });
  }

  it("ci.yml runs the same test command as .ci/run (npm test)", () => {
    expect(readFileSync(join(WORKFLOWS, "ci.yml"), "utf8")).to.match(/npm test/);
    expect(readFileSync(join(ROOT, ".ci", "run"), "utf8")).to.match(/npm test/);
  });

  it("drills.yml is exactly what `zkdrill generate` writes from the catalog (never hand-kept)", () => {
    const drills = catalogDrills().map((ref) => ({ ref, def: loadDrill(ref) }));
    expect(readFileSync(DRILLS_WORKFLOW, "utf8")).to.equal(drillsWorkflow(drillMatrix(drills), bugMatrix(drills)));
  });

  type Job = { strategy: { matrix: { include: Array<{ drill: string; zookeeper: string; expect?: string }> } }; needs?: string[]; steps: Array<{ run?: string; "continue-on-error"?: boolean }> };
  const workflow = () => parse(readFileSync(join(WORKFLOWS, "drills.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };

  it("drills.yml runs every catalog drill, on a schedule and on demand: the known-bug ones in a job of their own", () => {
    const wf = workflow();
    const bugs = catalogDrills().filter((ref) => loadDrill(ref).knownBug);
    expect(bugs.length).to.be.greaterThan(0);
    expect([...new Set(wf.jobs.drill.strategy.matrix.include.map((e) => e.drill))].sort()).to.deep.equal(catalogDrills().filter((ref) => !bugs.includes(ref)));
    expect([...new Set(wf.jobs["known-bugs"].strategy.matrix.include.map((e) => e.drill))].sort()).to.deep.equal(bugs);
    expect(Object.keys(wf.on)).to.include.members(["schedule", "workflow_dispatch"]);
    expect(wf.jobs.history.needs).to.deep.equal(["drill", "known-bugs"]);
  });

  it("drills.yml runs each known bug on every version it affects and every one carrying its fix, judged by `report bug`", () => {
    const wf = workflow();
    const want = catalogDrills().flatMap((ref) => {
      const def = loadDrill(ref);
      return def.knownBug ? bugRuns(def.knownBug, def.versions?.min).map((r) => `${ref} ${r.version} ${r.expect}`) : [];
    });
    expect(wf.jobs["known-bugs"].strategy.matrix.include.map((e) => `${e.drill} ${e.zookeeper} ${e.expect}`)).to.deep.equal(want);
    expect(want.some((w) => w.endsWith(" reproduced") && !w.endsWith("not reproduced")) && want.some((w) => w.endsWith("not reproduced"))).to.equal(true);
    // The drill fails by design on an affected version: its exit decides nothing, `report bug` decides the job.
    const [run, judge] = wf.jobs["known-bugs"].steps.filter((s) => s.run);
    expect(run).to.deep.include({ "continue-on-error": true });
    expect(run.run).to.include("npm run drill -- ${{ matrix.drill }} --zk-version ${{ matrix.zookeeper }} --report-dir reports/${{ matrix.drill }}-${{ matrix.zookeeper }}");
    expect(judge.run).to.equal("npm run zkdrill -- report bug reports/${{ matrix.drill }}-${{ matrix.zookeeper }}");
    expect(judge["continue-on-error"]).to.equal(undefined);
  });
});

describe("the scheduled matrix", () => {
  const versions = ["3.9.5", "3.5.9", "3.4.14"];

  it("runs a drill on every version at or above its minimum", () => {
    const m = drillMatrix([{ ref: "any", def: {} }, { ref: "reconfig", def: { versions: { min: "3.5" } } }], versions);
    expect(m.filter((e) => e.drill === "any").map((e) => e.zookeeper)).to.deep.equal(versions);
    expect(m.filter((e) => e.drill === "reconfig").map((e) => e.zookeeper)).to.deep.equal(["3.9.5", "3.5.9"]);
    expect(m[0].versions).to.equal("--zk-version 3.9.5");
  });

  it("leaves known-bug drills to the known-bugs job, which runs each on its affected and fixed versions", () => {
    const knownBug = { jira: "ZOOKEEPER-3830", title: "t", affects: ["3.5.8"], fixedIn: ["3.5.9"], symptom: { quote: "q", source: "https://x.invalid" }, evidence: { check: "write-commits", names: "n" } };
    const drills = [{ ref: "bug", def: { knownBug, versions: { min: "3.5.0" } } }, { ref: "any", def: {} }];
    expect(drillMatrix(drills, versions).map((e) => e.drill)).to.deep.equal(["any", "any", "any"]);
    expect(bugMatrix(drills).slice(0, 3)).to.deep.equal([
      { drill: "bug", zookeeper: "3.5.8", expect: "reproduced" },
      { drill: "bug", zookeeper: "3.5.9", expect: "not reproduced" },
      { drill: "bug", zookeeper: "3.5.10", expect: "not reproduced" },
    ]);
  });

  it("runs an upgrade drill once, from its from to its to (a name an artifact may carry)", () => {
    const m = drillMatrix([{ ref: "up", def: { upgrade: { from: "3.4.14", to: "3.5.9" } } }], versions);
    expect(m).to.deep.equal([{ drill: "up", zookeeper: "3.4.14-to-3.5.9", versions: "--from-version 3.4.14 --to-version 3.5.9" }]);
    expect(m[0].zookeeper).to.not.match(/[":<>|*?\\/]/);
  });
});
