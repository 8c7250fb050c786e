// The linearizability engine against histories whose verdicts others established (the etcd oracles, from
// porcupine's test data) and against an exhaustive search on small random histories; the Jepsen log parser.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SeededRandom } from "../common/random";
import { casRegisterModel, parseJepsenLog, type CasRegisterOp } from "./jepsen-log";
import { checkOperations, type Model, type TimedOp } from "./linearizability";
import { zkRegisterModelFor, type ZkRegisterOp } from "./zk-register";

const ORACLES = join(__dirname, "..", "..", "test", "fixtures", "oracles", "etcd-cas-histories");
const verdicts = readFileSync(join(ORACLES, "verdicts.tsv"), "utf8").trim().split("\n").slice(1).map((line) => line.split("\t"));
const oracle = (file: string): CasRegisterOp[] => parseJepsenLog(readFileSync(join(ORACLES, file), "utf8"));

/** Every order the real-time order allows, no pruning: the reference the search must agree with. */
function exhaustive<S, O extends TimedOp>(ops: readonly O[], model: Model<S, O>): boolean {
  const from = (left: readonly number[], state: S): boolean =>
    left.every((i) => ops[i].ret === Infinity) ||
    left.some((i) => {
      if (left.some((j) => ops[j].ret < ops[i].call)) return false;
      const r = model.step(state, ops[i]);
      return r.ok && from(left.filter((j) => j !== i), r.next);
    });
  return from(ops.map((_, i) => i), model.init());
}

function interval(rnd: SeededRandom, unknown: boolean): { call: number; ret: number } {
  const call = rnd.int(20);
  return { call, ret: unknown ? Infinity : call + rnd.int(8) };
}

function randomCasHistory(rnd: SeededRandom, n: number): CasRegisterOp[] {
  const value = (): string | null => (rnd.next() < 0.2 ? null : String(rnd.int(3)));
  return Array.from({ length: n }, (_, id) => {
    const f = rnd.pick(["read", "write", "cas"] as const);
    const outcome = rnd.pick(["ok", "ok", "fail", "info"] as const);
    const fields = f === "cas" ? { value: null, from: value(), to: value() } : { value: value() };
    return { id, process: id, f, outcome, ...fields, ...interval(rnd, outcome === "info") };
  });
}

function randomZkHistory(rnd: SeededRandom, n: number): ZkRegisterOp[] {
  const written: string[] = [];
  const errors = { create: ["NODE_EXISTS"], cas: ["BAD_VERSION", "NO_NODE"], write: ["NO_NODE"], delete: ["NO_NODE", "BAD_VERSION", "NOT_EMPTY"], read: [] };
  return Array.from({ length: n }, (_, id) => {
    const f = rnd.pick(["create", "cas", "cas", "write", "delete", "read", "read"] as const);
    const outcome = f === "read" ? "ok" : rnd.pick(["ok", "ok", "fail", "unknown"] as const);
    const value = f === "read" ? (rnd.next() < 0.3 || written.length === 0 ? null : rnd.pick(written)) : f === "delete" ? null : `v${id}`;
    if (f !== "read" && value !== null) written.push(value);
    const expectedVersion = f === "cas" ? rnd.int(3) : f === "delete" ? rnd.int(4) - 1 : -1;
    const version = outcome === "ok" && f !== "delete" ? (f === "create" ? 0 : rnd.next() < 0.1 ? undefined : rnd.int(4)) : undefined;
    const error = outcome === "fail" ? rnd.pick(errors[f]) : undefined;
    return { id, process: id, f, path: "/k", outcome, value, expectedVersion, version, error, ...interval(rnd, outcome === "unknown") };
  });
}

/** Valid by construction (each op takes effect at one instant of its interval; lost ones half the time), then one
 * result or call may be nudged: histories where ops of unknown outcome had to apply. */
