// ZooKeeper's register rules on hand-built zkdrill histories: each rule with a history that satisfies it and one
// that breaks it, so that a checker ignoring the rule fails one of the two.
import { expect } from "chai";
import { operations, type CompletionEvent, type HistoryEvent, type InvokeEvent, type OpKind } from "../history/model";
import { checkHistory, judgedOperations, type HistoryVerdict } from "./zk-register";
import { HistoryBuilder } from "../history/builder";

interface Done {
  readonly type: CompletionEvent["type"];
  readonly version?: number;
  readonly value?: string | null;
  readonly error?: string;
}

/** One operation: invoked at `call`, completed at `ret` (none: never completed). */
interface Spec {
  readonly name: string;
  readonly process: number;
  readonly f: OpKind;
  readonly path?: string;
  readonly call: number;
  readonly ret?: number;
  readonly value?: string;
  readonly version?: number;
  readonly sequential?: boolean;
  /** The name of the write this read is ordered after. */
  readonly syncedBy?: string;
  readonly done?: Done;
}

/** The history.jsonl lines of these operations, in time order; returns the lines and each op's invoke line. */
function history(specs: readonly Spec[]): { events: HistoryEvent[]; line: Record<string, number> } {
  const moments = specs.flatMap((spec) => [{ spec, t: spec.call, invoke: true }, ...(spec.ret === undefined ? [] : [{ spec, t: spec.ret, invoke: false }])]);
  moments.sort((a, b) => a.t - b.t);
  const line: Record<string, number> = {};
  const events: HistoryEvent[] = [];
  for (const { spec, t, invoke } of moments) {
    const stamp = { process: spec.process, time: 1_700_000_000_000 + t, mono: t };
    if (invoke) {
      line[spec.name] = events.length;
      const fields = { value: spec.value, version: spec.version, sequential: spec.sequential, syncedBy: spec.syncedBy === undefined ? undefined : line[spec.syncedBy] };
      const e: InvokeEvent = { type: "invoke", f: spec.f, path: spec.path ?? "/k", ...fields, ...stamp };
      events.push(e);
    } else {
      events.push({ type: "ok", ...spec.done, invoke: line[spec.name], ...stamp });
    }
  }
  return { events, line };
}

function check(specs: readonly Spec[]): HistoryVerdict & { line: Record<string, number> } {
  const { events, line } = history(specs);
  return { ...checkHistory(operations(events)), line };
}

const ok = (version?: number, value?: string | null): Done => ({ type: "ok", version, value });
const fail = (error: string): Done => ({ type: "fail", error });
const lost: Done = { type: "info", error: "CONNECTION_LOSS" };
const created = (process = 1, value = "a"): Spec => ({ name: "create", process, f: "create", call: 0, ret: 1, value, done: ok(0) });
const cas = (name: string, process: number, call: number, ret: number, expected: number, value: string, done: Done): Spec =>
  ({ name, process, f: "cas", call, ret, version: expected, value, done });

