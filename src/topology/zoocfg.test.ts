import { expect } from "chai";
import { join } from "node:path";
import { loadTopology, memberFiles, parseTopology, rewrite } from ".";

const catalog = (name: string) => loadTopology(join(__dirname, "..", "..", "drills", "topologies", `${name}.yaml`));

describe("zoo.cfg generation", () => {
  it("writes the static config an operator writes (P4: server.4 is :observer, peerType on the observer)", () => {
    const t = parseTopology({ ...catalogInput(), settings: { membership: "static" } });
    const observer = memberFiles(t, 4)["zoo.cfg"].split("\n");
    const follower = memberFiles(t, 1)["zoo.cfg"].split("\n");
    const servers = ["server.1=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888", "server.4=zk4:2888:3888:observer"];
    expect(observer.slice(1)).to.deep.equal([
      "tickTime=2000",
      "initLimit=10",
      "syncLimit=5",
      "dataDir=/data",
      "dataLogDir=/datalog",
      "4lw.commands.whitelist=*",
      "quorumListenOnAllIPs=true",
      "admin.enableServer=false",
      "clientPort=2181",
      "peerType=observer",
      ...servers,
      "",
    ]);
    expect(follower).to.not.include("peerType=observer");
    // The server lines are identical on every member.
    expect(follower.filter((l) => l.startsWith("server."))).to.deep.equal(servers);
    expect(memberFiles(t, 4).myid).to.equal("4\n");
  });

  it("writes the dynamic (3.5+) config with roles and client ports in the server lines", () => {
    const files = memberFiles(catalog("p4-observer-pseudo-cluster"), 2);
    expect(files["zoo.cfg"]).to.include("reconfigEnabled=true\nstandaloneEnabled=false\ndynamicConfigFile=/conf/zoo.cfg.dynamic\n");
    expect(files["zoo.cfg"]).to.not.match(/^server\./m);
    expect(files["zoo.cfg"]).to.not.include("clientPort=");
    expect(files["zoo.cfg.dynamic"]).to.equal(
      "server.1=zk1:2888:3888:participant;2181\nserver.2=zk2:2888:3888:participant;2181\nserver.3=zk3:2888:3888:participant;2181\nserver.4=zk4:2888:3888:observer;2181\n",
    );
  });

  it("gives P2's standbys their recovery config and the running members the normal one", () => {
    const t = catalog("p2-two-az-standby");
    const lines = (id: number) => memberFiles(t, id)["zoo.cfg"].split("\n").filter((l) => l.startsWith("server."));
    expect(lines(1)).to.deep.equal(["server.1=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888"]);
    expect(lines(4)).to.deep.equal(["server.3=zk3:2888:3888", "server.4=zk4:2888:3888", "server.5=zk5:2888:3888"]);
  });

  it("derives the rewritten config a recovery step installs, leaving the original untouched (P2, P5)", () => {
    const t = catalog("p2-two-az-standby");
    const after = rewrite(t, { 3: { servers: [5, 4, 3] } });
    expect(memberFiles(after, 3)["zoo.cfg"]).to.include("server.3=zk3:2888:3888\nserver.4=zk4:2888:3888\nserver.5=zk5:2888:3888\n");
    expect(memberFiles(t, 3)["zoo.cfg"]).to.include("server.1=zk1");
    const p5 = rewrite(catalog("p5-observer-migration"), { 4: { role: "participant", servers: [4, 5, 6] } });
    expect(memberFiles(p5, 4)["zoo.cfg"]).to.not.include("peerType=observer");
    expect(() => rewrite(t, { 9: { servers: [9] } })).to.throw(/member 9 is not in topology/);
  });
});

function catalogInput() {
  return {
    name: "p4",
    zones: [{ name: "host1", region: "r1" }],
    members: [
      { id: 1, zone: "host1" },
      { id: 2, zone: "host1" },
      { id: 3, zone: "host1" },
      { id: 4, zone: "host1", role: "observer" as const },
    ],
  };
}
