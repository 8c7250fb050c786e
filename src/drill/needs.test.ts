import { expect } from "chai";
import { parseTopology } from "../topology";
import { missingNeeds } from "./needs";

describe("drill needs against a topology (--topology)", () => {
  const t = parseTopology({ name: "mine", zones: [{ name: "east", region: "r" }], members: [1, 2, 3].map((id) => ({ id, zone: "east" })) });
  it("says nothing is missing when the layout has what the drill names", () => {
    expect(missingNeeds({ voters: 3, zones: ["east"], members: [1, 2] }, t)).to.deep.equal([]);
    expect(missingNeeds(undefined, t)).to.deep.equal([]);
  });
  it("names each missing zone, member, voter count, standby and observer, with what there is", () => {
    const m = missingNeeds({ voters: 5, zones: ["a1"], members: [6], standbys: 2, observers: 1 }, t);
    expect(m).to.deep.equal([
      "5 running voters (the topology has 3: 1, 2, 3)",
      'zone "a1" (zones are east; name yours so, or choose a drill for your layout)',
      "member(s) 6 (members are 1, 2, 3)",
      "2 standby member(s) (the topology has 0)",
      "1 observer(s) (the topology has 0)",
    ]);
  });
});
