// The bad-input corpus: malformed topologies, drill files (YAML and TypeScript) and flags, one table.
// Each exits 2, names the field or flag and says the fix, and starts nothing: the engine's own
// events over the whole table show no container or network created.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { docker } from "../src/docker";

const BIN = join(__dirname, "..", "bin", "zkdrill");
const F = (name: string) => join(__dirname, "fixtures", "bad-input", name);

interface Case {
  readonly what: string;
  readonly args: readonly string[];
  /** What stderr must say: the field or flag, and the fix. */
  readonly says: RegExp;
}

const topology = (file: string, says: RegExp, what: string): Case => ({ what: `topology: ${what}`, args: ["plan", F(file)], says });
const yamlDrill = (file: string, says: RegExp, what: string): Case => ({ what: `YAML drill: ${what}`, args: ["run", F(file), "--dry-run"], says });

const CASES: readonly Case[] = [
  topology("dup-id.yaml", /topology\.members\[1\]\.id: 1 is used twice; give every member its own id/, "a duplicate id"),
  topology("id-zero.yaml", /topology\.members\[0\]\.id: must be 1\.\.255/, "an id of 0"),
  topology("id-256.yaml", /topology\.members\[0\]\.id: must be 1\.\.255/, "an id of 256"),
  topology("missing-latency.yaml", /topology\.latency: no round trip between "az1" and "az2"; add \{ zones: \[az1, az2\], rttMs: <ms> \}/, "a zone pair without latency"),
  topology("latency-unknown-zone.yaml", /topology\.latency\[0\]\.zones\[1\]: "az9" is not a zone; zones are az1, az2/, "latency naming an unknown zone"),
  topology("negative-rtt.yaml", /topology\.latency\[0\]\.rttMs: must be 0\.\.10000 ms/, "a negative round trip"),
  topology("fractional-rtt.yaml", /topology\.latency\[0\]\.rttMs: whole milliseconds .*round it/, "a fractional round trip"),
  topology("no-members.yaml", /topology\.members: list at least one member/, "no members"),
  topology("misspelt-field.yaml", /topology\.members\[0\]: unknown field\(s\) "zome"; remove them or check the spelling/, "a misspelt member field"),
  topology("unknown-top-field.yaml", /topology: unknown field\(s\) "zonez"/, "an unknown top-level field"),
  topology("yaml-syntax.yaml", /not valid YAML or JSON: .*line 3, column 1/, "broken YAML"),
  topology("bad-role.yaml", /topology\.members\[0\]\.role: must be "participant" \(votes\) or "observer"/, "an unknown role"),
  topology("tick-time.yaml", /topology\.settings\.tickTime: must be 100\.\.60000 ms/, "a negative tickTime"),
  topology("port-clash.yaml", /topology\.settings\.quorumPort: 2888 clashes with clientPort; each port must differ/, "two settings on one port"),
  topology("bad-name.yaml", /topology\.name: must be lowercase letters, digits and dashes/, "a name Docker cannot use"),
  { what: "topology: a file that does not exist", args: ["plan", F("nowhere.yaml")], says: /nowhere\.yaml.*(no such|not found|neither)/i },
  yamlDrill("drill-unknown-verb.yaml", /steps\[0\]: unknown verb "explode"; verbs are wait-for-quorum/, "an unknown verb"),
  yamlDrill("drill-misspelt-key.yaml", /steps\[0\] \(kill\): unknown field "memebrs" \(did you mean "members"\?\)/, "a misspelt key in a step"),
  yamlDrill("drill-bad-selector.yaml", /steps\[0\] \(kill\)\.members: "leadr" is not a member selector \(did you mean "leader"\?\)/, "a misspelt selector"),
  yamlDrill("drill-unsaved-ref.yaml", /steps\[0\] \(kill\)\.members: "\$before\.leader" is used before any step saves it; add save: before/, "a $name nobody saved"),
  yamlDrill("drill-unknown-zone.yaml", /steps\[0\] \(kill\)\.members: zone "mars" is not in topology "p8-one-dc"; zones are dc1/, "a zone the topology lacks"),
  yamlDrill("drill-unknown-member.yaml", /steps\[0\] \(kill\)\.members: member 9 is not in topology "p8-one-dc"; members are 1, 2, 3, 4, 5/, "a member the topology lacks"),
  yamlDrill("drill-restore-unsaved.yaml", /steps\[0\] \(restore\)\.backup: "\$nightly" is used before any step saves it/, "a restore of a backup nobody took"),
  yamlDrill("drill-no-steps.yaml", /steps: missing; a drill file needs steps/, "no steps"),
  yamlDrill("drill-unknown-topology.yaml", /topology: "no-such-layout" is not a catalog topology; catalog: .*for a file, give a path/, "an unknown catalog topology"),
  yamlDrill("drill-not-a-mapping.yaml", /the file must be a mapping of name, description, procedure, origin, headline, topology/, "a list, not a mapping"),
  yamlDrill("drill-bad-objective.yaml", /objectives\.rto-seconds: must be more than 0 seconds/, "a negative RTO objective"),
  { what: "TypeScript drill: exports no drill", args: ["run", F("drill-no-export.ts"), "--dry-run"], says: /does not default-export a drill\(\{\.\.\.\}\); a drill is a \.ts file doing so, or a \.yaml drill file/ },
  { what: "TypeScript drill: an invalid inline topology", args: ["run", F("drill-bad-topology.ts"), "--dry-run"], says: /topology\.members\[0\]\.zone: "az9" is not a zone; zones are az1/ },
  { what: "flag: --seed not a number", args: ["run", "quickstart-leader-failover", "--seed", "abc"], says: /--seed: "abc" is not a whole number; give e\.g\. --seed 42/ },
  { what: "flag: --zk-version unknown", args: ["run", "quickstart-leader-failover", "--zk-version", "9.9.9"], says: /zookeeper version "9\.9\.9" is not one zkdrill can build; use one of/ },
  { what: "flag: --rto-seconds not a number", args: ["run", "quickstart-leader-failover", "--rto-seconds", "soon"], says: /--rto-seconds: "soon" is not a number of seconds; give e\.g\. --rto-seconds 30/ },
  { what: "flag: --topology missing file", args: ["run", "quickstart-leader-failover", "--topology", F("nowhere.yaml"), "--dry-run"], says: /nowhere\.yaml/ },
  { what: "flag: --topology lacking the drill's needs", args: ["run", "p7-two-regions-three-centres", "--topology", "p8-one-dc", "--dry-run"], says: /the drill needs zone "a1" \(zones are dc1; name yours so, or choose a drill for your layout\)/ },
  { what: "run: an unknown drill", args: ["run", "no-such-drill"], says: /drill "no-such-drill" is neither a file nor a catalog drill; the catalog: zkdrill list \(\d+ drills\)/ },
  { what: "run: a misspelt drill", args: ["run", "quickstart-leader-failovr"], says: /did you mean quickstart-leader-failover\?/ },
  { what: "flag: --report-dir already holding a run", args: ["run", "quickstart-leader-failover", "--report-dir", join(__dirname, "fixtures", "bad-input", "used-report-dir")], says: /--report-dir: .*used-report-dir already holds a run \(journal\.jsonl\); give a new folder/ },
  { what: "flag: an unknown option", args: ["run", "quickstart-leader-failover", "--quik"], says: /error: unknown option '--quik'[\s\S]*Usage: zkdrill run/ },
];

