// Linearizability of a zkdrill history, znode by znode: each znode is a versioned register (ZooKeeper's create,
// setData with or without an expected version, delete, and reads that ZooKeeper orders), and a history is
// linearizable iff each znode's sub-history is (linearizability is local: Herlihy & Wing's P-compositionality).
import { performance } from "node:perf_hooks";
import { DEFINITE_FAILURES, type Operation } from "../history/model";
import { checkOperations, DEFAULT_DEADLINE_MS, type KeyVerdict, type SearchLimits, type Witness } from "./linearizability";
import { describe, zkRegisterModelFor, zkRegisterModelFromAnyState, type ZkRegisterOp } from "./zk-model";
import { refuteInWindow } from "./zk-window";
import { judgeByZxid } from "./zk-witness";

export { zkRegisterModel, zkRegisterModelFor, zkRegisterModelFromAnyState, type ZkRegisterOp, type ZkRegisterState } from "./zk-model";

/** Definite errors that say something about the znode's own state; other definite ones say nothing of it. */
const OBSERVING_ERRORS: Readonly<Record<ZkRegisterOp["f"], ReadonlySet<string>>> = {
  create: new Set(["NODE_EXISTS"]),
  cas: new Set(["BAD_VERSION", "NO_NODE"]),
  write: new Set(["NO_NODE"]),
  delete: new Set(["NO_NODE", "BAD_VERSION", "NOT_EMPTY"]),
  read: new Set(),
};

/** "0x..." as a number: exact below 2^53, i.e. for epochs below 2^21. */
const zxidNumber = (hex: string | undefined): number | undefined => (hex === undefined ? undefined : parseInt(hex, 16));

/** The call of the operation with id `id` (ids ascend in a history's operations: a binary search, no index). */
function callOf(ops: readonly Operation[], id: number): number | undefined {
  let lo = 0;
  let hi = ops.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ops[mid].id === id) return ops[mid].call;
    if (ops[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return ops.find((op) => op.id === id)?.call;
}

/**
 * The operations the register model judges, with the intervals it judges them over:
 * - writes (create, setData, delete); a failure with an error outside DEFINITE_FAILURES may still have applied,
 *   so it is unknown (ret = Infinity) like an info;
 * - reads that zkdrill ordered after a write of the same session (`syncedBy`): the follower answering had
 *   applied that write, so the read saw a state from after the write's call. Plain reads are left out: a follower
 *   may serve them stale, which ZooKeeper allows (the session order judges them). Failed or unknown reads
 *   observed nothing;
 * - sequential creates as creates of the name they returned, when calls use it (see sequentialNames); not
 *   exists or children.
 * Each carries its zxid: a setData's from its stat, a create's or delete's (no stat) from the reply header.
 */
export function judgedOperations(ops: readonly Operation[]): ZkRegisterOp[] {
  const judged: ZkRegisterOp[] = [];
  const named = sequentialNames(ops);
  for (const original of ops) {
    const op = named.judge(original);
    if (!op) continue;
    const f = op.f === "cas" && (op.expectedVersion ?? -1) < 0 ? "write" : op.f;
    if (f === "exists" || f === "children") continue;
    const definite = op.outcome === "fail" && op.error !== undefined && DEFINITE_FAILURES.has(op.error);
    const outcome = op.outcome === "ok" ? "ok" : definite ? "fail" : "unknown";
    if (outcome === "fail" && !OBSERVING_ERRORS[f].has(op.error!)) continue;
    let call = op.call;
    if (f === "read") {
      const syncCall = op.syncedBy === undefined ? undefined : callOf(ops, op.syncedBy);
      if (syncCall === undefined || outcome !== "ok" || (op.value !== null && typeof op.value !== "string")) continue;
      call = syncCall;
    }
    const zxid = outcome !== "ok" ? undefined : f === "cas" || f === "write" || f === "read" ? zxidNumber(op.zxid ?? (f === "read" ? undefined : op.serverZxid)) : zxidNumber(op.serverZxid);
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
      // Every field always present: one object shape for a million operations.
      zxid,
      serverZxid: outcome === "unknown" ? undefined : zxidNumber(op.serverZxid),
      sessionEnd: undefined,
      ephemeral: op.ephemeral === true && f === "create",
    });
  }
  return judged;
}

/**
 * Znodes named by sequential creates (a lock's, a queue item's, the recipes'): a sequential create is
 * judged as a create of the name it returned when later calls use that name; a call on a name whose
 * create never came back has no start to judge it from and is left out, as are sequential creates no
 * call uses again (their name is all they prove, and the set and ids checks judge that).
 */
