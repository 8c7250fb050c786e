// Linearizability of a zkdrill history, znode by znode: each znode is a versioned register (ZooKeeper's create,
// setData with or without an expected version, delete, and reads that ZooKeeper orders), and a history is
// linearizable iff each znode's sub-history is (linearizability is local: Herlihy & Wing's P-compositionality).
import { performance } from "node:perf_hooks";
import { DEFINITE_FAILURES, type Operation } from "../history/model";
import { checkOperations, type KeyVerdict, type Model, type SearchLimits, type StepResult, type TimedOp, type Witness } from "./linearizability";

export interface ZkRegisterState {
  readonly exists: boolean;
  readonly version: number;
  readonly value: string | null;
}

/** An operation the register model judges (see judgedOperations for which and why). */
export interface ZkRegisterOp extends TimedOp {
  readonly process: number;
  readonly f: "create" | "cas" | "write" | "delete" | "read";
  readonly path: string;
  /** fail: a definite error, an observation of the state; unknown: it may apply any time after its call, or never. */
  readonly outcome: "ok" | "fail" | "unknown";
  /** create/cas/write: the value written; read: the value read (null: no node). */
  readonly value: string | null;
  /** cas/delete: the version expected (-1: any). */
  readonly expectedVersion: number;
  /** ok: the version after a write, or the version read (undefined: not recorded, not checked). */
  readonly version?: number;
  readonly error?: string;
}

const ABSENT: ZkRegisterState = { exists: false, version: 0, value: null };

const observed = <S>(ok: boolean, state: S): StepResult<S> => ({ ok, next: state });

function step(s: ZkRegisterState, op: ZkRegisterOp): StepResult<ZkRegisterState> {
  const bumped = (): StepResult<ZkRegisterState> => ({ ok: true, next: { exists: true, version: s.version + 1, value: op.value } });
  const versionMatches = op.expectedVersion === -1 || s.version === op.expectedVersion;
  switch (op.f) {
    case "create":
      if (op.outcome === "fail") return observed(s.exists, s); // NODE_EXISTS
      if (!s.exists) return { ok: true, next: { exists: true, version: 0, value: op.value } };
      return observed(op.outcome === "unknown", s);
    case "cas":
    case "write": {
      if (op.outcome === "fail") return observed(op.error === "NO_NODE" ? !s.exists : s.exists && !versionMatches, s);
      const applies = s.exists && (op.f === "write" || versionMatches);
      if (op.outcome === "unknown") return applies ? bumped() : observed(true, s);
      return applies && (op.version === undefined || op.version === s.version + 1) ? bumped() : observed(false, s);
    }
    case "delete":
      if (op.outcome === "fail") {
        if (op.error === "NO_NODE") return observed(!s.exists, s);
        // ZooKeeper checks the version before the children: NOT_EMPTY means the version matched.
        return observed(s.exists && (op.error === "NOT_EMPTY" ? versionMatches : !versionMatches), s);
      }
      if (s.exists && versionMatches) return { ok: true, next: ABSENT };
      return observed(op.outcome === "unknown", s);
    case "read":
      if (op.value === null) return observed(!s.exists, s);
      return observed(s.exists && s.value === op.value && (op.version === undefined || op.version === s.version), s);
  }
}

function describe(op: ZkRegisterOp): string {
  const value = JSON.stringify(op.value);
  const call =
    op.f === "read" ? "read" :
    op.f === "create" ? `create ${value}` :
    op.f === "write" ? `write ${value}` :
    op.f === "cas" ? `cas version ${op.expectedVersion} -> ${value}` :
    `delete version ${op.expectedVersion}`;
  const result =
    op.outcome === "unknown" ? `unknown${op.error ? ` (${op.error})` : ""}` :
    op.outcome === "fail" ? `fail ${op.error}` :
    op.f === "read" ? (op.value === null ? "ok: no node" : `ok: ${value}${op.version === undefined ? "" : ` version ${op.version}`}`) :
    op.version === undefined ? "ok" : `ok: version ${op.version}`;
  return `#${op.id} process ${op.process} ${call} ${result}`;
}

/** When a write (ok or unknown) changes the znode, and to what: what `interchangeable` and `covers` compare. */
interface Effect {
  /** The state it needs: an exact version of an existing znode, any existing one, or none. */
  readonly when: number | "exists" | "absent";
  readonly to: string;
}

function effectOf(op: ZkRegisterOp, shown: (value: string | null) => string): Effect | null {
  if (op.f === "read" || op.outcome === "fail") return null;
  switch (op.f) {
    case "create":
      return { when: "absent", to: "create" + shown(op.value) };
    case "delete":
      return { when: op.expectedVersion === -1 ? "exists" : op.expectedVersion, to: "delete" };
    case "cas":
      return { when: op.expectedVersion, to: "set" + shown(op.value) };
    case "write":
      // An acknowledged blind setData with its version known could only have followed the version before.
      return { when: op.outcome === "ok" && op.version !== undefined ? op.version - 1 : "exists", to: "set" + shown(op.value) };
  }
}

