// Which serving members are "this ensemble": P5's source, still serving beside the new ensemble, is not.
import { expect } from "chai";
import { parseTopology } from "../topology";
import { Serving, thisEnsemble } from "./expect-reconciled";

const p5 = parseTopology({
  name: "p5",
  zones: [{ name: "dc1", region: "r" }],
  members: [
    { id: 1, zone: "dc1" },
    { id: 2, zone: "dc1" },
    { id: 3, zone: "dc1" },
    { id: 4, zone: "dc1", servers: [4, 5, 6] },
    { id: 5, zone: "dc1", servers: [4, 5, 6] },
    { id: 6, zone: "dc1", servers: [4, 5, 6] },
  ],
});

const at = (mode: Serving["mode"], epoch: number): Serving => ({ serving: true, mode, zxid: BigInt(epoch) << 32n, epoch, nodeCount: 0, raw: "" });

describe("reconciliation: this ensemble's serving members", () => {
  it("during P5's cut-over, the newest leader's ensemble is compared and the source is another ensemble", () => {
    const serving = new Map([
      [1, at("follower", 1)],
      [2, at("leader", 1)],
      [3, at("follower", 1)],
      [4, at("follower", 2)],
      [5, at("leader", 2)],
      [6, at("follower", 2)],
    ]);
    const { members, others } = thisEnsemble(p5, serving);
    expect(members).to.deep.equal([4, 5, 6]);
    expect(Object.keys(others)).to.deep.equal(["1", "2", "3"]);
    expect(others[2]).to.match(/another ensemble's member \(leader, epoch 1\); this one's leader is 5/);
  });

  it("one ensemble: every serving member, observers included", () => {
    const t = parseTopology({ name: "o", zones: [{ name: "dc1", region: "r" }], members: [{ id: 1, zone: "dc1" }, { id: 2, zone: "dc1" }, { id: 3, zone: "dc1" }, { id: 4, zone: "dc1", role: "observer" }] });
    const serving = new Map([[1, at("follower", 3)], [2, at("leader", 3)], [4, at("observer", 3)]]);
    expect(thisEnsemble(t, serving)).to.deep.equal({ members: [1, 2, 4], others: {} });
  });
});
