// ZooKeeper's znode as a sequential specification: a versioned register (create, setData with or without an
// expected version, delete, reads), what both judges of a znode's history use (the zxid witness, zk-witness.ts,
// and the search, linearizability.ts).
import type { Model, StepResult } from "./linearizability";
import type { TimedOp } from "./timed-op";

export interface ZkRegisterState {
  readonly exists: boolean;
  readonly version: number;
  readonly value: string | null;
  /** An ephemeral znode's owner (the creating process): only its session's end removes it. */
  readonly owner?: number;
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
  /**
   * ZooKeeper's total order (zxids as numbers): an acknowledged write's own zxid; a read's mzxid (the zxid of the
   * write it shows). Undefined: not recorded.
   */
  readonly zxid?: number;
  /** The reply header's zxid: where a definite failure's error took its place, how far a "no node" read had got. */
  readonly serverZxid?: number;
  /** An ephemeral znode's end with its session: a delete no client issued (outcome unknown). */
  readonly sessionEnd?: true | undefined;
  /** create: ephemeral, owned by `process`. */
  readonly ephemeral?: boolean | undefined;
}

export const ABSENT: ZkRegisterState = { exists: false, version: 0, value: null };

const observed = <S>(ok: boolean, state: S): StepResult<S> => ({ ok, next: state });

export function step(s: ZkRegisterState, op: ZkRegisterOp): StepResult<ZkRegisterState> {
  const bumped = (): StepResult<ZkRegisterState> => ({ ok: true, next: { exists: true, version: s.version + 1, value: op.value, owner: s.owner } });
  const versionMatches = op.expectedVersion === -1 || s.version === op.expectedVersion;
  switch (op.f) {
    case "create":
      if (op.outcome === "fail") return observed(s.exists, s); // NODE_EXISTS
      if (!s.exists) return { ok: true, next: { exists: true, version: 0, value: op.value, owner: op.ephemeral ? op.process : undefined } };
      return observed(op.outcome === "unknown", s);
    case "cas":
    case "write": {
      if (op.outcome === "fail") return observed(op.error === "NO_NODE" ? !s.exists : s.exists && !versionMatches, s);
      const applies = s.exists && (op.f === "write" || versionMatches);
      if (op.outcome === "unknown") return applies ? bumped() : observed(true, s);
      return applies && (op.version === undefined || op.version === s.version + 1) ? bumped() : observed(false, s);
    }
    case "delete":
      if (op.sessionEnd) return s.exists && s.owner === op.process ? { ok: true, next: ABSENT } : observed(true, s);
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

export function describe(op: ZkRegisterOp): string {
  if (op.sessionEnd) return `process ${op.process}'s session ends, removing its ephemeral znode created by #${-1 - op.id} (maybe)`;
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
      return { when: op.expectedVersion === -1 ? "exists" : op.expectedVersion, to: op.sessionEnd ? `end of ${op.process}` : "delete" };
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
    key: (s) => (s.exists ? `${s.version}${shown(s.value)}${s.owner === undefined ? "" : "@" + s.owner}` : "-"),
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

