import { expect } from "chai";
import { oneZoneTopology } from "../drill/definition";
import { explainYamlDrill, loadYamlDrill } from "../drill/yaml";
import { parseTopology } from "../topology";
import { cutOneWay, isolateMember, memberCutOf } from "./member-link-faults";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const topology = parseTopology(oneZoneTopology("five", 5), "test");
const scene = { topology, versionOf: () => "3.4.14" };

describe("a member cut on one port (a voter that still votes but cannot follow)", () => {
  it("cuts only the quorum port the topology gives, each directed link carrying it", () => {
    const proof = cutOneWay.proof!({ from: [1], to: [2, 3], mode: "reject", port: "quorum" }, scene);
    expect(proof).to.deep.equal({
      name: "one-way 1 -> 2,3 (reject, quorum port only)",
      links: [
        { from: 1, to: 2, mode: "reject", port: 2888 },
        { from: 1, to: 3, mode: "reject", port: 2888 },
      ],
    });
    expect(cutOneWay.step({ from: [1], to: [2, 3], mode: "reject", port: "quorum" }, scene)).to.equal("partition: one-way 1 -> 2,3 (connections reset, quorum port only)");
  });

  it("without a port, every port as before", () => {
    const proof = isolateMember.proof!({ member: 1, mode: "drop" }, scene) as { links: ReadonlyArray<{ port?: number }> };
    expect(proof.links.every((l) => l.port === undefined)).to.equal(true);
  });

  it("the drill word and the YAML verb take the port; the dry run says it", () => {
    expect(memberCutOf({ kind: "isolate", member: 2 }, "reject", "election").args).to.deep.equal({ member: 2, mode: "reject", port: "election" });
    const path = join(mkdtempSync(join(tmpdir(), "zkdrill-port-")), "d.yaml");
    writeFileSync(path, `name: port-cut\ndescription: d\nprocedure: p\ntopology: { name: five, zones: [{ name: dc1, region: r1 }], members: [{ id: 1, zone: dc1 }, { id: 2, zone: dc1 }, { id: 3, zone: dc1 }] }\nsteps:\n  - cut-one-way: { from: [1], to: [2, 3], mode: reject, port: quorum }\n`);
    const def = loadYamlDrill(path);
    expect(explainYamlDrill(def.yaml, parseTopology(def.topology as object, "t")).join("\n")).to.include("member 1 cannot send to members 2, 3; the other way still flows (connections reset), quorum port only");
  });
});