describe("linearizability of zkdrill histories (the ZooKeeper register)", () => {
  it("two acknowledged compare-and-sets on the same version (a version reused after a lost write): a violation naming both", () => {
    const v = check([created(), cas("A", 2, 2, 3, 0, "b", ok(1)), cas("B", 3, 4, 5, 0, "c", ok(1))]);
    expect(v.status).to.equal("not-linearizable");
    const w = v.failures[0].witness!;
    expect(w.lastChange?.id).to.equal(v.line.A);
    expect(w.blocked).to.include({ id: v.line.B, rejected: true });
    expect(w.prefix).to.deep.equal([v.line.create, v.line.A]);
    expect(v.failures[0].message).to.include(`#${v.line.A} `).and.include(`#${v.line.B} `);
    expect(v.summary).to.match(/^not linearizable on 1 of 1 znodes/);
    // The expected version alone tells, when the versions after were not recorded.
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", ok()), cas("B", 3, 4, 5, 0, "c", ok())]).status).to.equal("not-linearizable");
    // The same two on successive versions are fine.
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", ok(1)), cas("B", 3, 4, 5, 1, "c", ok(2))]).status).to.equal("linearizable");
  });

  it("a compare-and-set acknowledged against a version another op had already replaced, in real time: a violation", () => {
    const specs = (cCall: number): Spec[] => [
      created(),
      cas("W", 2, 2, 3, 0, "b", ok(1)),
      { name: "X", process: 3, f: "write", call: 4, ret: 5, value: "x", done: ok(3) },
      cas("C", 4, cCall, cCall + 4, 1, "c", ok(2)),
    ];
    // C had to come before X (X found version 2), but was called after X returned...
    expect(check(specs(6)).status).to.equal("not-linearizable");
    // ... while one called before X returned may well have come first.
    expect(check(specs(4.5)).status).to.equal("linearizable");
  });

  it("concurrent compare-and-sets on one version, one acknowledged and one failed BAD_VERSION: linearizable; BAD_VERSION at the right version: not", () => {
    expect(check([created(), cas("A", 2, 2, 6, 0, "b", ok(1)), cas("B", 3, 3, 5, 0, "c", fail("BAD_VERSION"))]).status).to.equal("linearizable");
    expect(check([created(), cas("B", 3, 2, 3, 0, "c", fail("BAD_VERSION")), cas("A", 2, 4, 5, 0, "b", ok(1))]).status).to.equal("not-linearizable");
  });

  it("a compare-and-set of unknown outcome that must have applied (a later one expects its version): linearizable", () => {
    const after = cas("B", 3, 4, 5, 1, "c", ok(2));
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", lost), after]).status).to.equal("linearizable");
    // An error outside DEFINITE_FAILURES leaves the outcome unknown too, even recorded as a failure...
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", fail("CONNECTION_LOSS")), after]).status).to.equal("linearizable");
    // ... a definite one does not: then nothing made version 1.
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", fail("NO_AUTH")), after]).status).to.equal("not-linearizable");
    // Nor can it apply before it was called.
    expect(check([created(), cas("B", 3, 2, 3, 1, "c", ok(2)), cas("A", 2, 4, 5, 0, "b", lost)]).status).to.equal("not-linearizable");
  });

  it("the same compare-and-set of unknown outcome with nothing depending on it: linearizable (it may never have applied)", () => {
    expect(check([created(), cas("A", 2, 2, 3, 0, "b", lost), cas("B", 3, 4, 5, 0, "c", ok(1))]).status).to.equal("linearizable");
    // Never completed at all: the same.
    expect(check([created(), { ...cas("A", 2, 2, 3, 0, "b", lost), ret: undefined }, cas("B", 3, 4, 5, 0, "c", ok(1))]).status).to.equal("linearizable");
  });

  it("a synced read older than a write completed before the sync write was invoked: a violation; a plain stale read is ignored", () => {
    const before = [created(1), cas("W", 2, 2, 3, 0, "b", ok(1)), { name: "S", process: 5, f: "create" as const, path: "/sync", call: 4, ret: 5, value: "s", done: ok(0) }];
    const read = { name: "R", process: 5, f: "read" as const, call: 6, ret: 7, done: ok(0, "a") };
    const synced = check([...before, { ...read, syncedBy: "S" }]);
    expect(synced.status).to.equal("not-linearizable");
    expect(synced.failures.map((f) => f.path)).to.deep.equal(["/k"]);
    expect(synced.failures[0].witness!.blocked.id).to.equal(synced.line.R);
    expect(check([...before, read]).status).to.equal("linearizable");
    expect(check([...before, { ...read, syncedBy: "S", done: ok(1, "b") }]).status).to.equal("linearizable");
  });

  it("a synced read may miss a write that completed after the sync write was invoked (it starts there, not at its own call)", () => {
    const v = check([
      created(1),
      { name: "S", process: 5, f: "create", path: "/sync", call: 2, ret: 3, value: "s", done: ok(0) },
      cas("W", 2, 2.5, 3.5, 0, "b", ok(1)),
      { name: "R", process: 5, f: "read", call: 4, ret: 5, syncedBy: "S", done: ok(0, "a") },
    ]);
    expect(v.status).to.equal("linearizable");
    expect(v.operations).to.equal(4);
  });

  it("create, then create failing NODE_EXISTS: linearizable; NODE_EXISTS with no node: not", () => {
    const again: Spec = { name: "again", process: 2, f: "create", call: 2, ret: 3, value: "b", done: fail("NODE_EXISTS") };
    expect(check([created(), again]).status).to.equal("linearizable");
    expect(check([again]).status).to.equal("not-linearizable");
    expect(check([created(), { ...again, done: ok(0) }]).status).to.equal("not-linearizable");
  });

  it("delete then create starts the version again at 0", () => {
    const cycle: Spec[] = [
      created(),
      cas("A", 1, 2, 3, 0, "b", ok(1)),
      { name: "D", process: 2, f: "delete", call: 4, ret: 5, version: 1, done: ok() },
      { name: "again", process: 3, f: "create", call: 6, ret: 7, value: "c", done: ok(0) },
    ];
    expect(check([...cycle, cas("B", 1, 8, 9, 0, "d", ok(1))]).status).to.equal("linearizable");
    expect(check([...cycle, cas("B", 1, 8, 9, 2, "d", ok(3))]).status).to.equal("not-linearizable");
    expect(check([...cycle.slice(0, 2), { ...cycle[2], version: 0, done: fail("BAD_VERSION") }, cas("B", 1, 8, 9, 1, "d", ok(2))]).status).to.equal("linearizable");
  });

  it("judges writes and synced reads only: plain reads, exists, children and sequential creates alone give unknown", () => {
    const v = check([
      { name: "r", process: 1, f: "read", call: 0, ret: 1, done: ok(3, "zz") },
      { name: "e", process: 1, f: "exists", call: 2, ret: 3, done: ok() },
      { name: "c", process: 2, f: "children", call: 0, ret: 1, done: ok() },
      { name: "s", process: 3, f: "create", path: "/q/item-", sequential: true, call: 0, ret: 1, value: "x", done: ok(0) },
    ]);
    expect(v).to.include({ status: "unknown", keys: 0, operations: 0 });
    expect(v.summary).to.equal("unknown: no writes or compare-and-sets to judge");
    expect(judgedOperations(operations(history([{ name: "w", process: 1, f: "cas", call: 0, ret: 1, version: -1, value: "v", done: ok(1) }]).events)))
      .to.have.length(1).and.to.have.nested.property("[0].f", "write");
  });

  it("a tiny step limit gives unknown, never linearizable", () => {
    const { events } = history([created(), cas("A", 2, 2, 9, 0, "b", ok(1)), cas("B", 3, 3, 8, 1, "c", ok(2)), cas("C", 4, 4, 7, 2, "d", lost)]);
    const v = checkHistory(operations(events), { maxSteps: 2 });
    expect(v.status).to.equal("unknown");
    expect(v.failures[0]).to.include({ path: "/k", status: "unknown" });
    expect(v.summary).to.match(/^unknown: 1 of 1 znodes undecided.*step limit/);
    expect(checkHistory(operations(events)).status).to.equal("linearizable");
  });

  it("checks each znode on its own: a violation on one is reported for that one only", () => {
    const onB = (s: Spec): Spec => ({ ...s, name: `${s.name}@b`, path: "/b", process: s.process + 10 });
    const fine = [created(), cas("A", 2, 2, 3, 0, "b", ok(1))].map((s) => ({ ...s, path: "/a" }));
    const broken = [created(), cas("A", 2, 2, 3, 0, "b", ok(1)), cas("B", 3, 4, 5, 0, "c", ok(1))].map(onB);
    const v = check([...fine, ...broken]);
    expect(v).to.include({ status: "not-linearizable", keys: 2, operations: 5 });
    expect(v.perKey["/a"].status).to.equal("linearizable");
    expect(v.perKey["/b"].status).to.equal("not-linearizable");
    expect(v.failures.map((f) => f.path)).to.deep.equal(["/b"]);
    expect(check(fine).status).to.equal("linearizable");
  });
});