function zkdrill(args: readonly string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, err });
    });
  });
}

describe("bad input: each exits 2, names the field or flag and the fix, and starts nothing", function () {
  this.timeout(300_000);
  const results = new Map<string, { code: number | null; err: string }>();
  let since = 0;
  let until = 0;

  before(async () => {
    since = Math.floor(Date.now() / 1000);
    // Two at a time: each is a Node process starting tsx.
    const queue = [...CASES];
    await Promise.all(
      [0, 1].map(async () => {
        for (let c = queue.shift(); c; c = queue.shift()) results.set(c.what, await zkdrill(c.args));
      }),
    );
    until = Math.floor(Date.now() / 1000) + 1;
  });

  it(`holds at least 30 cases (${CASES.length})`, () => {
    expect(CASES.length).to.be.at.least(30);
  });

  for (const c of CASES) {
    it(c.what, () => {
      const r = results.get(c.what)!;
      expect(r.code, r.err).to.equal(2);
      expect(r.err).to.match(c.says);
      expect(r.err, "a message, not a stack").to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/);
    });
  }

  it("started nothing: no container or network was created on the engine meanwhile", async () => {
    const stream = await docker().getEvents({ since, until, filters: { type: ["container", "network"], event: ["create"] } });
    const created: string[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) created.push(...chunk.toString().split("\n").filter(Boolean));
    expect(created).to.deep.equal([]);
  });
});
