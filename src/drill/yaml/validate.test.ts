import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DrillFileError, loadYamlDrill } from ".";
import { drillFileSchema, VERBS } from "./schema";
import { parse } from "yaml";
import { readFileSync } from "node:fs";

const EXAMPLE = resolve(__dirname, "..", "..", "..", "examples", "leader-failover.yaml");

const HEAD = `name: two-dc-drill
description: a drill under test
procedure: the tests
topology:
  name: two-dc
  zones: [{ name: dc1, region: r1 }, { name: dc2, region: r1 }]
  members: [{ id: 1, zone: dc1 }, { id: 2, zone: dc1 }, { id: 3, zone: dc2 }]
  latency: [{ zones: [dc1, dc2], rttMs: 2 }]
`;

const dir = mkdtempSync(join(tmpdir(), "zkdrill-yaml-"));
let files = 0;

function fileWith(text: string): string {
  const path = join(dir, `drill-${++files}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The problems loadYamlDrill reports for a drill file of `text`. */
function problemsOf(text: string): string[] {
  try {
    loadYamlDrill(fileWith(text));
  } catch (err) {
    expect(err).to.be.instanceOf(DrillFileError);
    // The CLI maps errors named InputError to exit code 2 (src/cli/errors.ts).
    expect((err as Error).name).to.equal("InputError");
    return [...(err as DrillFileError).problems];
  }
  throw new Error("expected the drill file to be rejected");
}

const withSteps = (steps: string) => `${HEAD}steps:\n${steps}\n`;

describe("YAML drills: loading", () => {
  it("loads the example as the quick start's drill: name, objectives, inline topology, steps", () => {
    const def = loadYamlDrill(EXAMPLE);
    expect(def.name).to.equal("leader-failover");
    expect(def.objectives).to.deep.equal({ rtoMs: 15_000 });
    expect(def.topology).to.deep.include({ name: "three-members" });
    expect(def.yaml.steps.map((s) => s.verb)).to.deep.equal([
      "wait-for-quorum",
      "write",
      "start-workload",
      "measure",
      "kill",
      "expect-leader-in",
      "writes-succeed",
      "measure",
      "stop-workload",
      "expect-epoch-rose",
      "expect-writes-survive",
      "expect-throughput-holds",
    ]);
    expect(def.yaml.steps[4]).to.deep.include({ at: "steps[4]", args: { members: "$before.leader" } });
    expect(def.yaml.steps[5].args).to.deep.equal({ members: { except: "$before.leader", of: "all" } });
  });

  it("the example is valid under the schema docs/drill.schema.json is generated from", () => {
    expect(drillFileSchema.safeParse(parse(readFileSync(EXAMPLE, "utf8"))).success).to.equal(true);
  });

  it("resolves a topology path relative to the drill file, and a catalog name as is", () => {
    const topo = join(dir, "my-topology.yaml");
    writeFileSync(topo, "name: mine\nzones: [{ name: z1, region: r1 }]\nmembers: [{ id: 1, zone: z1 }, { id: 2, zone: z1 }, { id: 3, zone: z1 }]\n");
    const byPath = loadYamlDrill(fileWith(`name: a\ndescription: d\nprocedure: p\ntopology: ./my-topology.yaml\nsteps:\n  - kill: { members: 3 }\n`));
    expect(byPath.topology).to.equal(topo);
    const byName = loadYamlDrill(fileWith(`name: a\ndescription: d\nprocedure: p\ntopology: p4-observer-pseudo-cluster\nsteps:\n  - kill: { members: 4 }\n`));
    expect(byName.topology).to.equal("p4-observer-pseudo-cluster");
  });
});

describe("YAML drills: every malformed file says where, what and the fix", () => {
  const cases: Array<[what: string, text: string, problems: string[]]> = [
    [
      "a misspelt selector",
      withSteps("  - wait-for-quorum: { save: before }\n  - kill: { members: leadr }"),
      [
        'steps[1] (kill).members: "leadr" is not a member selector (did you mean "leader"?); use a member id, a list of ids, leader, followers, observers, running, all, random-follower, leader-zone-mate, {zone: ...}, $saved (or $saved.leader, $saved.followers, $saved.observers) or {except: ..., of: ...}',
      ],
    ],
    ["an unknown verb", withSteps("  - kil: { members: leader }"), [`steps[0]: unknown verb "kil" (did you mean "kill"?); verbs are ${VERBS.join(", ")}`]],
    [
      "a misspelt field (never ignored)",
      withSteps("  - kill: { member: leader }"),
      ["steps[0] (kill).members: missing; kill needs members (the members to kill -9, all at once)", 'steps[0] (kill): unknown field "member" (did you mean "members"?); kill takes members, outage-expected, save'],
    ],
    ["a $name used before any step saves it", withSteps("  - kill: { members: $before.leader }"), ['steps[0] (kill).members: "$before.leader" is used before any step saves it; add save: before to an earlier step (wait-for-quorum saves a quorum)']],
    ["a zone the topology lacks", withSteps("  - kill: { members: { zone: dc9 } }"), ['steps[0] (kill).members: zone "dc9" is not in topology "two-dc" (did you mean "dc1"?); zones are dc1, dc2']],
    ["a member id the topology lacks", withSteps("  - kill: { members: [1, 7] }"), ['steps[0] (kill).members: member 7 is not in topology "two-dc"; members are 1, 2, 3']],
    ["a restore of a backup nobody saved", withSteps("  - restore: { backup: $nightly, members: all }"), ['steps[0] (restore).backup: "$nightly" is used before any step saves it; add save: nightly to an earlier step (backup saves a backup)']],
    ["fields beside the verb instead of under it", withSteps("  - kill:\n    members: leader"), ['steps[0] (kill): "members" sits beside the verb; indent it under kill: (one verb per step)']],
    ["two verbs in one step", withSteps("  - kill: { members: leader }\n    stop: { members: leader }"), ['steps[0]: one verb per step, found "kill", "stop"; split them into separate steps']],
    ["a measurement with no workload", withSteps("  - measure: { phase: baseline, seconds: 5 }"), ["steps[0] (measure): the workload is not running here; add a start-workload step before it"]],
    [
      "a reconciliation while the workload runs",
      withSteps("  - start-workload: {}\n  - expect-reconciled: {}"),
      ["steps[1] (expect-reconciled): the workload runs here (started at steps[0] (start-workload)); its writes move every member's zxid: add a stop-workload step before it"],
    ],
    [
      "a throughput check of a phase never marked",
      withSteps("  - start-workload: {}\n  - measure: { phase: baseline, seconds: 5 }\n  - expect-throughput-holds: { phase: after, baseline: baseline, min-ratio: 0.5 }"),
      ['steps[2] (expect-throughput-holds).phase: "after" is not a phase marked before this step; marked: baseline'],
    ],
    ["save on a step with nothing to save", withSteps("  - start-workload: {}\n  - measure: { phase: baseline, seconds: 5, save: x }"), ["steps[1] (measure).save: measure resolves no members and returns nothing to save; remove save"]],
    [
      ".leader of a member list",
      withSteps("  - kill: { members: 1, save: victim }\n  - start: { members: $victim.leader }"),
      ['steps[1] (start).members: "$victim.leader": $victim is a member list (saved by steps[0] (kill)); .leader needs a quorum saved by wait-for-quorum; use $victim alone'],
    ],
    ["a name saved twice", withSteps("  - wait-for-quorum: { save: q }\n  - wait-for-quorum: { save: q }"), ['steps[1] (wait-for-quorum).save: "q" is already saved by steps[0] (wait-for-quorum); choose another name']],
    ["negative seconds", withSteps("  - start-workload: {}\n  - measure: { phase: baseline, seconds: -1 }"), ["steps[1] (measure).seconds: must be more than 0 seconds"]],
    ["a one-way cut that refuses connections", withSteps("  - partition: { from: [dc1], to: [dc2], mode: reset, one-way: true }"), ['steps[0] (partition).one-way: Toxiproxy refuses a connection in both directions; use mode: "blackhole" for a one-way cut']],
    [
      "a bad field inside a new-lineage",
      withSteps("  - new-lineage:\n      name: promote\n      steps:\n        - restart: { members: 3 }\n        - start: { members: [1, 2], wipe: true }"),
      ['steps[0] (new-lineage).steps[1] (start): unknown field "wipe" (did you mean "wipe-data"?); start takes members, wipe-data, save'],
    ],
    ["a recipe that does not exist", withSteps("  - start-workload: { recipes: [lock, semaphore] }"), ["steps[0] (start-workload).recipes[1]: must be recipes among ids, counter, lock, election, queue"]],
    ["an empty list of recipes", withSteps("  - start-workload: { recipes: [] }"), ["steps[0] (start-workload).recipes: name at least one recipe: ids, counter, lock, election, queue"]],
    ["a verb with no fields", withSteps("  - kill:"), ['steps[0] (kill): no fields; write "kill: { members: ... }"']],
    ["a misspelt selector field", withSteps("  - kill: { members: { except: leader, off: all } }"), ['steps[0] (kill).members: unknown field(s) "off" (did you mean "of"?); {except: ...} takes except and of only']],
    ["a misspelt part of a saved quorum", withSteps("  - wait-for-quorum: { save: q }\n  - kill: { members: $q.leadr }"), ['steps[1] (kill).members: "$q.leadr": .leadr is not part of a saved quorum (did you mean "leader"?); use $q.leader, $q.followers or $q.observers']],
    ["an epoch check against a member list", withSteps("  - kill: { members: 1, save: k }\n  - expect-epoch-rose: { before: $k }"), ['steps[1] (expect-epoch-rose).before: "$k" is a member list (saved by steps[0] (kill)); this needs a quorum']],
    ["a half-given cut to heal", withSteps("  - heal: { from: [dc1] }"), ["steps[0] (heal): to heal one cut give from, to and mode together (as the partition step did); give none to heal every partition"]],
    ["a relative znode path", withSteps("  - write: { paths: [zk-permanent] }"), ["steps[0] (write).paths[0]: must be an absolute znode path like /app/config, without a trailing slash"]],
    [
      "a misspelt top-level field",
      "name: t\ndescription: d\nprocedure: p\ntopology: p1-phantom-members\nstpes:\n  - heal: {}\n",
      ["steps: missing; a drill file needs steps", 'unknown field "stpes" (did you mean "steps"?); a drill file takes name, description, procedure, origin, headline, topology, objectives, needs, steady-state, read-only-mode, clock-faults, disk-faults, versions, upgrade, known-bug, abort-if, steps'],
    ],
    ["a catalog topology that does not exist", "name: t\ndescription: d\nprocedure: p\ntopology: p1-phantom-membrs\nsteps:\n  - heal: {}\n", [
      'topology: "p1-phantom-membrs" is not a catalog topology (did you mean "p1-phantom-members"?); catalog: kafka-kraft-migration, kafka-kraft-pitfall-ibp, kafka-three-brokers, p1-listed-members-only, p1-phantom-members, p2-two-az-standby, p3-backup-restore, p4-observer-pseudo-cluster, p5-observer-migration, p6-followers-static, p6-observer-scale-out, p6-reconfig-dynamic, p7-kafka-production, p7-two-regions-three-centres, p8-independent-ensembles, p8-one-dc, p8-remote-observers, p8-three-dc-same-city, p8-two-dc-same-city, p8-two-regions-three-dc, p9-observer-dr; for a file, give a path ending in .yaml (relative to this drill file)',
    ]],
    ["a drill needing more voters than the topology has", `${HEAD}needs: { voters: 5 }\nsteps:\n  - heal: {}\n`, ['needs.voters: topology "two-dc" has 3 voter(s), the drill needs at least 5; choose a topology with more participants']],
  ];

  for (const [what, text, problems] of cases) {
    it(what, () => expect(problemsOf(text)).to.deep.equal(problems));
  }

  it("reports every problem of the file's structure at once, not the first only", () => {
    // Names, the workload's order and the topology are checked once the structure holds.
    expect(problemsOf(withSteps("  - kill: { members: leadr }\n  - kil: {}\n  - measure: { phase: x, seconds: 0 }"))).to.have.length(3);
  });

  it("reports a type mistake, a flow mistake and a topology mistake in one pass", () => {
    expect(problemsOf(withSteps("  - wait-for-quorum: { timeout-seconds: soon }\n  - measure: { phase: baseline, seconds: 5 }\n  - stop: { members: { zone: dc9 } }"))).to.deep.equal([
      "steps[0] (wait-for-quorum).timeout-seconds: must be a number of seconds, e.g. 5",
      "steps[1] (measure): the workload is not running here; add a start-workload step before it",
      'steps[2] (stop).members: zone "dc9" is not in topology "two-dc" (did you mean "dc1"?); zones are dc1, dc2',
    ]);
  });

  it("a broken step still counts for what it saves and starts: no second-round problems from it", () => {
    const text = withSteps("  - wait-for-quorum: { save: before, timeout-seconds: -1 }\n  - start-workloda: {}\n  - measure: { phase: base, seconds: 5 }\n  - kill: { members: $before.leader }");
    expect(problemsOf(text)).to.deep.equal([
      "steps[0] (wait-for-quorum).timeout-seconds: must be more than 0 seconds",
      `steps[1]: unknown verb "start-workloda" (did you mean "start-workload"?); verbs are ${VERBS.join(", ")}`,
    ]);
  });

  it("checks the steps of a group that did parse when one of its steps did not", () => {
    const text = withSteps("  - step:\n      name: promote\n      steps:\n        - start: { members: [1], wipe: true }\n        - restart: { members: 9 }");
    expect(problemsOf(text)).to.deep.equal([
      'steps[0] (step).steps[0] (start): unknown field "wipe" (did you mean "wipe-data"?); start takes members, wipe-data, save',
      'steps[0] (step).steps[1] (restart).members: member 9 is not in topology "two-dc"; members are 1, 2, 3',
    ]);
  });

  it("reports the header's mistakes beside the steps' (a broken name does not hide the topology check)", () => {
    const text = HEAD.replace("name: two-dc-drill\n", "") + "needs: { voters: 5 }\nsteps:\n  - kill: { members: 7 }\n";
    expect(problemsOf(text)).to.deep.equal([
      "name: missing; a drill file needs name",
      'steps[0] (kill).members: member 7 is not in topology "two-dc"; members are 1, 2, 3',
      'needs.voters: topology "two-dc" has 3 voter(s), the drill needs at least 5; choose a topology with more participants',
    ]);
  });

  it("says where a YAML syntax error is", () => {
    expect(problemsOf(withSteps("  - kill: { members: [1, 2 }"))[0]).to.match(/^not valid YAML: .* at line 10, column \d+$/);
  });

  it("says when the file cannot be read", () => {
    expect(() => loadYamlDrill(join(dir, "missing.yaml"))).to.throw(DrillFileError, /cannot read the file .*; check the path/);
  });
});
