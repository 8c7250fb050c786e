import { expect } from "chai";
import { brokerSessionTimeoutMs, negotiatedSessionTimeoutMs, parseTopology, serverProperties, TopologyError, TopologyInput, zookeeperConnect } from ".";

const withKafka = (kafka: unknown): TopologyInput =>
  ({
    name: "k",
    zones: [
      { name: "a1", region: "a" },
      { name: "b1", region: "b" },
    ],
    members: [
      { id: 1, zone: "a1" },
      { id: 2, zone: "a1" },
      { id: 3, zone: "b1" },
      { id: 4, zone: "b1", standby: true },
    ],
    latency: [{ zones: ["a1", "b1"], rttMs: 30 }],
    kafka,
  }) as TopologyInput;

function problemsOf(input: TopologyInput): string[] {
  try {
    parseTopology(input);
  } catch (err) {
    expect(err).to.be.instanceOf(TopologyError);
    return [...(err as TopologyError).problems];
  }
  throw new Error("expected the topology to be rejected");
}

describe("Kafka brokers in the topology", () => {
  const ok = { settings: { "zookeeper.session.timeout.ms": 6000, "min.insync.replicas": 2, "default.replication.factor": 3 }, brokers: [{ id: 1, zone: "a1" }, { id: 2, zone: "a1" }, { id: 3, zone: "a1", heapMb: 384 }] };

  it("zookeeper.connect names the running members' real hostnames and the chroot", () => {
    const t = parseTopology(withKafka(ok));
    expect(zookeeperConnect(t)).to.equal("zk1:2181,zk2:2181,zk3:2181/kafka");
    expect(t.kafka?.brokers[2]).to.deep.include({ heapMb: 384 });
    expect(brokerSessionTimeoutMs(t, 1)).to.equal(6000);
  });

  it("server.properties: the harness's lines, then the settings; internal topics replicated as far as the brokers allow", () => {
    const p = serverProperties(parseTopology(withKafka(ok)), 2);
    expect(p).to.include("broker.id=2\n");
    expect(p).to.include("advertised.listeners=PLAINTEXT://kafka2:9092\n");
    expect(p).to.include("min.insync.replicas=2\n");
    expect(p).to.include("offsets.topic.replication.factor=3\n");
  });

  it("a misspelt setting is an error naming it, the likely key and the known ones", () => {
    const [p] = problemsOf(withKafka({ ...ok, settings: { "zookeeper.sesion.timeout.ms": 6000 } }));
    expect(p).to.match(/^topology\.kafka\.settings\."zookeeper\.sesion\.timeout\.ms": not a Kafka setting zkdrill knows; did you mean "zookeeper\.session\.timeout\.ms"\? known settings: /);
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ["a key the harness writes itself", { ...ok, settings: { "zookeeper.connect": "x:1" } }, /"zookeeper\.connect": zkdrill writes zookeeper\.connect itself/],
    ["a boolean that is not one", { ...ok, settings: { "unclean.leader.election.enable": "yes" } }, /must be true or false/],
    ["a number out of range", { ...ok, settings: { "zookeeper.session.timeout.ms": 10 } }, /must be a whole number 1000\.\.600000/],
    ["an IBP that is not a version", { ...ok, settings: { "inter.broker.protocol.version": "latest" } }, /"inter\.broker\.protocol\.version": must be a Kafka version such as "3\.8"/],
    ["a broker in a zone that does not exist", { brokers: [{ id: 1, zone: "c9" }] }, /brokers\[0\]\.zone: "c9" is not a zone; zones are a1, b1/],
    ["brokers in two zones", { brokers: [{ id: 1, zone: "a1" }, { id: 2, zone: "b1" }] }, /brokers\[1\]\.zone: "b1" differs from broker 1's "a1"/],
    ["a duplicate broker id", { brokers: [{ id: 1, zone: "a1" }, { id: 1, zone: "a1" }] }, /brokers\[1\]\.id: 1 is used twice/],
    ["replication above the broker count", { settings: { "default.replication.factor": 3 }, brokers: [{ id: 1, zone: "a1" }] }, /"default\.replication\.factor": 3 is more than the 1 broker/],
    ["min.insync.replicas above the replication factor", { settings: { "min.insync.replicas": 2 }, brokers: [{ id: 1, zone: "a1" }, { id: 2, zone: "a1" }] }, /"min\.insync\.replicas": 2 is above default\.replication\.factor 1/],
    ["a relative chroot", { chroot: "kafka", brokers: [{ id: 1, zone: "a1" }] }, /kafka\.chroot: "kafka" must be an absolute znode path/],
    ["a heap too small", { brokers: [{ id: 1, zone: "a1", heapMb: 64 }] }, /heapMb: must be 128\.\.8192 MB/],
    ["a misspelt field of a broker", { brokers: [{ id: 1, zone: "a1", heap: 256 }] }, /unknown field\(s\) "heap"/],
  ];
  for (const [what, kafka, re] of cases) {
    it(`rejects ${what}`, () => {
      expect(problemsOf(withKafka(kafka)).join("\n")).to.match(re);
    });
  }

  it("ZooKeeper negotiates a session timeout into 2..20 ticks", () => {
    expect(negotiatedSessionTimeoutMs(1_000, 2_000)).to.equal(4_000);
    expect(negotiatedSessionTimeoutMs(6_000, 2_000)).to.equal(6_000);
    expect(negotiatedSessionTimeoutMs(60_000, 2_000)).to.equal(40_000);
  });
});
