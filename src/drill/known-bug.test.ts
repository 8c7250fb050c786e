import { expect } from "chai";
import { checkYamlDrill, readYamlText } from "./yaml/validate";
import { drill, DrillInputError, type DrillDefinition } from "./definition";
import { affectedDefault, buildableVersions, bugRuns, KnownBug, knownBugProblems, stanceOf } from "./known-bug";
import { preflight } from "./prepare";

const BUG: KnownBug = {
  jira: "ZOOKEEPER-3781",
  title: "Zookeeper 3.5.7 not creating snapshot",
  affects: ["3.5.8", "3.5.9"],
  fixedIn: ["3.5.10", "3.6.4", "3.7.0"],
  symptom: { quote: "not all nodes would create a snapshot when snapshot.trust.empty was true", source: "https://github.com/apache/zookeeper/pull/1581" },
  evidence: { check: "member-rejoins", names: "the follower exits: No snapshot found" },
};

const def = (knownBug: KnownBug): DrillDefinition => ({ name: "a-bug", description: "d", procedure: "p", topology: "p1-phantom-members", knownBug, run: async () => undefined });

describe("a known-bug drill's knownBug block", () => {
  it("a sound block has no problem; the affected version zkdrill builds is the default run", () => {
    expect(knownBugProblems(BUG)).to.deep.equal([]);
    expect(affectedDefault(BUG)).to.equal("3.5.8");
    expect(buildableVersions(BUG).fixed[0]).to.equal("3.5.10");
  });

  it("each mistake names its field and the fix", () => {
    const problems = knownBugProblems({ ...BUG, jira: "3781", affects: ["3.5.10"], evidence: { check: "no-such-check", names: "" } });
    expect(problems.find((p) => p.startsWith("knownBug.jira:"))).to.include("ZOOKEEPER-3109");
    expect(problems.find((p) => p.startsWith("knownBug.affects:"))).to.include("3.5.10 already carries the fix");
    expect(problems.find((p) => p.startsWith("knownBug.evidence.check:"))).to.include("is not a check kind");
    expect(problems.some((p) => p.startsWith("knownBug.evidence.names:"))).to.equal(true);
  });

  it("refuses versions zkdrill cannot build on either side, and a quote with no address", () => {
    const problems = knownBugProblems({ ...BUG, affects: ["3.5.7"], fixedIn: ["4.0.0"], symptom: { quote: "q", source: "the JIRA" } });
    expect(problems.find((p) => p.startsWith("knownBug.affects:"))).to.include("zkdrill builds none of 3.5.7");
    expect(problems.find((p) => p.startsWith("knownBug.fixedIn:"))).to.include("carries the fix");
    expect(problems.find((p) => p.startsWith("knownBug.symptom.source:"))).to.include("not an address");
  });

  it("an upgrade drill's default target must be an affected version", () => {
    expect(knownBugProblems(BUG, "ts", "3.5.10")[0]).to.match(/^knownBug\.affects: the upgrade's default target 3\.5\.10/);
  });

  it("drill() refuses an unsound block at once, exit 2, naming the drill and the field", () => {
    expect(() => drill(def({ ...BUG, fixedIn: ["3.5"] }))).to.throw(DrillInputError, /^drill a-bug: knownBug\.fixedIn: "3\.5" is not a version/);
    expect(drill(def(BUG)).knownBug).to.equal(BUG);
  });

  it("a version's stance: listed as affected, carrying the fix on its own line or a newer one, or neither", () => {
    expect(stanceOf(BUG, "3.5.9")).to.equal("affected");
    expect(stanceOf(BUG, "3.5.10")).to.equal("fixed");
    expect(stanceOf(BUG, "3.6.4")).to.equal("fixed");
    expect(stanceOf(BUG, "3.9.5")).to.equal("fixed");
    expect(stanceOf(BUG, "3.4.14")).to.equal("not listed");
    expect(stanceOf({ affects: ["3.4.14"], fixedIn: ["3.6.0"] }, "3.5.10")).to.equal("not listed");
    expect(stanceOf({ affects: ["3.4.14"], fixedIn: ["3.6.0"] }, "3.8.6")).to.equal("fixed");
  });
});

describe("the known-bug catalog's runs (the scheduled known-bugs job)", () => {
  it("every affected version zkdrill builds must reproduce the bug, every one carrying the fix must not", () => {
    expect(bugRuns(BUG).map((r) => `${r.version} ${r.stance} ${r.expect}`)).to.deep.equal([
      "3.5.8 affected reproduced",
      "3.5.9 affected reproduced",
      "3.5.10 fixed not reproduced",
      "3.6.4 fixed not reproduced",
      "3.7.2 fixed not reproduced",
      "3.8.6 fixed not reproduced",
      "3.9.5 fixed not reproduced",
    ]);
    expect(bugRuns(BUG).every((r) => r.jira === "ZOOKEEPER-3781" && stanceOf(BUG, r.version) === r.stance)).to.equal(true);
  });

  it("leaves out what zkdrill does not build, and what is below the drill's floor", () => {
    const runs = bugRuns({ jira: "ZOOKEEPER-1", affects: ["3.4.13", "3.4.14", "3.5.8"], fixedIn: ["3.6.0"] }, "3.5.0");
    expect(runs.map((r) => r.version)).to.deep.equal(["3.5.8", "3.6.4", "3.7.2", "3.8.6", "3.9.5"]);
  });
});

const YAML = (block: string) => `name: a-bug
description: d
procedure: p
topology: p1-phantom-members
${block}
steps:
  - wait-for-quorum: {}
`;

describe("known-bug: in a YAML drill", () => {
  it("is read into the definition's knownBug (fixed-in may be one version)", () => {
    const c = checkYamlDrill(readYamlText(YAML(`known-bug:
  jira: ZOOKEEPER-3830
  title: After add a new node, zookeeper cluster won't commit any proposal if this new node is leader
  affects: [3.5.8]
  fixed-in: 3.5.9
  symptom: { quote: "at this point leader is server.4, but it can not commit any transaction", source: "https://github.com/apache/zookeeper/pull/1370" }
  evidence: { check: write-commits, names: "the write is not acknowledged" }`)));
    expect(c.problems).to.deep.equal([]);
    expect(c.drill?.knownBug).to.deep.include({ jira: "ZOOKEEPER-3830", affects: ["3.5.8"], fixedIn: ["3.5.9"] });
  });

  it("names the YAML field of each mistake, in the file's words", () => {
    const c = checkYamlDrill(readYamlText(YAML(`known-bug:
  jira: ZK-1
  title: t
  affects: [3.9.5]
  fixed-in: [3.5.9]
  symptom: { quote: q, source: "https://example.org/x" }
  evidence: { check: write-commits, names: n }`)));
    expect(c.problems.find((p) => p.startsWith("known-bug.affects:"))).to.include("3.9.5 already carries the fix (known-bug.fixed-in 3.5.9)");
    const shape = checkYamlDrill(readYamlText(YAML(`known-bug: { jira: ZOOKEEPER-1, title: t, affects: [], fixed-in: "3.5", symptom: { quote: q }, evidence: { check: c, names: n }, extra: 1 }`)));
    expect(shape.problems.join("\n")).to.include("known-bug.affects").and.include("known-bug.fixed-in").and.include("known-bug.symptom.source").and.include('unknown field "extra"');
  });
});

describe("the version a known-bug drill runs on", () => {
  const three = { name: "three", zones: [{ name: "dc1", region: "r1" }], members: [1, 2, 3].map((id) => ({ id, zone: "dc1" })) };
  const plain: DrillDefinition = { ...def(BUG), topology: three };
  const upgrade: DrillDefinition = { ...plain, upgrade: { from: "3.4.14", to: "3.5.9" } };

  it("is the affected one by default, and the one --zk-version names", () => {
    expect(preflight(plain, {}).zkVersion).to.equal("3.5.8");
    expect(preflight(plain, { zkVersion: "3.5.10" }).zkVersion).to.equal("3.5.10");
  });

  it("an upgrade drill's --zk-version names the version it upgrades to; with --to-version too it is refused", () => {
    expect(preflight(upgrade, {})).to.deep.include({ zkVersion: "3.4.14", upgradeTo: "3.5.9" });
    expect(preflight(upgrade, { zkVersion: "3.5.10" })).to.deep.include({ zkVersion: "3.4.14", upgradeTo: "3.5.10" });
    expect(() => preflight(upgrade, { zkVersion: "3.5.10", toVersion: "3.5.9" })).to.throw(DrillInputError, /--zk-version names the version it upgrades to/);
    expect(() => preflight({ ...upgrade, knownBug: undefined }, { zkVersion: "3.5.10" })).to.throw(DrillInputError, /give --from-version and --to-version/);
  });
});
