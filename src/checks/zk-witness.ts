// ZooKeeper's own witness of linearizability: every write is one transaction with its zxid, and the zxids are
// the order in which the ensemble applied them. A znode's history is linearizable when that order, replayed on
// the register model, accepts every write, every read finds its state in it, and points in time can be chosen
// in order within every interval (the order respects real time). Sorting costs O(n log n); no search.
// It proves, never refutes: what it cannot place (a write of unknown outcome that nothing shows, a zxid missing,
// an order that real time contradicts) goes to the search, which decides, with the reason carried along.
import { ABSENT, step, type ZkRegisterOp, type ZkRegisterState } from "./zk-model";

export type ZxidJudgement =
  | { readonly judged: true; readonly writes: number }
  | {
      readonly judged: false;
      readonly reason: string;
      /** Where the zxid order contradicts itself, the operations that do (empty: a zxid was missing, no contradiction). */
      readonly involved: readonly ZkRegisterOp[];
    };

const hex = (z: number): string => `0x${z.toString(16)}`;
const no = (reason: string, ...involved: Array<ZkRegisterOp | undefined>): ZxidJudgement => ({
  judged: false,
  reason,
  involved: involved.filter((op): op is ZkRegisterOp => op !== undefined),
});

type Effect = "create" | "set" | "delete";

/** Writes of unknown outcome not yet placed, by the state they need and what they do: earliest call first. */
class UnknownPool {
  private readonly lists = new Map<string, { ops: ZkRegisterOp[]; next: number }>();

  add(op: ZkRegisterOp): void {
    const need = op.f === "create" ? "absent" : op.f === "write" || op.expectedVersion === -1 ? "exists" : `v${op.expectedVersion}`;
    const key = `${need}:${effectOf(op)}${op.sessionEnd ? op.process : ""}`;
    const list = this.lists.get(key);
    if (list) list.ops.push(op);
    else this.lists.set(key, { ops: [op], next: 0 });
  }

  sort(): void {
    for (const list of this.lists.values()) list.ops.sort((a, b) => a.call - b.call);
  }

  /**
   * The earliest-called one that changes `state` so that `then` is accepted, or failing that one with the
   * effect `then` needs next (a znode created, a version bumped, a znode gone); taken out of the pool. Earliest
   * first: a slot later in the order can take any op an earlier one could.
   */
  take(state: ZkRegisterState, then: ZkRegisterOp): ZkRegisterOp | null {
    const heads: ZkRegisterOp[] = [];
    const keys: string[] = [];
    for (const effect of state.exists ? (["set", "delete"] as const) : (["create"] as const)) {
      // A session's end removes only the ephemeral znode its own session created.
      const suffix = effect === "delete" && state.owner !== undefined ? [String(state.owner), ""] : [""];
      for (const need of state.exists ? [`v${state.version}`, "exists"] : ["absent"]) {
        for (const owner of suffix) {
          const key = `${need}:${effect}${owner}`;
          const list = this.lists.get(key);
          if (!list || list.next >= list.ops.length) continue;
          heads.push(list.ops[list.next]);
          keys.push(key);
        }
      }
    }
    const wanted = nextEffect(state, then);
    let best = -1;
    let bestFits = false;
    heads.forEach((op, i) => {
      // It must have been called before `then` returned, to take effect before it.
      if (op.call > then.ret) return;
      const fits = step(step(state, op).next, then).ok;
      if (!fits && effectOf(op) !== wanted) return;
      if (best < 0 || (fits && !bestFits) || (fits === bestFits && op.call < heads[best].call)) {
        best = i;
        bestFits = fits;
      }
    });
    if (best < 0) return null;
    this.lists.get(keys[best])!.next++;
    return heads[best];
  }
}

const effectOf = (op: ZkRegisterOp): Effect => (op.f === "create" ? "create" : op.f === "delete" ? "delete" : "set");

/** What has to happen to `state` before `then` can: the first of several unseen writes, as far as one can tell. */
function nextEffect(state: ZkRegisterState, then: ZkRegisterOp): Effect | null {
  if (!state.exists) return "create";
  const needsAbsent = then.f === "read" ? then.value === null : then.outcome === "fail" ? then.error === "NO_NODE" : then.f === "create";
  if (needsAbsent) return "delete";
  const needed = then.expectedVersion >= 0 ? then.expectedVersion : then.outcome === "ok" && then.version !== undefined && then.f !== "delete" ? then.version - 1 : null;
  if (needed === null) return null;
  return needed > state.version ? "set" : "delete";
}

/**
 * Judges one znode's operations (as judgedOperations gives them, initial state absent) by their zxids. Sound:
 * "judged" only with a linearization in hand (the zxid order, writes of unknown outcome placed where a read shows
 * them or where the versions need them, the rest never applied).
 */
