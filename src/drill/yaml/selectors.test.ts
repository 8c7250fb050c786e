import { expect } from "chai";
import { SeededRandom } from "../../common/random";
import { parseTopology, Topology } from "../../topology";
import type { MemberSelector } from "./schema";
import { Saved, SavedQuorum, SelectorContext, SelectorError, selectorProblems, SelectorResolver } from "./selectors";

// a1 {1, 2}, a2 {3}, b1 {4, 5 (an observer)}
const topology: Topology = parseTopology({
  name: "t",
  zones: [
    { name: "a1", region: "a" },
    { name: "a2", region: "a" },
    { name: "b1", region: "b" },
  ],
  members: [
    { id: 1, zone: "a1" },
    { id: 2, zone: "a1" },
    { id: 3, zone: "a2" },
    { id: 4, zone: "b1" },
    { id: 5, zone: "b1", role: "observer" },
  ],
  latency: [
    { zones: ["a1", "a2"], rttMs: 2 },
    { zones: ["a1", "b1"], rttMs: 30 },
    { zones: ["a2", "b1"], rttMs: 30 },
  ],
});

/** A minimal live ensemble: a scripted quorum, a running set, a seeded random. */
class FakeEnsemble implements SelectorContext {
  quorumCalls = 0;
  readonly random = new SeededRandom(42);
  constructor(
    public live: SavedQuorum,
    public runningIds: number[] = [1, 2, 3, 4, 5],
  ) {}
  readonly topology = topology;
  async runningMembers(): Promise<number[]> {
    return [...this.runningIds];
  }
  async quorum(): Promise<SavedQuorum> {
    this.quorumCalls++;
    return this.live;
  }
  membersIn(zone: string): number[] {
    return topology.members.filter((m) => m.zone === zone).map((m) => m.id);
  }
}

const live: SavedQuorum = { leader: 3, followers: [1, 2, 4], observers: [5], epoch: 2 };
const saved = new Map<string, Saved>([
  ["before", { kind: "quorum", quorum: { leader: 1, followers: [2, 3, 4], observers: [5], epoch: 1 } }],
  ["victims", { kind: "members", ids: [4, 2] }],
]);

async function resolve(sel: MemberSelector, ensemble = new FakeEnsemble(live)): Promise<number[]> {
  return new SelectorResolver(ensemble, saved).resolve(sel);
}

