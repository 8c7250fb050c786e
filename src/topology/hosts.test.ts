import { expect } from "chai";
import { analyse, hostOfMember, parseHostsOption, parseTopology, placeOnHosts, remoteHosts, renderPlan, spansHosts, TopologyError } from ".";

const base = parseTopology({
  name: "two-zones",
  zones: [{ name: "a", region: "r" }, { name: "b", region: "r" }],
  members: [{ id: 1, zone: "a" }, { id: 2, zone: "a" }, { id: 3, zone: "b", datalogMb: 16 }],
  latency: [{ zones: ["a", "b"], rttMs: 2 }],
});

describe("zones on hosts", () => {
  it("runs every zone here unless a host is named", () => {
    expect(spansHosts(base)).to.equal(false);
    expect(hostOfMember(base, 3)).to.equal("local");
  });

  it("places zones on engines from --hosts, and says which run elsewhere", () => {
    const t = placeOnHosts(base, parseHostsOption("a=ssh://ops@zk2"));
    expect(remoteHosts(t)).to.deep.equal(["ssh://ops@zk2"]);
    expect(hostOfMember(t, 1)).to.equal("ssh://ops@zk2");
    expect(hostOfMember(t, 3)).to.equal("local");
  });

  it("refuses a zone the topology lacks, and a member whose disk must stay on this machine", () => {
    expect(() => placeOnHosts(base, { c: "tcp://zk3:2376" })).to.throw(TopologyError, /"c" is not a zone of two-zones; zones are a, b/);
    expect(() => placeOnHosts(base, { b: "tcp://zk3:2376" })).to.throw(TopologyError, /member 3: its dataLogDir disk \(datalogMb\) is a loop mount on this machine/);
  });

  it("reads ZONE=ENGINE pairs and names a malformed one", () => {
    expect(parseHostsOption("a=unix:///x.sock, b=ctx")).to.deep.equal({ a: "unix:///x.sock", b: "ctx" });
    expect(() => parseHostsOption("a")).to.throw(/"a": write ZONE=ENGINE/);
  });
});

describe("zkdrill plan on hosts", () => {
  it("shows the host each zone runs on, and nothing for zones on this machine", () => {
    const t = placeOnHosts(base, { a: "ssh://ops@zk2" });
    const text = renderPlan(t, analyse(t));
    expect(text).to.include("a (region r, on host ssh://ops@zk2): 1 2");
    expect(text).to.include("b (region r): 3");
  });
});