function sequentialNames(ops: readonly Operation[]): { judge(op: Operation): Operation | undefined } {
  const prefixes = new Set<string>();
  const used = new Set<string>();
  for (const op of ops) {
    if (op.sequential) prefixes.add(op.path);
    else used.add(op.path);
  }
  const created = new Set<string>();
  for (const op of ops) if (op.sequential && op.outcome === "ok" && op.created && used.has(op.created)) created.add(op.created);
  const isSequentialName = (path: string) => /\d{10}$/.test(path) && prefixes.has(path.slice(0, -10));
  return {
    judge(op) {
      if (op.sequential) return op.outcome === "ok" && op.created && created.has(op.created) ? { ...op, path: op.created, sequential: false } : undefined;
      if (prefixes.size > 0 && !created.has(op.path) && isSequentialName(op.path)) return undefined;
      return op;
    },
  };
}

/**
 * For each ephemeral create that may have taken effect, its end with its owner's session: a delete nobody issued,
 * of unknown outcome, possible only after the last call of that session that succeeded (it was alive then).
 */
function sessionEnds(ops: readonly Operation[], judged: readonly ZkRegisterOp[], sessionOf: ReadonlyMap<number, string>): ZkRegisterOp[] {
  const ephemeral = new Set<number>();
  // Sequential ones too: judged (judgedOperations) as creates of their names where calls use them.
  for (const op of ops) if (op.ephemeral) ephemeral.add(op.id);
  if (ephemeral.size === 0) return [];
  const sessionKey = (process: number): string => sessionOf.get(process) ?? `process ${process}`;
  const lastAlive = new Map<string, number>();
  for (const op of ops) {
    if (op.outcome !== "ok") continue;
    const key = sessionKey(op.process);
    if (op.call > (lastAlive.get(key) ?? -Infinity)) lastAlive.set(key, op.call);
  }
  return judged
    .filter((op) => op.f === "create" && op.outcome !== "fail" && ephemeral.has(op.id))
    .map((create) => ({
      id: -1 - create.id,
      process: create.process,
      f: "delete" as const,
      path: create.path,
      outcome: "unknown" as const,
      value: null,
      expectedVersion: -1,
      call: Math.max(create.call, lastAlive.get(sessionKey(create.process)) ?? -Infinity),
      ret: Infinity,
      sessionEnd: true as const,
    }));
}

export interface KeyFailure {
  readonly path: string;
  readonly status: "not-linearizable" | "unknown";
  /** One line a person can act on. */
  readonly message: string;
  readonly witness?: Witness;
}

/**
 * Which judge decided a znode: ZooKeeper's zxid order, the search over a window around where that order
 * contradicts itself (zk-window.ts), the search over all of it, or an immediate refusal (see checkHistory).
 */
export type JudgedBy = "zxid-order" | "window" | "search" | "refused";

export type ZkKeyVerdict = KeyVerdict & {
  readonly judgedBy: JudgedBy;
  /** Why the zxid order could not decide, when the search did. */
  readonly zxidNote?: string;
};

export interface HistoryVerdict {
  readonly status: "linearizable" | "not-linearizable" | "unknown";
  /** Znodes judged. */
  readonly keys: number;
  /** Operations judged. */
  readonly operations: number;
  readonly perKey: Readonly<Record<string, ZkKeyVerdict>>;
  /** Znodes decided by each judge. */
  readonly judgedBy: Readonly<Record<JudgedBy, number>>;
  /** The znodes not found linearizable: violations first, then undecided ones. */
  readonly failures: readonly KeyFailure[];
  readonly steps: number;
  readonly summary: string;
}

/**
 * Checks each znode's operations on its own, by the cheapest judge that can decide it:
 * - refused at once: a judged read of a value no write to the znode carried (from an absent start), or an
 *   acknowledged compare-and-set replying a version no state allows;
 * - ZooKeeper's zxid order (zk-witness.ts, O(n log n)) where it proves the znode linearizable;
 * - where that order contradicts itself, a search over a window around the operations that do (zk-window.ts);
 * - otherwise the search (linearizability.ts), which decides, bounded by `maxSteps` per znode.
 * `deadlineMs` (default DEFAULT_DEADLINE_MS) bounds the whole history: znodes left when it passes are "unknown".
 * Ephemeral znodes are judged with their owners' sessions: each may vanish once its session has last been seen.
 */
