// Runs last (mocha sorts files): every run before it must have removed what it created.
import { expect } from "chai";
import { docker } from "../src/docker";

describe("after the suite", () => {
  it("leaves no container or network labelled zkdrill.run", async () => {
    const containers = await docker().listContainers({ all: true, filters: { label: ["zkdrill.run"] } });
    const networks = await docker().listNetworks({ filters: { label: ["zkdrill.run"] } });
    expect(containers.map((c) => c.Names.join(","))).to.deep.equal([]);
    expect(networks.map((n) => n.Name)).to.deep.equal([]);
  });
});