/**
 * ZooKeeper's versioned znode (state: exists, version, value; initially absent). With `readValues`, the values
 * some judged read returned: only reads look at values, so states differing only in values no read returned are
 * told apart by nothing, share a memo key, and writes of such values differ only in the versions they need.
 * Without it every value counts.
 */
export function zkRegisterModelFor(readValues?: ReadonlySet<string>): Model<ZkRegisterState, ZkRegisterOp> {
  const shown = (value: string | null): string => (value === null ? "" : readValues === undefined || readValues.has(value) ? "=" + value : "?");
  return {
    init: () => ABSENT,
    step,
    readOnly: (op) => op.f === "read" || op.outcome === "fail",
    key: (s) => (s.exists ? `${s.version}${shown(s.value)}` : "-"),
    interchangeable(op) {
      const effect = effectOf(op, shown);
      return effect === null ? `#${op.id}` : `${effect.when} ${effect.to}`;
    },
    // A lost blind setData can do what any setData does, a lost delete of any version what any delete does.
    covers(strong, weak) {
      const s = effectOf(strong, shown);
      const w = effectOf(weak, shown);
      return s !== null && w !== null && s.to === w.to && (s.when === w.when || (s.when === "exists" && w.when !== "absent"));
    },
    describe,
    describeState: (s) => (s.exists ? `version ${s.version}, value ${JSON.stringify(s.value)}` : "no node"),
  };
}

export const zkRegisterModel = zkRegisterModelFor();

/**
 * A znode whose state at the start is not known: the first lineage after an operator formed a new
 * ensemble from what survived (a restore, a promotion). It stands for any concrete state until an
 * operation pins it; it pins only what the operation proves, and otherwise stays open (permissive,
 * never a false violation). The search's shortcuts assume a known state, so this model offers none.
 */
const ANY: ZkRegisterState = { exists: true, version: -1, value: "\u0000any" };

function stepFromAny(op: ZkRegisterOp): StepResult<ZkRegisterState> {
  const pinned = (version: number | undefined, value: string | null): StepResult<ZkRegisterState> => ({ ok: true, next: version === undefined ? ANY : { exists: true, version, value } });
  if (op.outcome === "fail") return { ok: true, next: op.error === "NO_NODE" ? ABSENT : ANY };
  if (op.outcome === "unknown") return { ok: true, next: op.f === "delete" ? ABSENT : ANY };
  switch (op.f) {
    case "create":
      return pinned(0, op.value);
    case "cas":
    case "write":
      return op.f === "cas" && op.version !== undefined && op.expectedVersion >= 0 && op.version !== op.expectedVersion + 1 ? { ok: false, next: ANY } : pinned(op.version, op.value);
    case "delete":
      return { ok: true, next: ABSENT };
    case "read":
      return op.value === null ? { ok: true, next: ABSENT } : pinned(op.version, op.value);
  }
}

export const zkRegisterModelFromAnyState: Model<ZkRegisterState, ZkRegisterOp> = {
  init: () => ANY,
  step: (s, op) => (s === ANY ? stepFromAny(op) : step(s, op)),
  key: (s) => (s === ANY ? "*" : s.exists ? `${s.version}=${s.value}` : "-"),
  describe,
  describeState: (s) => (s === ANY ? "whatever survived (not yet observed)" : s.exists ? `version ${s.version}, value ${JSON.stringify(s.value)}` : "no node"),
};

/** Definite errors that say something about the znode's own state; other definite ones say nothing of it. */
const OBSERVING_ERRORS: Readonly<Record<ZkRegisterOp["f"], readonly string[]>> = {
  create: ["NODE_EXISTS"],
  cas: ["BAD_VERSION", "NO_NODE"],
  write: ["NO_NODE"],
  delete: ["NO_NODE", "BAD_VERSION", "NOT_EMPTY"],
  read: [],
};

/**
 * The operations the register model judges, with the intervals it judges them over:
 * - writes (create, setData, delete); a failure with an error outside DEFINITE_FAILURES may still have applied,
 *   so it is unknown (ret = Infinity) like an info;
 * - reads that zkdrill ordered after a write of the same session (`syncedBy`): the follower answering had
 *   applied that write, so the read saw a state from after the write's call. Plain reads are left out: a follower
 *   may serve them stale, which ZooKeeper allows. Failed or unknown reads observed nothing;
 * - not sequential creates (the name is chosen by the server), exists or children.
 */
export function judgedOperations(ops: readonly Operation[]): ZkRegisterOp[] {
  const callById = new Map(ops.map((op) => [op.id, op.call]));
  const judged: ZkRegisterOp[] = [];
  for (const op of ops) {
    if (op.sequential) continue;
    const f = op.f === "cas" && (op.expectedVersion ?? -1) < 0 ? "write" : op.f;
    if (f === "exists" || f === "children") continue;
    const definite = op.outcome === "fail" && op.error !== undefined && DEFINITE_FAILURES.has(op.error);
    const outcome = op.outcome === "ok" ? "ok" : definite ? "fail" : "unknown";
    if (outcome === "fail" && !OBSERVING_ERRORS[f].includes(op.error!)) continue;
    let call = op.call;
    if (f === "read") {
      const syncCall = op.syncedBy === undefined ? undefined : callById.get(op.syncedBy);
      if (syncCall === undefined || outcome !== "ok" || (op.value !== null && typeof op.value !== "string")) continue;
      call = syncCall;
    }
    judged.push({
      id: op.id,
      process: op.process,
      f,
      path: op.path,
      outcome,
      value: typeof op.value === "string" ? op.value : null,
      expectedVersion: f === "write" ? -1 : (op.expectedVersion ?? -1),
      version: outcome === "ok" ? op.version : undefined,
      error: op.error,
      call,
      ret: outcome === "unknown" ? Infinity : op.ret,
    });
  }
  return judged;
}