export function checkHistory(
  ops: readonly Operation[],
  opts: SearchLimits & { initial?: "absent" | "unknown"; sessionOf?: ReadonlyMap<number, string> } = {},
): HistoryVerdict {
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = performance.now() + deadlineMs;
  const judged = judgedOperations(ops);
  const operations = judged.length;
  judged.push(...sessionEnds(ops, judged, opts.sessionOf ?? new Map()));
  const byPath = new Map<string, ZkRegisterOp[]>();
  for (const op of judged) {
    const list = byPath.get(op.path);
    if (list) list.push(op);
    else byPath.set(op.path, [op]);
  }
  judged.length = 0;
  const perKey: Record<string, ZkKeyVerdict> = {};
  const judgedBy: Record<JudgedBy, number> = { "zxid-order": 0, window: 0, search: 0, refused: 0 };
  const failures: KeyFailure[] = [];
  let steps = 0;
  for (const path of [...byPath.keys()].sort()) {
    const keyOps = byPath.get(path)!;
    const verdict = judgeZnode(keyOps, opts.initial ?? "absent", { maxSteps: opts.maxSteps, deadlineMs: deadline - performance.now() }, deadlineMs);
    perKey[path] = verdict;
    judgedBy[verdict.judgedBy]++;
    steps += verdict.steps;
    if (verdict.status === "not-linearizable") failures.push({ path, status: verdict.status, message: `${path}: ${explain(verdict.witness)}`, witness: verdict.witness });
    if (verdict.status === "unknown") failures.push({ path, status: verdict.status, message: `${path}: undecided: ${verdict.reason}` });
  }
  failures.sort((a, b) => (a.status === b.status ? 0 : a.status === "not-linearizable" ? -1 : 1));
  const violations = failures.filter((f) => f.status === "not-linearizable").length;
  const status = violations > 0 ? "not-linearizable" : failures.length > 0 || operations === 0 ? "unknown" : "linearizable";
  const how = `${judgedBy["zxid-order"]} by zxid order, ${judgedBy.window > 0 ? `${judgedBy.window} refuted in a window, ` : ""}${judgedBy.search} by search${judgedBy.refused > 0 ? `, ${judgedBy.refused} refused at once` : ""}`;
  const counted = `${operations} operations on ${byPath.size} znodes (${how}), ${steps} search steps`;
  const summary =
    operations === 0 ? "unknown: no writes or compare-and-sets to judge" :
    status === "linearizable" ? `linearizable: ${counted}` :
    status === "not-linearizable" ? `not linearizable on ${violations} of ${byPath.size} znodes (${counted}); first: ${failures[0].message}` :
    `unknown: ${failures.length} of ${byPath.size} znodes undecided (${counted}); first: ${failures[0].message}`;
  return { status, keys: byPath.size, operations, perKey, judgedBy, failures, steps, summary };
}

function judgeZnode(keyOps: readonly ZkRegisterOp[], initial: "absent" | "unknown", limits: SearchLimits, deadlineMs: number): ZkKeyVerdict {
  if (limits.deadlineMs! <= 0) return { status: "unknown", steps: 0, reason: `deadline reached (${deadlineMs} ms) before this znode`, judgedBy: "search" };
  if (initial === "unknown") return { ...checkOperations(keyOps, zkRegisterModelFromAnyState, limits), judgedBy: "search" };
  const refused = readOfNoWrite(keyOps) ?? impossibleReply(keyOps);
  if (refused !== null) return { status: "not-linearizable", steps: 0, witness: refused, judgedBy: "refused" };
  const byZxid = judgeByZxid(keyOps);
  if (byZxid.judged) return { status: "linearizable", steps: 0, judgedBy: "zxid-order" };
  const refuted = refuteInWindow(keyOps, byZxid.involved, limits);
  if (refuted !== null) {
    const { window, ...verdict } = refuted;
    return { ...verdict, judgedBy: "window", zxidNote: `${byZxid.reason}; refuted in a window of ${window} operations around it` };
  }
  return { ...checkOperations(keyOps, zkRegisterModelFor(valuesRead(keyOps)), limits), judgedBy: "search", zxidNote: byZxid.reason };
}

/** A judged read of a value that no write to the znode carried: no order explains it, so no search is needed. */
function readOfNoWrite(keyOps: readonly ZkRegisterOp[]): Witness | null {
  const written = new Set<string>();
  for (const op of keyOps) if (op.f !== "read" && op.f !== "delete" && op.value !== null) written.add(op.value);
  const read = keyOps.find((op) => op.f === "read" && op.outcome === "ok" && op.value !== null && !written.has(op.value));
  if (read === undefined) return null;
  return {
    prefix: [],
    lastChange: null,
    state: `no write to this znode carried ${JSON.stringify(read.value)}`,
    blocked: { id: read.id, description: describe(read), rejected: true },
    candidates: [],
  };
}

/**
 * An acknowledged compare-and-set whose reply gives a version other than the one it expected plus one: no state
 * of the znode, so no order, allows that reply (setData with a version bumps exactly that version).
 */
function impossibleReply(keyOps: readonly ZkRegisterOp[]): Witness | null {
  const op = keyOps.find((o) => o.f === "cas" && o.outcome === "ok" && o.expectedVersion >= 0 && o.version !== undefined && o.version !== o.expectedVersion + 1);
  if (op === undefined) return null;
  return {
    prefix: [],
    lastChange: null,
    state: `any: a compare-and-set on version ${op.expectedVersion} leaves version ${op.expectedVersion + 1}, not ${op.version}`,
    blocked: { id: op.id, description: describe(op), rejected: true },
    candidates: [],
  };
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