describe("YAML drills: member selectors", () => {
  describe("resolved when the step runs", () => {
    const cases: Array<[MemberSelector, number[]]> = [
      [3, [3]],
      [[4, 1], [4, 1]],
      ["leader", [3]],
      ["followers", [1, 2, 4]],
      ["observers", [5]],
      ["running", [1, 2, 3, 4, 5]],
      ["all", [1, 2, 3, 4, 5]],
      // Below, the leader is 2 for this one: its zone-mate in a1 is 1.
      ["leader-zone-mate", [1]],
      [{ zone: "b1" }, [4, 5]],
      ["$before", [1, 2, 3, 4, 5]],
      ["$before.leader", [1]],
      ["$before.followers", [2, 3, 4]],
      ["$before.observers", [5]],
      ["$victims", [4, 2]],
      [{ except: "$before.leader" }, [2, 3, 4, 5]],
      [{ except: "leader", of: { zone: "a1" } }, [1, 2]],
      [{ except: { except: 1, of: { zone: "a1" } }, of: "all" }, [1, 3, 4, 5]],
    ];
    for (const [sel, ids] of cases) {
      it(`${JSON.stringify(sel)} -> ${ids.join(", ")}`, async () => {
        const ensemble = new FakeEnsemble(sel === "leader-zone-mate" ? { ...live, leader: 2, followers: [1, 3, 4] } : live);
        expect(await resolve(sel, ensemble)).to.deep.equal(ids);
      });
    }

    it("running is the live running set, not the topology", async () => {
      expect(await resolve("running", new FakeEnsemble(live, [2, 3]))).to.deep.equal([2, 3]);
      expect(await resolve({ except: 3 }, new FakeEnsemble(live, [2, 3]))).to.deep.equal([2]);
    });

    it("reads the live quorum once per step, so leader and followers describe one moment", async () => {
      const ensemble = new FakeEnsemble(live);
      const resolver = new SelectorResolver(ensemble, saved);
      await resolver.resolve("leader");
      await resolver.resolve({ except: "leader", of: "followers" });
      expect(ensemble.quorumCalls).to.equal(1);
      await new SelectorResolver(ensemble, saved).resolve("leader");
      expect(ensemble.quorumCalls).to.equal(2);
    });

    it("random-follower is d.random.pick over the live followers: the same seed picks the same member", async () => {
      const picks = async (seed: number) => {
        const ensemble = new FakeEnsemble(live);
        (ensemble as { random: SeededRandom }).random = new SeededRandom(seed);
        const out: number[] = [];
        for (let i = 0; i < 6; i++) out.push(...(await new SelectorResolver(ensemble, saved).resolve("random-follower")));
        return out;
      };
      const first = await picks(7);
      expect(first.every((id) => live.followers.includes(id))).to.equal(true);
      expect(await picks(7)).to.deep.equal(first);
      const expected = new SeededRandom(7);
      expect(first).to.deep.equal(Array.from({ length: 6 }, () => expected.pick(live.followers)));
    });

    it("says why when the live ensemble has no such member", async () => {
      const lone = new FakeEnsemble({ leader: 3, followers: [], observers: [], epoch: 1 });
      await resolve("leader-zone-mate", lone).then(
        () => expect.fail("expected an error"),
        (err) => expect(err).to.be.instanceOf(SelectorError).with.property("message", "leader-zone-mate: the leader, member 3, is alone in zone a2"),
      );
      await resolve("random-follower", lone).then(
        () => expect.fail("expected an error"),
        (err) => expect((err as Error).message).to.equal("random-follower: the leader, member 3, has no followers"),
      );
    });
  });

  describe("checked before anything starts", () => {
    const valid: unknown[] = [1, [1, 2], "leader", "random-follower", "$before", "$before.followers", { zone: "a1" }, { except: "leader" }, { except: [1], of: { zone: "a1" } }];
    for (const sel of valid) it(`accepts ${JSON.stringify(sel)}`, () => expect(selectorProblems(sel)).to.deep.equal([]));

    const invalid: Array<[unknown, string]> = [
      [0, "0 is not a member id; ids are whole numbers 1..255 (ZooKeeper's myid)"],
      [[], "an empty list selects nobody; list member ids"],
      [[1, 1], "[1]: member 1 is listed twice; list each member once"],
      [[1, "leader"], '[1]: "leader" is not a member id; a list holds ids 1..255 only (combine selectors with {except: ..., of: ...})'],
      ["$Before", '"$Before" is not a saved name; write $ and the name a step saved, lowercase letters, digits and dashes'],
      [{ zone: "a1", of: "all" }, '{zone: ...} takes no other field; remove "of"'],
      [{ zones: "a1" }, '{"zones":"a1"} is not a member selector (did you mean "zone"?); a selector object is {zone: name} or {except: <selector>, of: <selector>}'],
      [{ except: "folowers" }, '.except: "folowers" is not a member selector (did you mean "followers"?); use a member id, a list of ids, leader, followers, observers, running, all, random-follower, leader-zone-mate, {zone: ...}, $saved (or $saved.leader, $saved.followers, $saved.observers) or {except: ..., of: ...}'],
      [true, "true is not a member selector; use a member id, a list of ids, leader, followers, observers, running, all, random-follower, leader-zone-mate, {zone: ...}, $saved (or $saved.leader, $saved.followers, $saved.observers) or {except: ..., of: ...}"],
    ];
    for (const [sel, message] of invalid) {
      it(`rejects ${JSON.stringify(sel)}`, () => expect(selectorProblems(sel).map((p) => `${p.at}${p.at ? ": " : ""}${p.message}`)).to.deep.equal([message]));
    }
  });
});