function simulatedZkHistory(rnd: SeededRandom, n: number): ZkRegisterOp[] {
  let node: { version: number; value: string } | null = null;
  const timeline = Array.from({ length: n }, (_, id) => {
    const call = rnd.int(30);
    const at = call + rnd.next() * 4;
    return { id, call, at, ret: Math.ceil(at + rnd.next() * 4) };
  }).sort((a, b) => a.at - b.at);
  const ops = timeline.map(({ id, call, ret }): ZkRegisterOp => {
    const f = rnd.pick(["create", "cas", "cas", "write", "delete", "read"] as const);
    const base = { id, process: id, path: "/k", call, ret };
    if (f === "read") return { ...base, f, outcome: "ok", value: node?.value ?? null, expectedVersion: -1, version: node?.version };
    const expectedVersion = f === "cas" ? (node && rnd.next() < 0.7 ? node.version : rnd.int(3)) : f === "delete" ? (rnd.next() < 0.5 ? -1 : (node?.version ?? 0)) : -1;
    const applies = f === "create" ? node === null : node !== null && (expectedVersion === -1 || expectedVersion === node.version);
    const lost = rnd.next() < 0.3;
    if (applies && (!lost || rnd.next() < 0.5)) node = f === "delete" ? null : { version: f === "create" ? 0 : node!.version + 1, value: `v${id}` };
    const outcome = lost ? "unknown" : applies ? "ok" : "fail";
    const error = outcome !== "fail" ? undefined : f === "create" ? "NODE_EXISTS" : node === null ? "NO_NODE" : "BAD_VERSION";
    const version = outcome === "ok" && f !== "delete" ? node!.version : undefined;
    return { ...base, f, outcome, value: f === "delete" ? null : `v${id}`, expectedVersion, version, error, ret: lost ? Infinity : ret };
  });
  const i = rnd.int(n);
  if (rnd.next() < 0.3) ops[i] = { ...ops[i], version: ops[i].version === undefined ? undefined : ops[i].version! + 1 - rnd.int(3), call: Math.min(ops[i].call + rnd.int(3), ops[i].ret) };
  return ops;
}

describe("linearizability", () => {
  describe("the etcd oracles (porcupine's test data): every verdict as verdicts.tsv gives it", () => {
    it("has all 52 histories, each file present (a *.log ignore rule once kept them out of the repository)", () => {
      expect(verdicts).to.have.length(52);
      expect(verdicts.map(([file]) => file).filter((file) => !existsSync(join(ORACLES, file)))).to.deep.equal([]);
    });
    for (const [file, linearizable] of verdicts) {
      it(`${file}: ${linearizable === "true" ? "linearizable" : "not linearizable"}`, () => {
        expect(checkOperations(oracle(file), casRegisterModel).status).to.equal(linearizable === "true" ? "linearizable" : "not-linearizable");
      });
    }
  });

  it("a violation's witness is a real prefix: in real-time order, each op accepted, ending in the state it names", () => {
    for (const [file] of verdicts.filter(([, linearizable]) => linearizable === "false")) {
      const ops = oracle(file);
      const verdict = checkOperations(ops, casRegisterModel);
      if (verdict.status !== "not-linearizable") throw new Error(`${file}: ${verdict.status}`);
      const byId = new Map(ops.map((op) => [op.id, op]));
      const prefix = verdict.witness.prefix.map((id) => byId.get(id)!);
      let state = casRegisterModel.init();
      prefix.forEach((op, i) => {
        const later = prefix.slice(i + 1);
        expect(later.every((after) => after.ret >= op.call), `${file}: #${op.id} placed after an op that returned before it was called`).to.equal(true);
        const r = casRegisterModel.step(state, op);
        expect(r.ok, `${file}: #${op.id} in ${state}`).to.equal(true);
        state = r.next;
      });
      expect(verdict.witness.state, file).to.equal(casRegisterModel.describeState!(state));
      expect(verdict.witness.candidates.map((c) => c.id), file).to.include(verdict.witness.blocked.id);
    }
  });

  it("agrees with an exhaustive search on 1,500 small random histories of each kind", () => {
    const disagreements: string[] = [];
    let linearizable = 0;
    const compare = <S, O extends TimedOp>(name: string, ops: readonly O[], model: Model<S, O>): void => {
      const expected = exhaustive(ops, model);
      const got = checkOperations(ops, model).status;
      if (got !== (expected ? "linearizable" : "not-linearizable")) disagreements.push(`${name}: ${got}`);
      if (expected) linearizable++;
    };
    const readIn = (ops: readonly ZkRegisterOp[]) => new Set(ops.flatMap((op) => (op.f === "read" && op.value !== null ? [op.value] : [])));
    for (let seed = 1; seed <= 1500; seed++) {
      const rnd = new SeededRandom(seed);
      compare(`cas seed ${seed}`, randomCasHistory(rnd, 3 + rnd.int(7)), casRegisterModel);
      const zk = randomZkHistory(rnd, 3 + rnd.int(7));
      compare(`zk seed ${seed}`, zk, zkRegisterModelFor(readIn(zk)));
      const simulated = simulatedZkHistory(rnd, 4 + rnd.int(7));
      compare(`simulated zk seed ${seed}`, simulated, zkRegisterModelFor(readIn(simulated)));
    }
    expect(disagreements).to.deep.equal([]);
    expect(linearizable, "both verdicts well represented").to.be.within(1500, 3500);
  });

  it("is iterative: 10,000 sequential compare-and-sets on one register check without overflowing the stack", () => {
    const ops: CasRegisterOp[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: i, process: 0, f: "cas", outcome: "ok", value: null, from: i === 0 ? null : String(i - 1), to: String(i), call: 2 * i, ret: 2 * i + 1,
    }));
    expect(checkOperations(ops, casRegisterModel).status).to.equal("linearizable");
    ops[5_000] = { ...ops[5_000], from: "x" };
    const broken = checkOperations(ops, casRegisterModel);
    expect(broken.status).to.equal("not-linearizable");
    if (broken.status === "not-linearizable") expect(broken.witness.blocked.id).to.equal(5_000);
  });

  it("is bounded: a tiny step limit gives unknown, never a verdict it did not reach", () => {
    const hard = verdicts.map(([file]) => ({ file, steps: checkOperations(oracle(file), casRegisterModel).steps })).sort((a, b) => b.steps - a.steps);
    for (const { file } of hard.slice(0, 4)) {
      const verdict = checkOperations(oracle(file), casRegisterModel, { maxSteps: 20 });
      expect(verdict.status, file).to.equal("unknown");
      if (verdict.status === "unknown") expect(verdict.reason).to.match(/step limit/);
    }
    expect(checkOperations(oracle(hard[0].file), casRegisterModel, { deadlineMs: -1 }).status).to.equal("unknown");
  });

  it("an op of unknown outcome may take effect after everything else or never, but not before its call", () => {
    const op = (id: number, f: CasRegisterOp["f"], outcome: CasRegisterOp["outcome"], value: string | null, call: number, ret: number): CasRegisterOp =>
      ({ id, process: id, f, outcome, value, call, ret });
    const lostWrite = op(0, "write", "info", "1", 0, Infinity);
    expect(checkOperations([lostWrite, op(1, "read", "ok", null, 1, 2)], casRegisterModel).status).to.equal("linearizable");
    expect(checkOperations([lostWrite, op(1, "read", "ok", "1", 1, 2)], casRegisterModel).status).to.equal("linearizable");
    expect(checkOperations([op(0, "write", "info", "1", 5, Infinity), op(1, "read", "ok", "1", 1, 2)], casRegisterModel).status).to.equal("not-linearizable");
  });
});

