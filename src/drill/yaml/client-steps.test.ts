// The client verbs (open-client, client-crash, client-partition, expect-session-kept/-expired) and
// read-only mode (read-only-mode, expect-read-only): what they call, what validation refuses, and
// what the dry run says of them. No containers: the recording fake stands in for the drill words.
import { expect } from "chai";
import { parseTopology } from "../../topology";
import { explainYamlDrill, parseYamlDrillText } from ".";
import { cutOutcome } from "./explain";
import { runYamlSteps } from "./interpreter";
import { RecordingContext } from "./recording-context";
import { checkYamlDrill, readYamlText } from "./validate";

const three = parseTopology({ name: "three", zones: [{ name: "dc1", region: "r1" }], members: [1, 2, 3].map((id) => ({ id, zone: "dc1" })) });

const HEAD = `name: clients
description: client faults under test
procedure: the tests
topology: { name: three, zones: [{ name: dc1, region: r1 }], members: [{ id: 1, zone: dc1 }, { id: 2, zone: dc1 }, { id: 3, zone: dc1 }] }
`;

const CLIENTS = `${HEAD}read-only-mode: true
steps:
  - wait-for-quorum: { save: q }
  - open-client: { name: app, members: [1, 2, 3], session-timeout-ms: 6000 }
  - client-crash: { client: app }
  - expect-session-expired: { client: app }
  - open-client: { name: short, members: $q.followers, session-timeout-ms: 8000 }
  - client-partition: { client: short, ms: 2000 }
  - expect-session-kept: { client: short }
  - open-client: { name: long, members: [2], session-timeout-ms: 6000 }
  - client-partition: { client: long }
  - expect-session-expired: { client: long }
  - isolate-member: { member: $q.followers, save: cut-off }
  - expect-read-only: { member: $cut-off, timeout-seconds: 30 }
`;

/** The problems validation reports for a drill of `steps` (after HEAD), read-only mode as given. */
function problemsOf(steps: string, readOnly = false): string[] {
  return [...checkYamlDrill(readYamlText(`${HEAD}${readOnly ? "read-only-mode: true\n" : ""}steps:\n${steps}`)).problems];
}

