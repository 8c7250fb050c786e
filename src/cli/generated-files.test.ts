// Files generated from code stay what the code writes today; the workflows are valid GitHub Actions.
import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { catalogTopologies, loadTopology, resolveTopologyPath } from "../topology";
import { ROOT } from "./catalog";
import { COMPOSE_DIR, composeFor } from "./compose";
import { catalogDrills } from "./run";
import { DRILLS_WORKFLOW, drillsWorkflow } from "./workflows";

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
    expect(readFileSync(DRILLS_WORKFLOW, "utf8")).to.equal(drillsWorkflow(catalogDrills()));
  });

  it("drills.yml runs every catalog drill, on a schedule and on demand", () => {
    const wf = parse(readFileSync(join(WORKFLOWS, "drills.yml"), "utf8")) as { on: Record<string, unknown>; jobs: { drill: { strategy: { matrix: { drill: string[] } } } } };
    expect(wf.jobs.drill.strategy.matrix.drill).to.deep.equal(catalogDrills());
    expect(Object.keys(wf.on)).to.include.members(["schedule", "workflow_dispatch"]);
  });
});