export interface KeyFailure {
  readonly path: string;
  readonly status: "not-linearizable" | "unknown";
  /** One line a person can act on. */
  readonly message: string;
  readonly witness?: Witness;
}

export interface HistoryVerdict {
  readonly status: "linearizable" | "not-linearizable" | "unknown";
  /** Znodes judged. */
  readonly keys: number;
  /** Operations judged. */
  readonly operations: number;
  readonly perKey: Readonly<Record<string, KeyVerdict>>;
  /** The znodes not found linearizable: violations first, then undecided ones. */
  readonly failures: readonly KeyFailure[];
  readonly steps: number;
  readonly summary: string;
}

/**
 * Checks each znode's operations on its own. `maxSteps` applies to each znode; `deadlineMs` to the whole
 * history (znodes left when it passes are "unknown").
 */
export function checkHistory(ops: readonly Operation[], opts: SearchLimits & { initial?: "absent" | "unknown" } = {}): HistoryVerdict {
  const deadline = opts.deadlineMs === undefined ? Infinity : performance.now() + opts.deadlineMs;
  const byPath = new Map<string, ZkRegisterOp[]>();
  // An ephemeral znode goes with its session, a delete no client issued: its history has a gap.
  const ephemeral = new Set(ops.filter((op) => op.ephemeral).map((op) => op.path));
  const judged = judgedOperations(ops).filter((op) => !ephemeral.has(op.path));
  for (const op of judged) {
    const list = byPath.get(op.path);
    if (list) list.push(op);
    else byPath.set(op.path, [op]);
  }
  const perKey: Record<string, KeyVerdict> = {};
  const failures: KeyFailure[] = [];
  let steps = 0;
  for (const path of [...byPath.keys()].sort()) {
    const keyOps = byPath.get(path)!;
    const left = deadline - performance.now();
    const verdict: KeyVerdict =
      left <= 0
        ? { status: "unknown", steps: 0, reason: `deadline reached (${opts.deadlineMs} ms) before this znode` }
        : checkOperations(keyOps, opts.initial === "unknown" ? zkRegisterModelFromAnyState : zkRegisterModelFor(valuesRead(keyOps)), { maxSteps: opts.maxSteps, deadlineMs: Number.isFinite(left) ? left : undefined });
    perKey[path] = verdict;
    steps += verdict.steps;
    if (verdict.status === "not-linearizable") failures.push({ path, status: verdict.status, message: `${path}: ${explain(verdict.witness)}`, witness: verdict.witness });
    if (verdict.status === "unknown") failures.push({ path, status: verdict.status, message: `${path}: undecided: ${verdict.reason}` });
  }
  failures.sort((a, b) => (a.status === b.status ? 0 : a.status === "not-linearizable" ? -1 : 1));
  const violations = failures.filter((f) => f.status === "not-linearizable").length;
  const status = violations > 0 ? "not-linearizable" : failures.length > 0 || judged.length === 0 ? "unknown" : "linearizable";
  const counted = `${judged.length} operations on ${byPath.size} znodes, ${steps} search steps`;
  const summary =
    judged.length === 0 ? "unknown: no writes or compare-and-sets to judge" :
    status === "linearizable" ? `linearizable: ${counted}` :
    status === "not-linearizable" ? `not linearizable on ${violations} of ${byPath.size} znodes (${counted}); first: ${failures[0].message}` :
    `unknown: ${failures.length} of ${byPath.size} znodes undecided (${counted}); first: ${failures[0].message}`;
  return { status, keys: byPath.size, operations: judged.length, perKey, failures, steps, summary };
}

function valuesRead(ops: readonly ZkRegisterOp[]): Set<string> {
  const values = new Set<string>();
  for (const op of ops) if (op.f === "read" && op.value !== null) values.add(op.value);
  return values;
}

/** The violation in one line: the state reached, who set it, and what could not follow. */
function explain(w: Witness): string {
  const state = `${w.state} (${w.lastChange === null ? "initial" : `set by ${w.lastChange.description}`})`;
  const why = w.blocked.rejected ? "cannot take effect there" : "takes effect there but strands the rest";
  const others = w.candidates.filter((c) => c.id !== w.blocked.id && c.rejected).map((c) => c.description);
  const shown = others.slice(0, 3).join("; ") + (others.length > 3 ? ` and ${others.length - 3} more` : "");
  return `after ${w.prefix.length} operations linearized the znode has ${state}; ${w.blocked.description} ${why}${others.length > 0 ? `; rejected there too: ${shown}` : ""}`;
}
