import { expect } from "chai";
import { linksOf, hears } from "./shapes";

const five = [1, 2, 3, 4, 5];
const quorum = (n: number) => Math.floor(n / 2) + 1;

describe("partition shapes (Jepsen's nemeses) as cut links", () => {
  it("isolate: one member reaches nobody, the rest still all reach each other", () => {
    const r = hears(five, linksOf({ kind: "isolate", member: 3 }, five));
    expect(r.get(3)).to.deep.equal([3]);
    expect(r.get(1)).to.deep.equal([1, 2, 4, 5]);
  });

  it("halves: no link across, every link within", () => {
    const r = hears(five, linksOf({ kind: "halves", sides: [[1, 2], [3, 4, 5]] }, five));
    expect(r.get(1)).to.deep.equal([1, 2]);
    expect(r.get(4)).to.deep.equal([3, 4, 5]);
  });

  it("bridge: the two sides meet only through the bridge member", () => {
    const r = hears(five, linksOf({ kind: "bridge", bridge: 3, sides: [[1, 2], [4, 5]] }, five));
    expect(r.get(3)).to.deep.equal(five);
    expect(r.get(1)).to.deep.equal([1, 2, 3]);
    expect(r.get(5)).to.deep.equal([3, 4, 5]);
  });

  it("majorities ring: every member hears a bare majority, no two the same one", () => {
    for (const ring of [five, [1, 2, 3, 4, 5, 6, 7]]) {
      const r = hears(ring, linksOf({ kind: "majorities-ring", ring }, ring));
      const views = [...r.values()].map((v) => v.join(","));
      for (const v of r.values()) expect(v.length).to.equal(quorum(ring.length));
      expect(new Set(views).size).to.equal(ring.length);
    }
  });

  it("one-way: only the named direction is cut", () => {
    expect(linksOf({ kind: "one-way", from: [1], to: [2, 3] }, five, "reject")).to.deep.equal([
      { from: 1, to: 2, mode: "reject" },
      { from: 1, to: 3, mode: "reject" },
    ]);
  });

  it("refuses a member not in the ensemble, a duplicate, an empty side and a ring too small, naming the field", () => {
    expect(() => linksOf({ kind: "isolate", member: 9 }, five)).to.throw(/isolate\.member: member\(s\) 9 are not in the ensemble; members are 1, 2, 3, 4, 5/);
    expect(() => linksOf({ kind: "halves", sides: [[1, 1], [2]] }, five)).to.throw(/halves\.sides: a member is listed twice/);
    expect(() => linksOf({ kind: "halves", sides: [[], [1]] }, five)).to.throw(/halves\.sides: both sides need a member/);
    expect(() => linksOf({ kind: "majorities-ring", ring: [1, 2, 3] }, [1, 2, 3])).to.throw(/needs 5 or more members/);
  });
});
