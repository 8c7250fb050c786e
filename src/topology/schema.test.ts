import { expect } from "chai";
import { parseTopology, TopologyError, TopologyInput } from ".";

const valid = (): TopologyInput => ({
  name: "t",
  zones: [
    { name: "az1", region: "r1" },
    { name: "az2", region: "r1" },
  ],
  members: [
    { id: 1, zone: "az1" },
    { id: 2, zone: "az1" },
    { id: 3, zone: "az2" },
  ],
  latency: [{ zones: ["az1", "az2"], rttMs: 2 }],
});

function problemsOf(input: unknown): string[] {
  try {
    parseTopology(input);
  } catch (err) {
    expect(err).to.be.instanceOf(TopologyError);
    return [...(err as TopologyError).problems];
  }
  throw new Error("expected the topology to be rejected");
}

describe("topology validation", () => {
  it("accepts a valid topology and fills ZooKeeper's defaults", () => {
    const t = parseTopology(valid());
    expect(t.settings).to.include({ tickTime: 2000, initLimit: 10, syncLimit: 5, membership: "static", clientPort: 2181 });
    expect(t.members[0]).to.include({ role: "participant", standby: false });
  });

  const cases: Array<[string, (t: any) => void, RegExp]> = [
    ["an unknown zone, naming the zones there are", (t) => (t.members[2].zone = "az3"), /topology\.members\[2\]\.zone: "az3" is not a zone; zones are az1, az2/],
    ["a duplicate id", (t) => (t.members[1].id = 1), /topology\.members\[1\]\.id: 1 is used twice/],
    ["an id out of range", (t) => (t.members[0].id = 256), /topology\.members\[0\]\.id: must be 1\.\.255/],
    ["an id of zero", (t) => (t.members[0].id = 0), /topology\.members\[0\]\.id: must be 1\.\.255/],
    ["a latency matrix missing a pair", (t) => (t.latency = []), /no round trip between "az1" and "az2"; add \{ zones: \[az1, az2\], rttMs/],
    ["a latency naming an unknown zone", (t) => t.latency.push({ zones: ["az1", "mars"], rttMs: 1 }), /latency\[1\]\.zones\[1\]: "mars" is not a zone/],
    ["a latency inside one zone", (t) => t.latency.push({ zones: ["az1", "az1"], rttMs: 1 }), /latency\[1\]\.zones: both ends are "az1"; .*place them in separate zones/],
    ["an observer-only ensemble", (t) => t.members.forEach((m: any) => (m.role = "observer")), /no participant; an ensemble of observers cannot elect a leader/],
    ["every member a standby", (t) => t.members.forEach((m: any) => (m.standby = true)), /every member is a standby/],
    ["a standby whose config does not list itself", (t) => t.members.push({ id: 4, zone: "az2", standby: true, servers: [1, 2, 3] }), /members\[3\]\.servers: member 4's own config must list server\.4/],
    ["servers naming an unknown member", (t) => (t.members[0].servers = [1, 9]), /members\[0\]\.servers: 9 is not a member id/],
    ["an unknown setting", (t) => (t.settings = { tickTim: 100 }), /topology\.settings: unknown field\(s\) "tickTim"/],
    ["an unknown member field", (t) => (t.members[0].weight = 2), /topology\.members\[0\]: unknown field\(s\) "weight"/],
    ["a port clash", (t) => (t.settings = { quorumPort: 2181 }), /settings\.quorumPort: 2181 clashes with clientPort/],
    ["a bad role", (t) => (t.members[0].role = "leader"), /topology\.members\[0\]\.role/],
    ["a zone name Docker cannot use", (t) => (t.zones[0].name = "AZ 1"), /topology\.zones\[0\]\.name: must be lowercase/],
    ["syncLimit above initLimit", (t) => (t.settings = { initLimit: 2, syncLimit: 5 }), /settings\.syncLimit: 5 is above initLimit 2/],
    ["no members", (t) => (t.members = []), /topology\.members: list at least one member/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`rejects ${what}`, () => {
      const t = valid() as any;
      mutate(t);
      const problems = problemsOf(t);
      expect(problems.join("\n")).to.match(message);
    });
  }
});