describe("YAML drills: clients of the drill's own and read-only mode", () => {
  it("calls the client words with the client each step names, and the read-only verdict on the member resolved", async () => {
    const drill = parseYamlDrillText(CLIENTS);
    expect(drill.readOnlyMode).to.equal(true);
    const d = new RecordingContext(three, [{ leader: 1, followers: [2, 3], observers: [], epoch: 1 }]);
    await runYamlSteps(drill.steps, d);
    expect(d.calls.filter(([w]) => w !== "step" && w !== "step-end" && w !== "quorum")).to.deep.equal([
      ["openClient", "app", [1, 2, 3], 6000],
      ["clientCrash", "app"],
      ["expect.sessionExpired", "app"],
      ["openClient", "short", [2, 3], 8000],
      ["clientPartition", "short", 2000],
      ["expect.sessionKept", "short"],
      ["openClient", "long", [2], 6000],
      ["clientPartition", "long", undefined],
      ["expect.sessionExpired", "long"],
      ["isolate-member", { member: 2 }],
      ["expect.readOnlyServes", 2, 30_000],
    ]);
  });

  it("refuses a client used before it is opened, naming the step and the fix", () => {
    expect(problemsOf("  - open-client: { name: app, members: [1], session-timeout-ms: 4000 }\n  - client-crash: { client: ap }\n")).to.deep.equal([
      'steps[1] (client-crash).client: client "ap" is not opened before this step (did you mean "app"?); add a step before it: open-client: { name: ap, members: ..., session-timeout-ms: ... }',
    ]);
    expect(problemsOf("  - expect-session-kept: { client: app }\n  - open-client: { name: app, members: [1], session-timeout-ms: 4000 }\n")[0]).to.match(/^steps\[0\] \(expect-session-kept\)\.client: client "app" is not opened before this step; add a step before it/);
  });

  it("refuses a name opened twice, a crashed client faulted again, and a crashed client's session expected kept", () => {
    const open = "  - open-client: { name: app, members: [1], session-timeout-ms: 4000 }\n";
    expect(problemsOf(`${open}${open}`)).to.deep.equal(['steps[1] (open-client).name: client "app" is already opened by steps[0] (open-client); choose another name']);
    expect(problemsOf(`${open}  - client-crash: { client: app }\n  - client-partition: { client: app }\n`)).to.deep.equal([
      'steps[2] (client-partition).client: client "app" crashed at steps[1] (client-crash); a crashed client has no connection left to fault: open another client',
    ]);
    expect(problemsOf(`${open}  - client-crash: { client: app }\n  - expect-session-kept: { client: app }\n`)).to.deep.equal([
      'steps[2] (expect-session-kept): client "app" crashed at steps[1] (client-crash), so its session cannot be kept; a crash is judged by expect-session-expired',
    ]);
  });

  it("still knows a client whose open-client step is broken (its own problem comes first, not a second one)", () => {
    expect(problemsOf("  - open-client: { name: app, members: [1] }\n  - client-crash: { client: app }\n")).to.deep.equal([
      "steps[0] (open-client).session-timeout-ms: missing; open-client needs session-timeout-ms (the session timeout it asks for, ms; the server grants it within 2..20 ticks)",
    ]);
  });

  it("refuses expect-read-only unless the members run in read-only mode; a client's fields are checked", () => {
    expect(problemsOf("  - expect-read-only: { member: 3 }\n")).to.deep.equal([
      "steps[0] (expect-read-only): the members do not run in read-only mode, so a member cut from its quorum serves nobody; add read-only-mode: true to the drill",
    ]);
    expect(problemsOf("  - expect-read-only: { member: 3 }\n", true)).to.deep.equal([]);
    expect(problemsOf("  - open-client: { name: App, members: [1], session-timeout-ms: 0 }\n")).to.deep.equal([
      "steps[0] (open-client).name: must be lowercase letters, digits and dashes, starting with a letter",
      "steps[0] (open-client).session-timeout-ms: must be more than 0 ms",
    ]);
  });

  it("the dry run says what each cut should do to the session by ZooKeeper's bounds, and warns where the drill expects otherwise", () => {
    const lines = explainYamlDrill(parseYamlDrillText(CLIENTS), three);
    expect(lines.filter((l) => /^steps\[\d+\] \((open-client|client-|expect-session|expect-read-only)/.test(l))).to.deep.equal([
      "steps[1] (open-client): open client app on members 1, 2, 3 (session timeout 6000 ms), through a link of its own, holding an ephemeral znode",
      "steps[2] (client-crash): crash client app: its process gone without closing its session; its ephemeral must stay until ZooKeeper's earliest expiry (3000 ms: 2/3 of its 6000 ms timeout less half a tick), then go",
      "steps[3] (expect-session-expired): expect client app's session expired, not before ZooKeeper's bound: expected to pass",
      "steps[4] (open-client): open client short on the followers saved as q (session timeout 8000 ms), through a link of its own, holding an ephemeral znode",
      "steps[5] (client-partition): cut client short alone from its servers for 2000 ms, the ensemble untouched (timeout 8000 ms): the session should be kept",
      "steps[6] (expect-session-kept): expect client short's session kept (connected again, its ephemeral its own): expected to pass",
      "steps[7] (open-client): open client long on member 2 (session timeout 6000 ms), through a link of its own, holding an ephemeral znode",
      "steps[8] (client-partition): cut client long alone from its servers for 12000 ms, the ensemble untouched (timeout 6000 ms): the session should expire",
      "steps[9] (expect-session-expired): expect client long's session expired, not before ZooKeeper's bound: expected to pass",
      "steps[11] (expect-read-only): expect the first of the followers saved as q (saved as cut-off) to serve a read-only client: reads served, a write refused (NOT_READONLY), replies never going back (timeout 30 s); it must be running and cut from its quorum by then (a cut between members, which the planner does not model)",
    ]);
    const wrong = explainYamlDrill(parseYamlDrillText(`${HEAD}steps:\n  - open-client: { name: c, members: [1], session-timeout-ms: 1000 }\n  - client-partition: { client: c, ms: 3500 }\n  - expect-session-kept: { client: c }\n`), three);
    expect(wrong[2]).to.equal("steps[0] (open-client): open client c on member 1 (session timeout 1000 ms, granted 4000 ms: the server bounds it to 2..20 ticks of 2000 ms), through a link of its own, holding an ephemeral znode");
    expect(wrong[3]).to.match(/for 3500 ms.*⚠ between ZooKeeper's earliest expiry and the timeout plus a tick and a half/);
    expect(wrong[4]).to.match(/: ⚠ the cut leaves it to chance$/);
  });

  it("cutOutcome: kept below the earliest expiry, expired past the timeout plus a tick and a half, either between", () => {
    expect(cutOutcome(1666, 4000, 2000)).to.equal("kept");
    expect(cutOutcome(1667, 4000, 2000)).to.equal("either");
    expect(cutOutcome(7000, 4000, 2000)).to.equal("expired");
  });
});
