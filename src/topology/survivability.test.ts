import { expect } from "chai";
import fc from "fast-check";
import { join } from "node:path";
import { analyse, loadTopology, parseTopology, quorumOf } from ".";

const catalog = (name: string) => loadTopology(join(__dirname, "..", "..", "drills", "topologies", `${name}.yaml`));
const survives = (name: string, lost: string) => {
  const s = analyse(catalog(name)).scenarios.find((x) => x.lost === lost);
  if (!s) throw new Error(`no scenario "${lost}" for ${name}`);
  return s.survives;
};

describe("survivability analysis", () => {
  it("P1: 5 configured, 3 running means quorum 3 and no failure tolerated", () => {
    const s = analyse(catalog("p1-phantom-members"));
    expect(s.configuredVoters).to.deep.equal([1, 2, 3, 4, 5]);
    expect(s.runningVoters).to.deep.equal([1, 2, 3]);
    expect(s.quorum).to.equal(3);
    expect(s.toleratedFailures).to.equal(0);
    expect(s.warnings.join("\n")).to.match(/P1: voters 4, 5 are configured but not started/);
    const fixed = analyse(catalog("p1-listed-members-only"));
    expect([fixed.quorum, fixed.toleratedFailures]).to.deep.equal([2, 1]);
  });

  describe("P8 verdicts come out of the analysis", () => {
    it("one DC: survives node loss, not DC loss", () => {
      expect(analyse(catalog("p8-one-dc")).toleratedFailures).to.equal(2);
      expect(survives("p8-one-dc", "zone dc1")).to.equal(false);
    });
    it("two DCs in one city: losing the majority DC loses quorum", () => {
      expect(survives("p8-two-dc-same-city", "zone dc1")).to.equal(false);
      expect(survives("p8-two-dc-same-city", "zone dc2")).to.equal(true);
      expect(analyse(catalog("p8-two-dc-same-city")).warnings.join()).to.match(/zone dc1 holds a majority/);
    });
    it("three DCs in one city: any one DC, but not the city", () => {
      for (const z of ["dc1", "dc2", "dc3"]) expect(survives("p8-three-dc-same-city", `zone ${z}`)).to.equal(true);
      expect(analyse(catalog("p8-three-dc-same-city")).scenarios.filter((s) => s.kind === "zone-pair").every((s) => !s.survives)).to.equal(true);
    });
    it("two regions three DCs: any one DC including production survives", () => {
      for (const z of ["a1", "a2", "b1"]) expect(survives("p8-two-regions-three-dc", `zone ${z}`)).to.equal(true);
      expect(survives("p8-two-regions-three-dc", "region b")).to.equal(true);
      expect(survives("p8-two-regions-three-dc", "region a")).to.equal(false);
    });
    it("remote observers: losing production loses quorum, and observers are flagged", () => {
      const s = analyse(catalog("p8-remote-observers"));
      expect(survives("p8-remote-observers", "zone a1")).to.equal(false);
      expect(s.observers).to.deep.equal([4, 5]);
      expect(s.warnings.join("\n")).to.match(/losing zone a1 leaves voters 3 \(under the quorum of 2\) and observers 4, 5/).and.match(/losing region a leaves only observers 4, 5 with no quorum/);
    });
    it("independent ensembles: each survives any one of its DCs", () => {
      for (const z of ["a1", "a2", "a3"]) expect(survives("p8-independent-ensembles", `zone ${z}`)).to.equal(true);
    });
  });

  it("P7: production lost, still serving; production and zone 2 lost, quorum lost", () => {
    expect(survives("p7-two-regions-three-centres", "zone a1")).to.equal(true);
    expect(survives("p7-two-regions-three-centres", "zones a1+a2")).to.equal(false);
  });

  it("P2: losing AZ1 leaves member 3 alone without quorum", () => {
    const s = analyse(catalog("p2-two-az-standby"));
    expect(s.configuredVoters).to.deep.equal([1, 2, 3]);
    expect(s.scenarios.find((x) => x.lost === "zone az1")).to.include({ survives: false });
  });

  describe("warnings, one per layout they are for", () => {
    const layout = (zones: Record<string, number[]>, observers: number[] = []) =>
      analyse(
        parseTopology({
          name: "layout",
          zones: Object.keys(zones).map((name) => ({ name, region: "r" })),
          latency: Object.keys(zones).flatMap((a, i) => Object.keys(zones).slice(i + 1).map((b) => ({ zones: [a, b], rttMs: 1 }))),
          members: Object.entries(zones).flatMap(([zone, ids]) => ids.map((id) => ({ id, zone, ...(observers.includes(id) ? { role: "observer" as const } : {}) }))),
        }),
      ).warnings.join("\n");

    it("2+2: no zone holds a majority, yet losing either zone loses quorum", () => {
      const w = layout({ az1: [1, 2], az2: [3, 4] });
      expect(w).to.match(/no zone holds a majority, yet losing either zone loses quorum \(zone az1 leaves 2, zone az2 leaves 2 of 4 voters; quorum is 3\)/);
      expect(w).to.not.match(/holds a majority \(/);
    });

    it("2+1: the zone holding the majority is named, and no minority warning", () => {
      const w = layout({ az1: [1, 2], az2: [3] });
      expect(w).to.match(/zone az1 holds a majority \(2 of 3 voters\): losing it loses quorum/);
      expect(w).to.not.match(/no majority/);
    });

    it("2+2+1: losing any one zone keeps quorum, so no zone warning", () => {
      expect(layout({ a: [1, 2], b: [3, 4], c: [5] })).to.not.match(/zone|majority/);
    });

    it("observers with voters left: names both, and does not say only observers", () => {
      const w = layout({ prod: [1, 2, 3], dr: [4, 6, 7] }, [6, 7]);
      expect(w).to.match(/losing zone prod leaves voters 4 \(under the quorum of 3\) and observers 6, 7, which never vote/);
      expect(w).to.not.match(/leaves only observers/);
    });

    it("observers with no voter left: only observers", () => {
      expect(layout({ prod: [1, 2, 3], dr: [4, 5] }, [4, 5])).to.match(/losing zone prod leaves only observers 4, 5 with no quorum/);
    });
  });

  it("warns about an even number of voters", () => {
    const s = analyse(parseTopology({ name: "even", zones: [{ name: "z", region: "r" }], members: [1, 2, 3, 4].map((id) => ({ id, zone: "z" })) }));
    expect(s.warnings.join()).to.match(/4 voters is even/);
  });

  it("matches a brute-force count of surviving voters on random topologies", () => {
    const arb = fc
      .record({
        zoneCount: fc.integer({ min: 1, max: 4 }),
        members: fc.array(fc.record({ zone: fc.nat(3), observer: fc.boolean(), standby: fc.boolean() }), { minLength: 1, maxLength: 9 }),
      })
      .filter(({ members }) => members.some((m) => !m.observer && !m.standby));
    fc.assert(
      fc.property(arb, ({ zoneCount, members }) => {
        const zones = Array.from({ length: zoneCount }, (_, i) => ({ name: `z${i}`, region: `r${i % 2}` }));
        const latency = zones.flatMap((a, i) => zones.slice(i + 1).map((b) => ({ zones: [a.name, b.name] as [string, string], rttMs: 1 })));
        const ms = members.map((m, i) => ({ id: i + 1, zone: `z${m.zone % zoneCount}`, role: m.observer ? ("observer" as const) : ("participant" as const), standby: m.standby }));
        const t = parseTopology({ name: "random", zones, members: ms, latency });
        const s = analyse(t);
        const voters = ms.filter((m) => m.role === "participant");
        expect(s.quorum).to.equal(Math.floor(voters.length / 2) + 1);
        for (const sc of s.scenarios) {
          // Brute force: count, member by member, the running voters outside the lost zones.
          let alive = 0;
          for (const m of ms) if (m.role === "participant" && !m.standby && !sc.lostZones.includes(m.zone)) alive++;
          expect(sc.survives).to.equal(alive * 2 > voters.length);
          expect(sc.aliveVoters.length).to.equal(alive);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("computes quorum as the smallest majority", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumOf)).to.deep.equal([1, 2, 2, 3, 3, 4, 4]);
  });
});

describe("P8: each of seed 003's six deployment schemes gets the seed's verdict from the planner", () => {
  // seed 003's table (P8 (docs/procedures.md)), scheme by scheme.
  const SEED: ReadonlyArray<readonly [string, string]> = [
    ["p8-one-dc", "not enough"],
    ["p8-two-dc-same-city", "not enough"],
    ["p8-three-dc-same-city", "fine, without regional DR"],
    ["p8-two-regions-three-dc", "recommended"],
    ["p8-remote-observers", "not recommended"],
    ["p8-independent-ensembles", "works, complex"],
  ];
  for (const [name, verdict] of SEED) {
    it(`${name}: ${verdict}`, () => {
      expect(analyse(catalog(name)).scheme.verdict).to.equal(verdict);
    });
  }

  it("says why: the zone whose loss loses the quorum, the observers left, the region a layout cannot lose", () => {
    expect(analyse(catalog("p8-two-dc-same-city")).scheme.why).to.equal("losing zone dc1 loses the quorum");
    expect(analyse(catalog("p8-one-dc")).scheme.why).to.match(/survives a member's loss, not the data centre's/);
    expect(analyse(catalog("p8-remote-observers")).scheme.why).to.match(/observers 4, 5 serve on only after a manual switch/);
    expect(analyse(catalog("p8-three-dc-same-city")).scheme.why).to.match(/all in region city: not the region's loss/);
  });
});
