import { expect } from "chai";
import { brokerIbp, brokerProperties, controllerProperties, parseTopology, quorumVoters, TopologyError, TopologyInput } from ".";

const input = (kafka: Record<string, unknown>): TopologyInput =>
  ({
    name: "m",
    zones: [
      { name: "dc1", region: "r1" },
      { name: "dc2", region: "r1" },
    ],
    members: [
      { id: 1, zone: "dc1" },
      { id: 2, zone: "dc1" },
      { id: 3, zone: "dc2" },
    ],
    latency: [{ zones: ["dc1", "dc2"], rttMs: 2 }],
    kafka: { settings: { "zookeeper.session.timeout.ms": 6000, "min.insync.replicas": 2, "default.replication.factor": 3 }, brokers: [{ id: 1, zone: "dc1" }, { id: 2, zone: "dc1" }, { id: 3, zone: "dc1" }], ...kafka },
  }) as TopologyInput;

const t = parseTopology(input({ controllers: [{ id: 3000, zone: "dc1" }, { id: 3001, zone: "dc1" }, { id: 3002, zone: "dc1" }] }));

/** server.properties as key -> value (comments dropped). */
const props = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );

function problemsOf(i: TopologyInput): string[] {
  try {
    parseTopology(i);
  } catch (err) {
    expect(err).to.be.instanceOf(TopologyError);
    return [...(err as TopologyError).problems];
  }
  throw new Error("expected the topology to be rejected");
}

describe("the ZooKeeper-to-KRaft migration's configuration (Kafka 3.9's guide)", () => {
  it("controllers are topology members: parsed with their zone and heap, none when the block leaves them out", () => {
    expect(t.kafka!.controllers).to.deep.equal([
      { id: 3000, zone: "dc1", heapMb: 256 },
      { id: 3001, zone: "dc1", heapMb: 256 },
      { id: 3002, zone: "dc1", heapMb: 256 },
    ]);
    expect(parseTopology(input({})).kafka!.controllers).to.deep.equal([]);
  });

  it("rejects a controller with a broker's id, in another zone than the brokers, or in no zone", () => {
    expect(problemsOf(input({ controllers: [{ id: 2, zone: "dc1" }] })).join("\n")).to.match(/controllers\[0\]\.id: 2 is already a broker's or another controller's id/);
    expect(problemsOf(input({ controllers: [{ id: 3000, zone: "dc2" }] })).join("\n")).to.match(/controllers\[0\]\.zone: "dc2" differs from the brokers' "dc1"/);
    expect(problemsOf(input({ controllers: [{ id: 3000, zone: "dc9" }] })).join("\n")).to.match(/controllers\[0\]\.zone: "dc9" is not a zone/);
  });

  it("controller.quorum.voters names every controller by its hostname and the controller port", () => {
    expect(quorumVoters(t)).to.equal("3000@kraft3000:9093,3001@kraft3001:9093,3002@kraft3002:9093");
    expect(() => quorumVoters(parseTopology(input({})))).to.throw(/has no KRaft controllers; add kafka\.controllers/);
  });

  it("ZooKeeper mode: broker.id and zookeeper.connect, the IBP set to 3.9 before the migration starts, nothing of KRaft", () => {
    const p = props(brokerProperties(t, 1, "zookeeper"));
    expect(p["broker.id"]).to.equal("1");
    expect(p["zookeeper.connect"]).to.equal("zk1:2181,zk2:2181,zk3:2181/kafka");
    expect(p["inter.broker.protocol.version"]).to.equal("3.9");
    for (const k of ["process.roles", "node.id", "zookeeper.metadata.migration.enable", "controller.quorum.voters", "controller.listener.names"]) expect(p, k).to.not.have.property(k);
    // Without controllers the broker is the plain ZooKeeper-mode broker of the other drills.
    expect(props(brokerProperties(parseTopology(input({})), 1, "zookeeper"))).to.not.have.property("inter.broker.protocol.version");
  });

  it("migration mode: still ZooKeeper mode, with the flag, the controllers and their listener in the security map", () => {
    const p = props(brokerProperties(t, 2, "migration"));
    expect(p).to.include({
      "broker.id": "2",
      "zookeeper.connect": "zk1:2181,zk2:2181,zk3:2181/kafka",
      "inter.broker.protocol.version": "3.9",
      "zookeeper.metadata.migration.enable": "true",
      "controller.quorum.voters": "3000@kraft3000:9093,3001@kraft3001:9093,3002@kraft3002:9093",
      "controller.listener.names": "CONTROLLER",
      "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      "min.insync.replicas": "2",
    });
    expect(p).to.not.have.property("process.roles");
  });

  it("the IBP left behind (the pitfall): the topology's in ZooKeeper and migration mode, once; a roll's override wins; none in KRaft mode", () => {
    const behind = parseTopology(input({ settings: { "min.insync.replicas": 2, "default.replication.factor": 3, "inter.broker.protocol.version": "3.8" }, controllers: [{ id: 3000, zone: "dc1" }] }));
    for (const mode of ["zookeeper", "migration"] as const) {
      const text = brokerProperties(behind, 1, mode);
      expect(text.match(/^inter\.broker\.protocol\.version=/gm), mode).to.have.length(1);
      expect(props(text)["inter.broker.protocol.version"], mode).to.equal("3.8");
      expect(props(brokerProperties(behind, 1, mode, "3.9"))["inter.broker.protocol.version"], mode).to.equal("3.9");
    }
    expect(props(brokerProperties(behind, 1, "kraft", "3.9"))).to.not.have.property("inter.broker.protocol.version");
    expect(brokerIbp(behind, 1)).to.equal("3.8");
    expect(brokerIbp(t, 1)).to.equal("3.9");
    expect(brokerIbp(parseTopology(input({})), 1)).to.equal(undefined);
  });

  it("KRaft mode: process.roles=broker and node.id (the same id), no ZooKeeper setting, flag or IBP left", () => {
    const p = props(brokerProperties(t, 3, "kraft"));
    expect(p).to.include({ "process.roles": "broker", "node.id": "3", "controller.listener.names": "CONTROLLER", "advertised.listeners": "PLAINTEXT://kafka3:9092", "min.insync.replicas": "2" });
    for (const k of ["broker.id", "zookeeper.connect", "zookeeper.metadata.migration.enable", "inter.broker.protocol.version", "zookeeper.session.timeout.ms"]) expect(p, k).to.not.have.property(k);
  });

  it("a controller in migration mode reads ZooKeeper; finalized, it keeps nothing of ZooKeeper", () => {
    const m = props(controllerProperties(t, 3001, "migration"));
    expect(m).to.include({
      "process.roles": "controller",
      "node.id": "3001",
      "listeners": "CONTROLLER://0.0.0.0:9093",
      "advertised.listeners": "CONTROLLER://kraft3001:9093",
      "zookeeper.metadata.migration.enable": "true",
      "zookeeper.connect": "zk1:2181,zk2:2181,zk3:2181/kafka",
      "inter.broker.listener.name": "PLAINTEXT",
    });
    const f = props(controllerProperties(t, 3001, "finalized"));
    for (const k of ["zookeeper.metadata.migration.enable", "zookeeper.connect", "zookeeper.session.timeout.ms"]) expect(f, k).to.not.have.property(k);
    expect(f["controller.quorum.voters"]).to.equal(m["controller.quorum.voters"]);
    expect(() => controllerProperties(t, 7, "migration")).to.throw(/KRaft controller 7 is not in topology "m"; controllers are 3000, 3001, 3002/);
  });
});
