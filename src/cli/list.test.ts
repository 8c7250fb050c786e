import { expect } from "chai";
import { catalogDrills, drillSummary } from "./drills";
import { listLines } from "./list";

const plain = { name: "quickstart-leader-failover", procedure: "zkdrill", description: "leader killed under load" };
const bug = {
  name: "zookeeper-3830",
  procedure: "ZOOKEEPER-3830",
  description: "static scale-out, the new member leads and commits nothing",
  knownBug: { jira: "ZOOKEEPER-3830", title: "After add a new node, zookeeper cluster won't commit any proposal if this new node is leader", affects: ["3.5.8"], fixedIn: ["3.5.9", "3.6.2"] },
};

describe("zkdrill list", () => {
  it("shows the known-bug drills in a section of their own, with the JIRA id and the versions", () => {
    const lines = listLines([plain, bug]);
    expect(lines[0]).to.match(/^quickstart-leader-failover\s+zkdrill\s+leader killed/);
    expect(lines.slice(1, 3)).to.deep.equal(["", "Known bugs (each fails on an affected version naming the symptom, passes where the fix is: --zk-version V):"]);
    expect(lines[3]).to.match(/^zookeeper-3830\s+ZOOKEEPER-3830\s+affects 3\.5\.8; fixed in 3\.5\.9, 3\.6\.2: After add a new node/);
    expect(lines[3].length).to.be.at.most(110);
    expect(listLines([plain, bug], true)[3]).to.include("won't commit any proposal if this new node is leader");
  });

  it("has no section when the catalog has no known-bug drill", () => {
    expect(listLines([plain])).to.have.length(1);
  });

  it("the catalog's known-bug drills are listed there, each with its issue", () => {
    const lines = listLines(catalogDrills().map((n) => drillSummary(n)));
    const section = lines.slice(lines.findIndex((l) => l.startsWith("Known bugs")) + 1);
    for (const jira of ["ZOOKEEPER-3109", "ZOOKEEPER-3781", "ZOOKEEPER-3830", "ZOOKEEPER-2926", "ZOOKEEPER-2332"]) expect(section.some((l) => l.includes(` ${jira} `) && / affects \d/.test(l)), jira).to.equal(true);
    expect(lines.filter((l) => /^zookeeper-\d+ /.test(l))).to.have.length(section.length);
    expect(section.find((l) => l.startsWith("zookeeper-2926 "))).to.match(/ZOOKEEPER-2926\s+affects 3\.5\.9, 3\.5\.8, 3\.5\.10; fixed in 3\.6\.0/);
    expect(section.find((l) => l.startsWith("zookeeper-2332 "))).to.match(/ZOOKEEPER-2332\s+affects 3\.8\.6; fixed in 3\.9\.3/);
  });
});