describe("parseJepsenLog", () => {
  it("reads tab- and space-separated lines; line order is time; info and unfinished calls never return", () => {
    const log = [
      "INFO  jepsen.util - 0\t:invoke\t:write\t1",
      "INFO  jepsen.util - 1   :invoke :cas    [1 2]",
      "INFO  jepsen.util - 0\t:ok\t:write\t1",
      "INFO  jepsen.util - 1\t:info\t:cas\t[1 2]",
      "INFO  jepsen.util - 2\t:invoke\t:read\tnil",
      "INFO  jepsen.util - 3\t:invoke\t:write\t4",
      "INFO  jepsen.util - 2\t:ok\t:read\tnil",
      "",
    ].join("\n");
    expect(parseJepsenLog(log)).to.deep.equal([
      // Every field on every operation (from, to undefined but for cas): one hidden class for V8.
      { id: 0, process: 0, outcome: "ok", call: 0, ret: 2, f: "write", value: "1", from: undefined, to: undefined },
      { id: 1, process: 1, outcome: "info", call: 1, ret: Infinity, f: "cas", value: null, from: "1", to: "2" },
      { id: 4, process: 2, outcome: "ok", call: 4, ret: 6, f: "read", value: null, from: undefined, to: undefined },
      { id: 5, process: 3, outcome: "info", call: 5, ret: Infinity, f: "write", value: "4", from: undefined, to: undefined },
    ]);
  });

  it("refuses what is not a history: a second call while one is open, a process used after info, a stray completion", () => {
    const line = (p: number, type: string, f: string, v: string) => `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;
    expect(() => parseJepsenLog([line(0, "invoke", "read", "nil"), line(0, "invoke", "read", "nil")].join("\n"))).to.throw(/line 2.*still open/);
    expect(() => parseJepsenLog([line(0, "invoke", "read", "nil"), line(0, "info", "read", "nil"), line(0, "invoke", "read", "nil")].join("\n"))).to.throw(/after an info/);
    expect(() => parseJepsenLog(line(0, "ok", "read", "1"))).to.throw(/completes no open read/);
    expect(() => parseJepsenLog(line(0, "invoke", "cas", "3"))).to.throw(/not \[from to\]/);
  });
});
