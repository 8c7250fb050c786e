import { expect } from "chai";
import { memberFiles, parseTopology, rewrite } from ".";
import { lineOf, versionAtLeast } from "./versions";

const three = parseTopology({ name: "t", zones: [{ name: "az1", region: "r" }], members: [1, 2, 3].map((id) => ({ id, zone: "az1" })) });

describe("ZooKeeper lines: the config each one expects", () => {
  it("compares versions and knows each line's features", () => {
    expect(versionAtLeast("3.5.9", "3.5")).to.equal(true);
    expect(versionAtLeast("3.4.14", "3.5")).to.equal(false);
    expect(versionAtLeast("3.10.0", "3.9.5")).to.equal(true);
    expect(lineOf("3.4.14")).to.include({ line: "3.4", dynamicConfig: false, fourLetterWhitelist: false, configZnode: false });
    expect(lineOf("3.5.8")).to.include({ fourLetterWhitelist: true, snapshotTrustEmpty: true, reconfig: true });
    expect(lineOf("3.5.5").snapshotTrustEmpty).to.equal(false);
  });

  it("writes no four-letter-word whitelist or AdminServer line for 3.4, both for 3.5 on", () => {
    const v34 = memberFiles(three, 1, "3.4.14")["zoo.cfg"];
    const v35 = memberFiles(three, 1, "3.5.8")["zoo.cfg"];
    expect(v34).to.include("for ZooKeeper 3.4");
    expect(v34).to.not.include("4lw.commands.whitelist");
    expect(v34).to.not.include("admin.enableServer");
    expect(v35).to.include("4lw.commands.whitelist=*").and.include("admin.enableServer=false");
  });

  it("refuses dynamic membership on 3.4, naming the field and the fix", () => {
    const dyn = parseTopology({ name: "d", zones: [{ name: "az1", region: "r" }], members: [1, 2, 3].map((id) => ({ id, zone: "az1" })), settings: { membership: "dynamic" } });
    expect(() => memberFiles(dyn, 1, "3.4.14")).to.throw(/settings\.membership: dynamic membership needs ZooKeeper 3\.5 or later.*--zk-version 3\.5\.8/);
    expect(memberFiles(dyn, 1, "3.5.8")["zoo.cfg.dynamic"]).to.include("server.1=");
  });

  it("adds a hand-edited key a runbook needs, refuses one it does not know or one the line lacks", () => {
    const fixed = rewrite(three, { 2: { extra: { "snapshot.trust.empty": "true" } } });
    expect(memberFiles(fixed, 2, "3.5.8")["zoo.cfg"]).to.include("snapshot.trust.empty=true");
    expect(() => memberFiles(fixed, 2, "3.4.14")).to.throw(/extra\.snapshot\.trust\.empty: needs ZooKeeper 3\.5\.6 or later/);
    const typo = rewrite(three, { 2: { extra: { "snapshot.trust.empyt": "true" } } });
    expect(() => memberFiles(typo, 2, "3.5.8")).to.throw(/extra\.snapshot\.trust\.empyt: not a key zkdrill knows/);
    const removed = rewrite(fixed, { 2: { extra: { "snapshot.trust.empty": null } } });
    expect(memberFiles(removed, 2, "3.5.8")["zoo.cfg"]).to.not.include("snapshot.trust.empty");
  });
});