export function judgeByZxid(ops: readonly ZkRegisterOp[]): ZxidJudgement {
  // Writes at their zxids; "no node" reads and definite failures just after the zxid of their reply (the state
  // the answering server had reached; a failure's error transaction has a zxid of its own).
  const ordered: Array<{ op: ZkRegisterOp; zxid: number; observes: boolean }> = [];
  const unknownByValue = new Map<string, ZkRegisterOp>();
  const unknown: ZkRegisterOp[] = [];
  const valueReads: ZkRegisterOp[] = [];
  for (const op of ops) {
    if (op.f === "read" && op.value !== null) valueReads.push(op);
    else if (op.f === "read" || op.outcome === "fail") {
      if (op.serverZxid === undefined) return no(`#${op.id} (${op.f} ${op.outcome}${op.error ? " " + op.error : ""}) carries no zxid`);
      ordered.push({ op, zxid: op.serverZxid + 0.5, observes: true });
    } else if (op.outcome === "ok") {
      if (op.zxid === undefined) return no(`#${op.id}, an acknowledged ${op.f}, carries no zxid`);
      ordered.push({ op, zxid: op.zxid, observes: false });
    } else {
      unknown.push(op);
      if (op.f !== "delete" && op.value !== null) unknownByValue.set(op.value, op);
    }
  }
  // A write of unknown outcome that a read shows took effect at the zxid the read gives.
  const placed = new Set<ZkRegisterOp>();
  for (const read of valueReads) {
    const op = unknownByValue.get(read.value!);
    if (op === undefined || placed.has(op)) continue;
    if (read.zxid === undefined) return no(`#${read.id} reads the value of #${op.id}, of unknown outcome, without its zxid`);
    placed.add(op);
    // The read proves it took effect, and the version it left.
    ordered.push({ op: { ...op, outcome: "ok", version: read.version }, zxid: read.zxid, observes: false });
  }
  ordered.sort((a, b) => a.zxid - b.zxid);
  for (let i = 1; i < ordered.length; i++) {
    const [x, y] = [ordered[i - 1], ordered[i]];
    if (x.zxid === y.zxid && !x.observes) return no(`#${x.op.id} and #${y.op.id} share zxid ${hex(y.zxid)}`, x.op, y.op);
  }
  const pool = new UnknownPool();
  for (const op of unknown) if (!placed.has(op)) pool.add(op);
  pool.sort();

  // Replay: seq[i] is the i-th write applied, states[i] the state after it (states[0]: absent). Writes of unknown
  // outcome that nothing shows are placed where the state must change for what comes next (bounded by the pool).
  const seq: ZkRegisterOp[] = [];
  const states: ZkRegisterState[] = [ABSENT];
  const indexOfValue = new Map<string, number>();
  const latestCall: number[] = [-Infinity];
  const earliestReturn: number[] = [Infinity];
  const apply = (op: ZkRegisterOp, next: ZkRegisterState): void => {
    seq.push(op);
    states.push(next);
    latestCall.push(-Infinity);
    earliestReturn.push(Infinity);
    if (op.f !== "delete" && op.value !== null) indexOfValue.set(op.value, seq.length);
  };
  // Each observation bounds the writes around the state it shows: the one before must come before its return,
  // the one after after its call.
  const observe = (obs: ZkRegisterOp, segment: number): void => {
    if (obs.call > latestCall[segment]) latestCall[segment] = obs.call;
    if (obs.ret < earliestReturn[segment]) earliestReturn[segment] = obs.ret;
  };
  for (const { op, zxid, observes } of ordered) {
    let state = states[states.length - 1];
    let result = step(state, op);
    while (!result.ok) {
      const between = pool.take(state, op);
      if (between === null) return no(`in zxid order #${op.id} (${hex(Math.floor(zxid))}) cannot follow ${describeState(state)}`, op, seq[seq.length - 1]);
      state = step(state, between).next;
      apply(between, state);
      result = step(state, op);
    }
    if (observes) observe(op, seq.length);
    else apply(op, result.next);
  }
  for (const read of valueReads) {
    const at = indexOfValue.get(read.value!);
    if (at === undefined) return no(`#${read.id} reads ${JSON.stringify(read.value)}, which no write in zxid order carries`, read);
    if (!step(states[at], read).ok) return no(`#${read.id} reads version ${read.version} where zxid order gives ${describeState(states[at])}`, read, seq[at - 1]);
    observe(read, at);
  }

  // Points in zxid order, each as early as its interval and the observations before it allow.
  let t = -Infinity;
  for (let i = 1; i <= seq.length; i++) {
    const op = seq[i - 1];
    t = Math.max(t, op.call, latestCall[i - 1]);
    const latest = Math.min(op.ret, earliestReturn[i]);
    if (t > latest) {
      const by = op.ret < earliestReturn[i] ? "" : " and the reads of its state";
      return no(`real time contradicts the zxid order at #${op.id}${op.zxid === undefined ? "" : ` (${hex(op.zxid)})`}: it${by} ended at ${latest} before what precedes it in that order had begun (${t})`, op, ...seq.slice(0, i - 1).filter((w) => w.call === t), i >= 2 ? seq[i - 2] : undefined);
    }
  }
  return { judged: true, writes: seq.length };
}

const describeState = (s: ZkRegisterState): string => (s.exists ? `version ${s.version}` : "no node");
