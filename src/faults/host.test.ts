import { expect } from "chai";
import { checkAgainstTopology, explainYamlDrill, parseYamlDrillText, runYamlSteps } from "../drill/yaml";
import { RecordingContext } from "../drill/yaml/recording-context";
import { parseTopology } from "../topology";

// Three zones, two of them on other hosts' engines (the P7 layout on three machines).
const TOPOLOGY = {
  name: "three-hosts",
  zones: [
    { name: "a1", region: "ra" },
    { name: "a2", region: "ra", host: "unix:///var/run/docker-h1.sock" },
    { name: "b1", region: "rb", host: "unix:///var/run/docker-h2.sock" },
  ],
  members: [
    { id: 1, zone: "a1" },
    { id: 2, zone: "a1" },
    { id: 3, zone: "a2" },
    { id: 4, zone: "a2" },
    { id: 5, zone: "b1" },
  ],
  latency: [
    { zones: ["a1", "a2"], rttMs: 2 },
    { zones: ["a1", "b1"], rttMs: 30 },
    { zones: ["a2", "b1"], rttMs: 30 },
  ],
};
const drillWith = (step: string) => `name: lose-a-host
description: a host lost
procedure: the tests
topology: ${JSON.stringify(TOPOLOGY)}
steps:
  - ${step}
`;

describe("lose-host: a host lost as a zone outage of its zones", () => {
  it("kills every member of the host's zones, from YAML", async () => {
    const d = new RecordingContext(parseTopology(TOPOLOGY), [{ leader: 1, followers: [2, 3, 4, 5], observers: [], epoch: 1 }]);
    await runYamlSteps(parseYamlDrillText(drillWith("lose-host: { host: unix:///var/run/docker-h1.sock }")).steps, d);
    expect(d.calls).to.deep.equal([["lose-host", { host: "unix:///var/run/docker-h1.sock" }]]);
  });

  it("tells the dry run which members go, or which zones are cut, with the planner's verdict", () => {
    const t = parseTopology(TOPOLOGY);
    const killed = explainYamlDrill(parseYamlDrillText(drillWith("lose-host: { host: unix:///var/run/docker-h1.sock }")), t).join("\n");
    expect(killed).to.include("kill -9 members 3, 4 at once");
    const cut = explainYamlDrill(parseYamlDrillText(drillWith("lose-host: { host: unix:///var/run/docker-h2.sock, how: cut }")), t).join("\n");
    expect(cut).to.include("cut host unix:///var/run/docker-h2.sock's zones (b1) off from the others");
  });

  it("refuses a host no zone runs on, naming the hosts there are", () => {
    const problems = checkAgainstTopology(parseYamlDrillText(drillWith("lose-host: { host: ssh://ops@nowhere }")), parseTopology(TOPOLOGY));
    expect(problems.join("\n")).to.include("no zone of topology \"three-hosts\" runs on ssh://ops@nowhere; hosts are local, unix:///var/run/docker-h1.sock, unix:///var/run/docker-h2.sock");
  });
});