describe("a lineage that starts from whatever survived (after a restore or a promotion)", () => {
  const fromAny = (specs: readonly Spec[]) => checkHistory(operations(history(specs).events), { initial: "unknown" });

  it("accepts a first compare-and-set on any surviving version, then holds the lineage to it", () => {
    expect(fromAny([cas("a", 1, 0, 1, 40, "x", ok(41)), cas("b", 2, 2, 3, 41, "y", ok(42))]).status).to.equal("linearizable");
    const r = fromAny([cas("a", 1, 0, 1, 40, "x", ok(41)), cas("b", 2, 2, 3, 40, "y", ok(41))]);
    expect(r.status, "two acknowledged writes on version 40").to.equal("not-linearizable");
  });

  it("lets a synced read reveal the surviving state, and catches a later read going back to another value", () => {
    const w: Spec = { name: "w", process: 1, f: "write", path: "/sync", call: 0, ret: 1, value: "s", done: ok(5) };
    const first: Spec = { name: "r1", process: 1, f: "read", call: 2, ret: 3, syncedBy: "w", done: ok(7, "old") };
    expect(fromAny([w, first, cas("c", 2, 4, 5, 7, "new", ok(8))]).status).to.equal("linearizable");
    const w2: Spec = { name: "w2", process: 3, f: "write", path: "/sync", call: 6, ret: 7, value: "t", done: ok(6) };
    const back: Spec = { name: "r2", process: 3, f: "read", call: 8, ret: 9, syncedBy: "w2", done: ok(7, "old") };
    expect(fromAny([w, first, cas("c", 2, 4, 5, 7, "new", ok(8)), w2, back]).status).to.equal("not-linearizable");
  });
});

