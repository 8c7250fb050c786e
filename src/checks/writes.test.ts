// The survival checks: each fails for its reason, and none passes without evidence.
import { expect } from "chai";
import { HistoryBuilder, OpHandle } from "../history/builder";
import { lostWrites, setSurvives, znodesHold } from "./writes";

const SET = "/config/changes/b0000";

/** A member read after a sync write through it: the set's bucket and the registers given. */
function read(h: HistoryBuilder, process: number, member: number, at: number, names: string[], registers: Record<string, { value: string | null; version?: number }> = {}): { member: number; process: number } {
  h.process(process, `synced read on member ${member}`, [member]);
  const sync: OpHandle = h.op({ process, f: "write", path: `/zkdrill/sync/m${member}`, value: `sync${process}`, call: at, ret: at + 1, result: { version: 1 } });
  h.op({ process, f: "children", path: "/config/changes", syncedBy: sync, call: at + 2, ret: at + 3, result: { value: ["b0000"] } });
  h.op({ process, f: "children", path: SET, syncedBy: sync, call: at + 4, ret: at + 5, result: { value: names } });
  let t = at + 6;
  for (const [path, r] of Object.entries(registers)) h.op({ process, f: "read", path, syncedBy: sync, call: t, ret: t + 1, result: { value: r.value, ...(r.version !== undefined ? { version: r.version } : {}) } });
  return { member, process };
}

const create = (h: HistoryBuilder, process: number, value: string, call: number, ret?: number, outcome: "ok" | "fail" | "info" = "ok") =>
  h.op({ process, f: "create", path: `${SET}/config_change_${value}_`, value, sequential: true, call, ret, outcome, result: outcome === "ok" ? { created: `${SET}/config_change_${value}_000000001` } : { error: "CONNECTION_LOSS" } });

describe("setSurvives: every acknowledged create of a unique znode is on every member read", () => {
  it("passes when every create acknowledged before the read is there", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    create(h, 1, "a", 0, 10);
    create(h, 1, "b", 20, 30);
    const r1 = read(h, 2, 1, 100, ["config_change_a_0000000001", "config_change_b_0000000002"]);
    expect(setSurvives(h.ops(), { reads: [r1] }).status).to.equal("passed");
  });

  it("fails naming the lost write once, with the members missing it", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    create(h, 1, "a", 0, 10);
    create(h, 1, "b", 20, 30);
    const r1 = read(h, 2, 1, 100, ["config_change_a_0000000001"]);
    const r2 = read(h, 3, 2, 120, ["config_change_a_0000000001"]);
    const r = setSurvives(h.ops(), { reads: [r1, r2] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/^1 acknowledged write\(s\) lost: .*config_change_b.* = b .*missing on 1, 2/);
    expect((r.evidence.lost as unknown[]).length).to.equal(1);
  });

  it("does not count a create acknowledged after the member's sync began, nor one whose outcome is unknown", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    create(h, 1, "a", 0, 10);
    create(h, 1, "late", 95, 110);
    create(h, 1, "unknown", 50, 60, "info");
    const r1 = read(h, 2, 1, 100, ["config_change_a_0000000001"]);
    expect(setSurvives(h.ops(), { reads: [r1] }).status).to.equal("passed");
  });

  it("is inconclusive with no acknowledged create, no member read, or a member whose reads did not complete", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    const r1 = read(h, 2, 1, 100, []);
    expect(setSurvives(h.ops(), { reads: [r1] }).status).to.equal("inconclusive");
    create(h, 1, "a", 0, 10);
    expect(setSurvives(h.ops(), { reads: [] }).status).to.equal("inconclusive");
    expect(setSurvives(h.ops(), { reads: [{ member: 9, process: 42 }] }).status, "a member never read").to.equal("inconclusive");
  });

  it("judges only creates of the current lineage when told where it began", () => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    create(h, 1, "before", 0, 10);
    create(h, 1, "after", 60, 70);
    const r1 = read(h, 2, 1, 100, ["config_change_after_0000000001"]);
    expect(setSurvives(h.ops(), { reads: [r1], since: 50 }).status).to.equal("passed");
    expect(setSurvives(h.ops(), { reads: [r1] }).status).to.equal("failed");
  });
});

describe("znodesHold: named znodes read back with their last acknowledged value", () => {
  const named = (value: string | null) => {
    const h = new HistoryBuilder();
    h.process(1, "drill");
    h.op({ process: 1, f: "create", path: "/zk-permanent", value: "v1", prev: null, call: 0, ret: 1 });
    h.op({ process: 1, f: "write", path: "/zk-permanent", value: "v2", call: 2, ret: 3, result: { version: 1 } });
    return { h, r: read(h, 2, 3, 10, [], { "/zk-permanent": { value, version: 1 } }) };
  };
  it("passes on the last value, fails on an older one or on absence, naming the member", () => {
    let { h, r } = named("v2");
    expect(znodesHold(h.ops(), { paths: ["/zk-permanent"], reads: [r] }).status).to.equal("passed");
    ({ h, r } = named("v1"));
    expect(znodesHold(h.ops(), { paths: ["/zk-permanent"], reads: [r] }).summary).to.include("/zk-permanent on 3 holds v1, expected v2");
    ({ h, r } = named(null));
    expect(znodesHold(h.ops(), { paths: ["/zk-permanent"], reads: [r] }).summary).to.include("/zk-permanent missing on 3");
  });
  it("is inconclusive when nothing is named or nobody was read", () => {
    const { h, r } = named("v2");
    expect(znodesHold(h.ops(), { paths: [], reads: [r] }).status).to.equal("inconclusive");
    expect(znodesHold(h.ops(), { paths: ["/zk-permanent"], reads: [] }).status).to.equal("inconclusive");
  });
});

describe("lostWrites: what a member read does not hold, through the lineage each write names", () => {
  /** A partition state: v1 (create) <- v2 <- v3; the member read holds `holds`. */
  const chain = (holds: string, version: number, extra?: (h: HistoryBuilder) => void) => {
    const h = new HistoryBuilder();
    h.process(1, "workload");
    const p = "/brokers/topics/drill/partitions/0/state";
    h.op({ process: 1, f: "create", path: p, value: "v1", prev: null, call: 0, ret: 1 });
    h.op({ process: 1, f: "cas", path: p, value: "v2", prev: "v1", version: 0, call: 2, ret: 3, result: { version: 1 } });
    h.op({ process: 1, f: "cas", path: p, value: "v3", prev: "v2", version: 1, call: 4, ret: 5, result: { version: 2 } });
    extra?.(h);
    const r = read(h, 2, 4, 50, [], { [p]: { value: holds, version } });
    return lostWrites(h.ops(), { reads: [r], breaks: [{ name: "promotion", start: 20, end: 40, disasterAt: 10, disasterAtWall: 1_000_010 }] });
  };
  it("holds every ancestor of the value read", () => {
    expect(chain("v3", 2).lost).to.deep.equal([]);
  });
  it("lists a write the member lost, with its age at the disaster (the RPO)", () => {
    const f = chain("v2", 1);
    expect(f.lost.map((w) => w.value)).to.deep.equal(["v3"]);
    expect(f.rpoMs).to.equal(5);
  });
  it("sees a lost write even when a later write reused its version", () => {
    const f = chain("v3b", 2, (h) => h.op({ process: 1, f: "cas", path: "/brokers/topics/drill/partitions/0/state", value: "v3b", prev: "v2", version: 1, call: 45, ret: 46, result: { version: 2 } }));
    expect(f.lost.map((w) => w.value)).to.deep.equal(["v3"]);
  });
});
