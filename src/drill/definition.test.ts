import { expect } from "chai";
import { memberFiles, parseTopology } from "../topology";
import { readOnlyModeTopology } from "./definition";

const three = parseTopology({ name: "t", zones: [{ name: "z", region: "r" }], members: [1, 2, 3].map((id) => ({ id, zone: "z" })) });

describe("readOnlyModeTopology", () => {
  it("gives every member local sessions (3.6.2+ read-only servers create no global session), upgradable for ephemerals", () => {
    const t = readOnlyModeTopology({ readOnlyMode: true }, three, "3.8.6");
    for (const id of [1, 2, 3]) {
      const cfg = memberFiles(t, id, "3.8.6")["zoo.cfg"];
      expect(cfg).to.include("localSessionsEnabled=true");
      expect(cfg).to.include("localSessionsUpgradingEnabled=true");
    }
  });

  it("leaves a drill without read-only mode, and 3.4 (no local sessions), as they are", () => {
    expect(readOnlyModeTopology({}, three, "3.8.6")).to.equal(three);
    expect(readOnlyModeTopology({ readOnlyMode: true }, three, "3.4.14")).to.equal(three);
  });
});