describe("znodes named by sequential creates (the recipes' locks and queue items)", () => {
  const PREFIX = "/zkdrill/recipes/lock/lock-";
  const NAME = `${PREFIX}0000000001`;
  const build = (writeAfterDelete: boolean, createDone: "ok" | "info") => {
    const h = new HistoryBuilder();
    h.process(1);
    h.op({ process: 1, f: "create", path: PREFIX, sequential: true, ephemeral: true, value: "c", call: 0, ...(createDone === "ok" ? { ret: 1, result: { created: NAME } } : {}), outcome: createDone });
    h.process(2);
    h.op({ process: 2, f: "write", path: NAME, value: "h1", call: 2, ret: 3, result: { version: 1 } });
    h.op({ process: 2, f: "delete", path: NAME, version: -1, call: 4, ret: 5 });
    if (writeAfterDelete) h.op({ process: 2, f: "write", path: NAME, value: "h2", call: 6, ret: 7, result: { version: 2 } });
    return h.ops();
  };

  it("judges them from the create of the name it returned", () => {
    expect(checkHistory(build(false, "ok")).status).to.equal("linearizable");
    expect(judgedOperations(build(false, "ok")).map((op) => [op.f, op.path])).to.deep.equal([
      ["create", NAME],
      ["write", NAME],
      ["delete", NAME],
    ]);
  });

  it("finds a write acknowledged on a sequential name after its delete", () => {
    expect(checkHistory(build(true, "ok")).status).to.equal("not-linearizable");
  });

  it("leaves out a name whose create never came back: it has no start to judge from", () => {
    expect(judgedOperations(build(true, "info"))).to.deep.equal([]);
  });
});
