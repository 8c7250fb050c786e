// The recipe checks on hand-built histories: each breaks for its reason and passes on a good history.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { RECIPE_PATHS } from "../history";
import { counterCounts, oneHolder, queueHolds, recipesIn, uniqueIds } from "./recipes";

const IDS = RECIPE_PATHS.ids.prefix;
const COUNTER = RECIPE_PATHS.counter.value;
const id = (n: number) => `${IDS}${String(n).padStart(10, "0")}`;

function ids(issued: Array<{ p: number; call: number; ret: number; n: number }>) {
  const h = new HistoryBuilder();
  for (const p of new Set(issued.map((i) => i.p))) h.process(p);
  for (const i of issued) h.op({ process: i.p, f: "create", path: IDS, sequential: true, value: `v${i.call}`, call: i.call, ret: i.ret, result: { created: id(i.n) } });
  return h.ops();
}

describe("uniqueIds: sequential names issued once each, in real-time order", () => {
  it("passes for distinct ids, concurrent ones in any order", () => {
    const r = uniqueIds(ids([{ p: 1, call: 0, ret: 10, n: 2 }, { p: 2, call: 1, ret: 9, n: 1 }, { p: 1, call: 11, ret: 12, n: 3 }]));
    expect(r.status).to.equal("passed");
    expect(r.evidence.idsIssued).to.equal(3);
  });

  it("fails on a duplicated id", () => {
    const r = uniqueIds(ids([{ p: 1, call: 0, ret: 5, n: 1 }, { p: 2, call: 1, ret: 4, n: 1 }]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("id-0000000001 issued 2 times");
  });

  it("fails on an id lower than one acknowledged before it was asked for", () => {
    const r = uniqueIds(ids([{ p: 1, call: 0, ret: 5, n: 7 }, { p: 2, call: 6, ret: 8, n: 3 }]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("id-0000000003").and.include("is not above id-0000000007");
  });

  it("is inconclusive with no id issued", () => {
    expect(uniqueIds([]).status).to.equal("inconclusive");
  });
});

/** A counter history: the create (count 0), increments [process, call, ret, count written, outcome], a final synced read. */
function counter(incs: Array<[number, number, number, number, ("ok" | "info" | "fail")?]>, finalCount: number | null, created = true, readBefore?: number) {
  const h = new HistoryBuilder();
  h.process(1);
  h.process(2);
  if (created) h.op({ process: 1, f: "create", path: COUNTER, value: "c0#0", call: 0, ret: 1 });
  if (readBefore !== undefined) h.op({ process: 2, f: "read", path: COUNTER, call: 2, ret: 3, result: { value: `r#${readBefore}`, version: readBefore } });
  for (const [p, call, ret, n, outcome] of incs) {
    h.op({ process: p, f: "cas", path: COUNTER, value: `w${call}#${n}`, version: n - 1, call, ...(outcome === "info" ? {} : { ret }), outcome: outcome ?? "ok", ...(outcome === "fail" ? { result: { error: "BAD_VERSION" } } : {}) });
  }
  if (finalCount !== null) {
    h.process(9);
    const sync = h.op({ process: 9, f: "write", path: "/zkdrill/recipes/sync", value: "s", call: 1000, ret: 1001 });
    h.op({ process: 9, f: "read", path: COUNTER, call: 1002, ret: 1003, syncedBy: sync, result: { value: `wz#${finalCount}`, version: finalCount } });
  }
  return h.ops();
}

describe("counterCounts: every acknowledged multi() increment counted once", () => {
  it("passes when the final count is the acknowledged increments, give or take the unknown ones", () => {
    const r = counterCounts(counter([[1, 10, 11, 1], [2, 12, 13, 2], [1, 14, 15, 3, "fail"], [2, 20, 0, 3, "info"]], 3));
    expect(r.status).to.equal("passed");
    expect(r.evidence).to.include({ incrementsOk: 2, incrementsUnknown: 1, conflicts: 1, finalValue: 3, baseline: 0 });
  });

  it("fails on a lost increment (the final count below the acknowledged ones)", () => {
    const r = counterCounts(counter([[1, 10, 11, 1], [2, 12, 13, 2]], 1));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("fewer than the 2 acknowledged: 1 lost");
  });

  it("fails on an increment counted for two (two acknowledged increments wrote one count)", () => {
    const r = counterCounts(counter([[1, 10, 13, 1], [2, 11, 12, 1]], 1));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("count 1 written by 2 acknowledged increments");
  });

  it("fails on a count above the acknowledged and unknown increments", () => {
    expect(counterCounts(counter([[1, 10, 11, 1]], 4)).summary).to.include("more than the 1 acknowledged and 0 of unknown outcome");
  });

  it("a lineage from a state nobody read counts from below its lowest acknowledged count: passes, and fails when the highest acknowledged count is gone at the end", () => {
    const good = counterCounts(counter([[1, 10, 11, 41], [2, 12, 13, 42]], 42, false));
    expect(good.status, good.summary).to.equal("passed");
    expect(good.evidence).to.include({ baseline: 40 });
    const lost = counterCounts(counter([[1, 10, 11, 41], [2, 12, 13, 42]], 41, false));
    expect(lost.status).to.equal("failed");
    expect(lost.summary).to.include("1 lost");
  });

  it("a stale read before the first increment (an observer behind) is no extra increment; a count beyond every increment still fails", () => {
    // The lineage starts at 41 (nobody created it); an observer still served 40.
    const stale = counterCounts(counter([[1, 10, 11, 42], [2, 12, 13, 43]], 43, false, 40));
    expect(stale.status, stale.summary).to.equal("passed");
    const extra = counterCounts(counter([[1, 10, 11, 42], [2, 12, 13, 43]], 45, false, 40));
    expect(extra.status).to.equal("failed");
    expect(extra.summary).to.include("the counter read 4 increment(s) at the end, more than the 2 acknowledged");
    const lost = counterCounts(counter([[1, 10, 11, 42], [2, 12, 13, 43]], 42, false, 41));
    expect(lost.status).to.equal("failed");
    expect(lost.summary).to.include("fewer than the 2 acknowledged: 1 lost");
  });

  it("is inconclusive without a final read, and without increments", () => {
    expect(counterCounts(counter([[1, 10, 11, 1]], null)).status).to.equal("inconclusive");
    expect(counterCounts(counter([], 0)).status).to.equal("inconclusive");
  });
});

const LOCK = RECIPE_PATHS.lock;
const node = (n: number) => `lock-${String(n).padStart(10, "0")}`;

/**
 * One contender: create its znode, a children read seeing `seen` (acquiring when its own is lowest),
 * then writes on its own znode at the given times (ok unless listed in `lost`).
 */
function contender(h: HistoryBuilder, p: number, n: number, createAt: number, readAt: number, seen: number[], writes: number[], lost: number[] = []) {
  h.process(p, `recipe lock client ${p}`, [1, 2, 3], `0xs${p}`);
  h.op({ process: p, f: "create", path: LOCK.prefix, sequential: true, ephemeral: true, value: `c${p}`, call: createAt, ret: createAt + 1, result: { created: `${LOCK.root}/${node(n)}` } });
  h.op({ process: p, f: "children", path: LOCK.root, call: readAt, ret: readAt + 1, result: { value: seen.map(node) } });
  for (const t of writes) {
    const unknown = lost.includes(t);
    h.op({ process: p, f: "write", path: `${LOCK.root}/${node(n)}`, value: `h${p}.${t}`, call: t, ...(unknown ? {} : { ret: t + 2 }), outcome: unknown ? "info" : "ok" });
  }
}

describe("oneHolder: never two holders of a lock at once", () => {
  it("passes for holds one after another, and counts hand-overs and the longest gap", () => {
    const h = new HistoryBuilder();
    contender(h, 1, 1, 0, 10, [1, 2], [20, 120]);
    h.op({ process: 1, f: "delete", path: `${LOCK.root}/${node(1)}`, version: -1, call: 200, ret: 205 });
    contender(h, 2, 2, 2, 210, [2], [220, 320]);
    const r = oneHolder(h.ops(), "lock");
    expect(r.status, r.summary).to.equal("passed");
    expect(r.evidence).to.deep.include({ acquisitions: 2, handOvers: 1, longestGapMs: 11, holdsPerProcess: { 1: 1, 2: 1 } });
  });

  it("fails when two processes' proven holds overlap, naming both with their sessions and znodes", () => {
    const h = new HistoryBuilder();
    contender(h, 1, 1, 0, 10, [1, 2], [20, 120, 220]);
    // Process 2 saw itself lowest (a doctored read) while process 1 still wrote its own znode.
    contender(h, 2, 2, 2, 100, [2], [150, 250]);
    const r = oneHolder(h.ops(), "lock", new Map([[1, "0xs1"], [2, "0xs2"]]));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("process 1 (session 0xs1) held lock-0000000001").and.include("process 2 (session 0xs2) held lock-0000000002");
  });

  it("passes when the holder's session expired before a rival acquired: its proof ended with its last acknowledged write", () => {
    const h = new HistoryBuilder();
    contender(h, 1, 1, 0, 10, [1, 2], [20, 120, 220], [220]);
    // Process 2 acquires long after: process 1's node went with its expired session.
    contender(h, 2, 2, 2, 15_000, [2], [15_010]);
    const r = oneHolder(h.ops(), "lock", new Map([[1, "0xs1"], [2, "0xs2"]]));
    expect(r.status, r.summary).to.equal("passed");
    expect(r.evidence.longestGapMs, "from process 1's last proof to process 2's acquiring read").to.equal(15_001 - 120);
  });

  it("does not count an acquisition with no acknowledged write after it, and is inconclusive with no proven hold", () => {
    const h = new HistoryBuilder();
    contender(h, 1, 1, 0, 10, [1], [20], [20]);
    const r = oneHolder(h.ops(), "lock");
    expect(r.status).to.equal("inconclusive");
    expect(r.evidence.unproven).to.equal(1);
  });

  it("judges the election apart from the lock", () => {
    const h = new HistoryBuilder();
    contender(h, 1, 1, 0, 10, [1], [20]);
    expect(oneHolder(h.ops(), "election").status).to.equal("inconclusive");
  });
});

const Q = RECIPE_PATHS.queue;
const item = (n: number) => `q-${String(n).padStart(10, "0")}`;

function queue(opts: { dequeues: Array<[process: number, n: number, outcome?: "ok" | "info"]>; left: number[] | null }) {
  const h = new HistoryBuilder();
  h.process(1);
  h.process(2);
  h.process(3);
  h.process(4);
  for (const n of [1, 2, 3]) h.op({ process: 1, f: "create", path: Q.prefix, sequential: true, value: `i${n}`, call: n * 10, ret: n * 10 + 1, result: { created: `${Q.root}/${item(n)}` } });
  let t = 100;
  for (const [p, n, outcome] of opts.dequeues) {
    t += 10;
    h.op({ process: p, f: "delete", path: `${Q.root}/${item(n)}`, version: -1, call: t, ...(outcome === "info" ? {} : { ret: t + 1 }), outcome: outcome ?? "ok" });
  }
  if (opts.left) h.op({ process: 4, f: "children", path: Q.root, call: 1000, ret: 1001, result: { value: opts.left.map(item) } });
  return h.ops();
}

describe("queueHolds: every acknowledged item dequeued at most once, none lost", () => {
  it("passes when each item is dequeued, unknown or left", () => {
    const r = queueHolds(queue({ dequeues: [[2, 1], [3, 2, "info"]], left: [3] }));
    expect(r.status, r.summary).to.equal("passed");
    expect(r.evidence).to.include({ enqueued: 3, dequeued: 1, left: 1, unknownDequeues: 1 });
  });

  it("fails on an item dequeued by two consumers", () => {
    const r = queueHolds(queue({ dequeues: [[2, 1], [3, 1], [2, 2], [3, 3]], left: [] }));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("q-0000000001 dequeued 2 times (by processes 2, 3)");
  });

  it("fails on a lost item", () => {
    const r = queueHolds(queue({ dequeues: [[2, 1]], left: [3] }));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("q-0000000002").and.include("lost");
  });

  it("is inconclusive without the final read", () => {
    expect(queueHolds(queue({ dequeues: [[2, 1]], left: null })).status).to.equal("inconclusive");
  });
});

describe("recipesIn", () => {
  it("names the recipes whose znodes the history touches", () => {
    expect(recipesIn(queue({ dequeues: [], left: [] }))).to.deep.equal(["queue"]);
    expect(recipesIn(counter([[1, 10, 11, 1]], 1))).to.deep.equal(["counter"]);
  });
});
