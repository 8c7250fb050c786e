import { expect } from "chai";
import { parseTopology, Topology } from "../topology";
import { Degradation, degradationToxics, degradedStreams, describeDegradation, validateDegradation } from "./degrade";
import { wiringOf } from "./wiring";

const t: Topology = parseTopology({
  name: "two-regions",
  zones: [
    { name: "a", region: "r1" },
    { name: "b", region: "r2" },
    { name: "c", region: "r2" },
  ],
  members: [1, 2, 3].map((id) => ({ id, zone: ["a", "b", "c"][id - 1] })),
  latency: [
    { zones: ["a", "b"], rttMs: 30 },
    { zones: ["a", "c"], rttMs: 30 },
    { zones: ["b", "c"], rttMs: 2 },
  ],
});
const proxyOf = (member: number, source: string) => wiringOf(t).gateways.find((g) => g.member === member)!.proxies.find((p) => p.name === `from-${source}-2888`)!;

describe("degraded links between zones", () => {
  const d: Degradation = { from: ["a"], to: ["b"], bandwidthKBps: 64 };

  it("reaches both streams of the proxies between the two zones, and no other link", () => {
    expect(degradedStreams("b", proxyOf(2, "a"), d)).to.deep.equal(["upstream", "downstream"]);
    expect(degradedStreams("a", proxyOf(1, "b"), d)).to.deep.equal(["upstream", "downstream"]);
    expect(degradedStreams("c", proxyOf(3, "a"), d)).to.deep.equal([]);
    expect(degradedStreams("c", proxyOf(3, "b"), d)).to.deep.equal([]);
  });

  it("one way: only the bytes from `from` to `to`", () => {
    const one = { ...d, oneWay: true };
    // In front of member 2 (zone b), serving a: a -> b bytes go upstream.
    expect(degradedStreams("b", proxyOf(2, "a"), one)).to.deep.equal(["upstream"]);
    // In front of member 1 (zone a), serving b: a -> b bytes are its replies, downstream.
    expect(degradedStreams("a", proxyOf(1, "b"), one)).to.deep.equal(["downstream"]);
  });

  it("names each toxic with its tag, type and stream, in Toxiproxy's attribute names", () => {
    const all = degradationToxics({ ...d, slicer: { averageBytes: 64, variationBytes: 16, delayUs: 500 }, slowCloseMs: 2000, extraLatencyMs: 101 }, "downstream", "degrade1");
    expect(all.map((x) => x.name)).to.deep.equal(["degrade1-latency-downstream", "degrade1-bandwidth-downstream", "degrade1-slicer-downstream", "degrade1-slow_close-downstream"]);
    expect(all[0].attributes.latency).to.equal(51);
    expect(all[2].attributes).to.deep.equal({ average_size: 64, size_variation: 16, delay: 500 });
    expect(degradationToxics({ ...d, extraLatencyMs: 101 }, "upstream", "x")[0].attributes.latency).to.equal(50);
  });

  it("refuses what Toxiproxy cannot do or what names nothing, naming the field", () => {
    const bad: Array<[Partial<Degradation>, RegExp]> = [
      [{ to: ["z"] }, /degrade\.to: "z" is not a zone; zones are a, b, c/],
      [{ from: [] }, /degrade\.from: empty/],
      [{ to: ["a"] }, /on both sides/],
      [{ bandwidthKBps: 0.5 }, /degrade\.bandwidthKBps: 0\.5 must be a whole number of KB\/s/],
      [{ bandwidthKBps: undefined }, /nothing to degrade/],
      [{ slicer: { averageBytes: 10, variationBytes: 10 } }, /slicer\.variationBytes: 10 must be 0 or more and below averageBytes/],
    ];
    for (const [change, message] of bad) expect(() => validateDegradation(t, { ...d, ...change } as Degradation)).to.throw(message);
    expect(() => validateDegradation(t, d)).not.to.throw();
  });

  it("describes itself for the journal", () => {
    expect(describeDegradation({ ...d, slowCloseMs: 500 })).to.equal("a <-> b: 64 KB/s, closes 500 ms late");
  });
});
