import { expect } from "chai";
import { LoopbackContainer, RESOLVER_OPTIONS } from "./loopback";

/** What the container would be created with (testcontainers keeps these protected). */
class Inspected extends LoopbackContainer {
  get created() {
    return { hostConfig: this.hostConfig, createOpts: this.createOpts, aliases: this.networkAliases, networkMode: this.networkMode };
  }
}

describe("a run's containers on their own network alone", () => {
  it("is created on the run's network with its aliases, never on Docker's default bridge first", () => {
    const c = new Inspected("zkdrill/zookeeper:3.9.5").onNetworkAlone("zkdrill-run-dc1", "zk1");
    const { hostConfig, createOpts, aliases, networkMode } = c.created;
    // At start testcontainers sets HostConfig.NetworkMode to it when it has no aliases of its own.
    expect(networkMode).to.equal("zkdrill-run-dc1");
    expect(createOpts.NetworkingConfig).to.deep.equal({ EndpointsConfig: { "zkdrill-run-dc1": { Aliases: ["zk1"] } } });
    // testcontainers' own aliases would create it on the bridge and connect it afterwards.
    expect(aliases).to.deep.equal([]);
    expect(hostConfig.DnsOptions).to.deep.equal(RESOLVER_OPTIONS);
  });

  it("publishes its ports on 127.0.0.1 only", () => {
    const c = new Inspected("zkdrill/zookeeper:3.9.5").withLoopbackPort(2181, 41000);
    expect(c.created.hostConfig.PortBindings).to.deep.equal({ "2181/tcp": [{ HostIp: "127.0.0.1", HostPort: "41000" }] });
  });
});
