// Jepsen's compare-and-set register, the model the etcd oracle histories are judged with, and a reader of Jepsen's
// log of one (`INFO  jepsen.util - <process> :<type> :<f> <value>`, tabs or spaces between fields). Jepsen logs
// carry no usable clock, so a line's index is its time; an operation that ended in `info`, or never ended, has
// ret = Infinity (it may take effect later, or never).
import type { Model, TimedOp } from "./linearizability";

/** A Jepsen compare-and-set register, as in Knossos's cas-register and porcupine's etcd tests. */
export interface CasRegisterOp extends TimedOp {
  readonly process: number;
  readonly f: "read" | "write" | "cas";
  /** ok: took effect with its result; fail: certainly did not; info: unknown (ret = Infinity). */
  readonly outcome: "ok" | "fail" | "info";
  /** read: the value read; write: the value written (null: nil). */
  readonly value: string | null;
  /** cas: sets `to` if the register holds `from`. */
  readonly from?: string | null;
  readonly to?: string | null;
}

export type CasRegisterState = string | null;

const keyOf = (value: string | null | undefined): string => (value === null || value === undefined ? "nil" : "=" + value);

/** When an op (ok or unknown) sets the register, and to what: what `interchangeable` and `covers` compare. */
function effectOf(op: CasRegisterOp): { readonly when: string; readonly to: string } | null {
  if (op.f === "read" || op.outcome === "fail") return null;
  return op.f === "write" ? { when: "any", to: keyOf(op.value) } : { when: keyOf(op.from), to: keyOf(op.to) };
}

export const casRegisterModel: Model<CasRegisterState, CasRegisterOp> = {
  init: () => null,
  step(state, op) {
    switch (op.f) {
      case "read":
        // A failed or unknown read observed nothing.
        return { ok: op.outcome !== "ok" || state === op.value, next: state };
      case "write":
        return { ok: true, next: op.outcome === "fail" ? state : op.value };
      case "cas": {
        const matches = state === (op.from ?? null);
        const applied = matches ? (op.to ?? null) : state;
        if (op.outcome === "ok") return { ok: matches, next: applied };
        if (op.outcome === "fail") return { ok: !matches, next: state };
        return { ok: true, next: applied };
      }
    }
  },
  readOnly: (op) => op.f === "read" || op.outcome === "fail",
  key: keyOf,
  interchangeable(op) {
    const effect = effectOf(op);
    return effect === null ? `#${op.id}` : `${effect.when} ${effect.to}`;
  },
  // A lost write of v can do what any write or compare-and-set to v does.
  covers(strong, weak) {
    const s = effectOf(strong);
    const w = effectOf(weak);
    return s !== null && w !== null && s.to === w.to && (s.when === "any" || s.when === w.when);
  },
  describe(op) {
    const shown = (v: string | null | undefined): string => v ?? "nil";
    const what = op.f === "read" ? "read" : op.f === "write" ? `write ${shown(op.value)}` : `cas [${shown(op.from)} ${shown(op.to)}]`;
    const result = op.f === "read" && op.outcome === "ok" ? ` -> ${shown(op.value)}` : op.outcome === "ok" ? "" : ` ${op.outcome}`;
    return `#${op.id} process ${op.process} ${what}${result}`;
  },
  describeState: (state) => (state === null ? "nil" : state),
};

const EVENT = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;
const CAS_ARGUMENT = /^\[(\S+)\s+(\S+)\]$/;

interface OpenCall {
  readonly line: number;
  readonly f: CasRegisterOp["f"];
  readonly argument: string;
}

/** Parses a whole log; throws, naming the line, on anything that is not a well-formed history. */
export function parseJepsenLog(text: string): CasRegisterOp[] {
  const open = new Map<number, OpenCall>();
  /** Processes whose last call ended in info: Jepsen retires them, and the call may still be in flight. */
  const retired = new Set<number>();
  const done = new Map<number, CasRegisterOp>();
  text.split("\n").forEach((raw, line) => {
    if (!raw.includes("jepsen.util")) return;
    const m = EVENT.exec(raw);
    if (!m) throw new Error(`line ${line + 1}: not a register event: ${raw}`);
    const process = Number(m[1]);
    const type = m[2];
    const f = m[3] as CasRegisterOp["f"];
    const argument = m[4];
    if (type === "invoke") {
      if (open.has(process)) throw new Error(`line ${line + 1}: process ${process} invokes with a call still open`);
      if (retired.has(process)) throw new Error(`line ${line + 1}: process ${process} invokes after an info`);
      open.set(process, { line, f, argument });
      return;
    }
    const call = open.get(process);
    if (!call || call.f !== f) throw new Error(`line ${line + 1}: ${type} ${f} of process ${process} completes no open ${f}`);
    open.delete(process);
    if (type === "info") retired.add(process);
    const outcome = type as CasRegisterOp["outcome"];
    done.set(call.line, operation(call, process, outcome, outcome === "info" ? Infinity : line, argument, line));
  });
  for (const [process, call] of open) done.set(call.line, operation(call, process, "info", Infinity, "", call.line));
  return [...done.values()].sort((a, b) => a.id - b.id);
}

/**
 * One object literal with every field, in one order: spreading a shared base gave each operation a hidden class
 * of its own, so every property read in the search missed V8's inline caches (half the time on small histories).
 */
function operation(call: OpenCall, process: number, outcome: CasRegisterOp["outcome"], ret: number, completion: string, line: number): CasRegisterOp {
  let value: string | null = null;
  let from: string | null | undefined;
  let to: string | null | undefined;
  switch (call.f) {
    case "read":
      value = outcome === "ok" ? valueOf(completion, line) : null;
      break;
    case "write":
      value = valueOf(call.argument, call.line);
      break;
    case "cas": {
      const m = CAS_ARGUMENT.exec(call.argument);
      if (!m) throw new Error(`line ${call.line + 1}: cas argument is not [from to]: ${call.argument}`);
      from = valueOf(m[1], call.line);
      to = valueOf(m[2], call.line);
    }
  }
  return { id: call.line, process, outcome, call: call.line, ret, f: call.f, value, from, to };
}

function valueOf(token: string, line: number): string | null {
  if (token === "nil") return null;
  if (!/^[^\s[\]]+$/.test(token)) throw new Error(`line ${line + 1}: not a register value: ${token}`);
  return token;
}
