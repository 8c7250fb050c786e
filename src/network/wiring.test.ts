import { expect } from "chai";
import fc from "fast-check";
import { parseTopology, Topology } from "../topology";
import { CutError, CutSpec, isolate, linkToxics, proxyStateUnder, validateCut, wiringOf } from "./wiring";
import { dialTimeoutMs } from "./zone-network";

// P7's shape: a1 {1,2} --2 ms-- a2 {3}; both --30 ms (jitter 4, 512 KB/s)-- b1 {4,5}
const p7: Topology = parseTopology({
  name: "p7",
  zones: [
    { name: "a1", region: "a" },
    { name: "a2", region: "a" },
    { name: "b1", region: "b" },
  ],
  members: [1, 2, 3, 4, 5].map((id) => ({ id, zone: id <= 2 ? "a1" : id === 3 ? "a2" : "b1" })),
  latency: [
    { zones: ["a1", "a2"], rttMs: 2 },
    { zones: ["a1", "b1"], rttMs: 30, jitterMs: 4, bandwidthKBps: 512 },
    { zones: ["a2", "b1"], rttMs: 30 },
  ],
});

const gateway = (id: number) => wiringOf(p7).gateways.find((g) => g.member === id)!;
const proxy = (id: number, name: string) => gateway(id).proxies.find((p) => p.name === name)!;

describe("zone network wiring", () => {
  it("puts no gateway in a single-zone topology", () => {
    const one = parseTopology({ name: "one", zones: [{ name: "z", region: "r" }], members: [{ id: 1, zone: "z" }] });
    expect(wiringOf(one).gateways).to.deep.equal([]);
  });

  it("gives a member on another host a proxy for clients in its own zone, never cut and with no latency: the host's way in", () => {
    const spread = { ...p7, zones: p7.zones.map((z) => (z.name === "b1" ? { ...z, host: "unix:///var/run/docker-h2.sock" } : z)) };
    const g = wiringOf(spread).gateways.find((x) => x.member === 4)!;
    const access = g.proxies.find((p) => p.name === "client-in-b1")!;
    expect(access).to.include({ kind: "client", sourceZone: "b1", upstreamPort: 2181 });
    expect(access.linkToxics).to.deep.equal([]);
    expect(proxyStateUnder("b1", access, [isolate(spread, "b1", "reset")])).to.deep.equal({ enabled: true, blackhole: [] });
    expect(wiringOf(spread).gateways.find((x) => x.member === 1)!.proxies.some((p) => p.name.startsWith("client-in-"))).to.equal(false);
  });

  it("gives up on an unanswered dial after a few round trips of the slowest link, only when zones span hosts", () => {
    expect(dialTimeoutMs(p7)).to.equal(5_000);
    const spread = { ...p7, zones: p7.zones.map((z) => (z.name === "b1" ? { ...z, host: "unix:///var/run/docker-h2.sock" } : z)) };
    expect(dialTimeoutMs(spread), "30 ms links: the 1 s floor").to.equal(1_000);
    const far = { ...spread, links: spread.links.map((l) => ({ ...l, rttMs: 400, jitterMs: 0 })) };
    expect(dialTimeoutMs(far), "400 ms links: four round trips and 500 ms").to.equal(2_100);
  });

  it("gives each member a gateway on every other zone: 3 ports and a client proxy per source zone", () => {
    const g = gateway(3);
    expect(g.servesZones).to.deep.equal(["a1", "b1"]);
    expect(g.proxies.map((p) => p.name).sort()).to.deep.equal(
      ["from-a1-2181", "from-a1-2888", "from-a1-3888", "client-from-a1", "from-b1-2181", "from-b1-2888", "from-b1-3888", "client-from-b1"].sort(),
    );
    expect(proxy(3, "client-from-b1").upstreamPort).to.equal(2181);
    expect(proxy(3, "client-from-a1").listenPort).not.to.equal(proxy(3, "client-from-b1").listenPort);
  });

  it("splits the round trip and jitter across the two directions; bandwidth applies to each", () => {
    expect(linkToxics(p7, "a1", "b1")).to.deep.equal([
      { name: "latency-upstream", type: "latency", stream: "upstream", attributes: { latency: 15, jitter: 2 } },
      { name: "latency-downstream", type: "latency", stream: "downstream", attributes: { latency: 15, jitter: 2 } },
      { name: "bandwidth-upstream", type: "bandwidth", stream: "upstream", attributes: { rate: 512 } },
      { name: "bandwidth-downstream", type: "bandwidth", stream: "downstream", attributes: { rate: 512 } },
    ]);
    expect(proxy(1, "from-a2-2888").linkToxics.map((t) => t.attributes.latency)).to.deep.equal([1, 1]);
  });

  it("adds up to the configured round trip on every cross-zone path, whichever end is which", () => {
    for (const g of wiringOf(p7).gateways) {
      for (const p of g.proxies) {
        const lat = p.linkToxics.filter((t) => t.type === "latency").reduce((sum, t) => sum + t.attributes.latency, 0);
        const link = p7.links.find((l) => l.zones.includes(g.zone) && l.zones.includes(p.sourceZone))!;
        expect(lat, `${g.member}/${p.name}`).to.equal(link.rttMs);
      }
    }
  });

  it("a reset between two zones disables exactly the proxies between them, both ways", () => {
    const cut: CutSpec = { from: ["a1"], to: ["b1"], mode: "reset" };
    expect(proxyStateUnder("b1", proxy(4, "from-a1-2888"), [cut])).to.deep.equal({ enabled: false, blackhole: [] });
    expect(proxyStateUnder("a1", proxy(1, "from-b1-3888"), [cut])).to.deep.equal({ enabled: false, blackhole: [] });
    expect(proxyStateUnder("a1", proxy(1, "from-a2-2888"), [cut])).to.deep.equal({ enabled: true, blackhole: [] });
  });

  it("a one-way blackhole holds only the bytes going that way", () => {
    const cut: CutSpec = { from: ["a1"], to: ["b1"], mode: "blackhole", oneWay: true };
    // At b1's gateway, a1 callers' bytes travel upstream (a1 -> b1): held.
    expect(proxyStateUnder("b1", proxy(4, "from-a1-2888"), [cut]).blackhole).to.deep.equal(["upstream"]);
    // At a1's gateway, b1 callers get answers downstream (a1 -> b1): held; their requests still arrive.
    expect(proxyStateUnder("a1", proxy(1, "from-b1-2888"), [cut]).blackhole).to.deep.equal(["downstream"]);
  });

  it("isolating a zone affects every proxy touching it and none elsewhere (any zone, any mode)", () => {
    fc.assert(
      fc.property(fc.constantFrom("a1", "a2", "b1"), fc.constantFrom("reset" as const, "blackhole" as const), (zone, mode) => {
        const cut = isolate(p7, zone, mode);
        for (const g of wiringOf(p7).gateways) {
          for (const p of g.proxies) {
            const st = proxyStateUnder(g.zone, p, [cut]);
            const touched = g.zone === zone || p.sourceZone === zone;
            const affected = !st.enabled || st.blackhole.length > 0;
            if (affected !== touched) return false;
            if (touched && mode === "blackhole" && st.blackhole.length !== 2) return false;
          }
        }
        return true;
      }),
    );
  });

  it("rejects cuts that name no zone, a zone on both sides, or a one-way reset, saying the fix", () => {
    expect(() => validateCut(p7, { from: ["a1"], to: ["zz"], mode: "reset" })).to.throw(CutError, /cut\.to: "zz" is not a zone; zones are a1, a2, b1/);
    expect(() => validateCut(p7, { from: ["a1"], to: ["a1", "b1"], mode: "reset" })).to.throw(CutError, /on both sides/);
    expect(() => validateCut(p7, { from: [], to: ["b1"], mode: "reset" })).to.throw(CutError, /cut\.from: empty/);
    expect(() => validateCut(p7, { from: ["a1"], to: ["b1"], mode: "reset", oneWay: true })).to.throw(CutError, /use mode: "blackhole"/);
  });
});

describe("odd round trips", () => {
  it("puts whole milliseconds on each direction, adding up to the round trip (Toxiproxy refuses fractions)", () => {
    const t = parseTopology({
      name: "odd",
      zones: [
        { name: "x", region: "r" },
        { name: "y", region: "r" },
      ],
      members: [
        { id: 1, zone: "x" },
        { id: 2, zone: "y" },
      ],
      latency: [{ zones: ["x", "y"], rttMs: 1, jitterMs: 3 }],
    });
    const [up, down] = linkToxics(t, "x", "y");
    expect([up.attributes.latency, down.attributes.latency]).to.deep.equal([0, 1]);
    expect([up.attributes.jitter, down.attributes.jitter]).to.deep.equal([1, 2]);
  });
});
