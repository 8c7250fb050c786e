// ZooKeeper's own witness of linearizability: every write is one transaction with its zxid, and the zxids are
// the order in which the ensemble applied them. A znode's history is linearizable when that order, replayed on
// the register model, accepts every write, every read finds its state in it, and points in time can be chosen
// in order within every interval (the order respects real time). Sorting costs O(n log n); no search.
// It proves, never refutes: what it cannot place (a write of unknown outcome that nothing shows, a zxid missing,
// an order that real time contradicts) goes to the search, which decides, with the reason carried along.
import { ABSENT, step, type ZkRegisterOp, type ZkRegisterState } from "./zk-model";

export type ZxidJudgement = { readonly judged: true; readonly writes: number } | { readonly judged: false; readonly reason: string };

const hex = (z: number): string => `0x${z.toString(16)}`;
const no = (reason: string): ZxidJudgement => ({ judged: false, reason });

/** Writes of unknown outcome not yet placed, by the state they need to take effect: earliest call first. */
class UnknownPool {
  private readonly byNeed = new Map<string, { ops: ZkRegisterOp[]; next: number }>();

  add(op: ZkRegisterOp): void {
    const need = op.f === "create" ? "absent" : op.f === "write" || op.expectedVersion === -1 ? "exists" : `v${op.expectedVersion}`;
    const list = this.byNeed.get(need);
    if (list) list.ops.push(op);
    else this.byNeed.set(need, { ops: [op], next: 0 });
  }

  sort(): void {
    for (const list of this.byNeed.values()) list.ops.sort((a, b) => a.call - b.call);
  }

  /** One that changes `state` and after which `then` is accepted; taken out of the pool. */
  take(state: ZkRegisterState, then: ZkRegisterOp): ZkRegisterOp | null {
    const needs = state.exists ? [`v${state.version}`, "exists"] : ["absent"];
    for (const need of needs) {
      const list = this.byNeed.get(need);
      if (!list || list.next >= list.ops.length) continue;
      const op = list.ops[list.next];
      const applied = step(state, op);
      if (applied.next !== state && step(applied.next, then).ok) {
        list.next++;
        return op;
      }
    }
    return null;
  }
}

/**
 * Judges one znode's operations (as judgedOperations gives them, initial state absent) by their zxids. Sound:
 * "judged" only with a linearization in hand (the zxid order, writes of unknown outcome placed where a read shows
 * them or where the versions need them, the rest never applied).
 */
export function judgeByZxid(ops: readonly ZkRegisterOp[]): ZxidJudgement {
  const ordered: Array<{ op: ZkRegisterOp; zxid: number }> = [];
  const unknownByValue = new Map<string, ZkRegisterOp>();
  const unknown: ZkRegisterOp[] = [];
  const observations: ZkRegisterOp[] = [];
  for (const op of ops) {
    if (op.f === "read" || op.outcome === "fail") observations.push(op);
    else if (op.outcome === "ok") {
      if (op.zxid === undefined) return no(`#${op.id}, an acknowledged ${op.f}, carries no zxid`);
      ordered.push({ op, zxid: op.zxid });
    } else {
      unknown.push(op);
      if (op.f !== "delete" && op.value !== null) unknownByValue.set(op.value, op);
    }
  }
  // A write of unknown outcome that a read shows took effect at the zxid the read gives.
  const placed = new Set<ZkRegisterOp>();
  for (const read of observations) {
    if (read.f !== "read" || read.value === null) continue;
    const op = unknownByValue.get(read.value);
    if (op === undefined || placed.has(op)) continue;
    if (read.zxid === undefined) return no(`#${read.id} reads the value of #${op.id}, of unknown outcome, without its zxid`);
    placed.add(op);
    ordered.push({ op, zxid: read.zxid });
  }
  ordered.sort((a, b) => a.zxid - b.zxid);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].zxid === ordered[i - 1].zxid) return no(`#${ordered[i - 1].op.id} and #${ordered[i].op.id} share zxid ${hex(ordered[i].zxid)}`);
  }
  const pool = new UnknownPool();
  for (const op of unknown) if (!placed.has(op)) pool.add(op);
  pool.sort();

  // Replay: seq[i] is the i-th write applied, states[i] the state after it (states[0]: absent); zxids[i] NaN for
  // a write of unknown outcome placed where the versions need it (its zxid lies between its neighbours').
  const seq: ZkRegisterOp[] = [];
  const zxids: number[] = [NaN];
  const states: ZkRegisterState[] = [ABSENT];
  const indexOfValue = new Map<string, number>();
  const apply = (op: ZkRegisterOp, zxid: number, next: ZkRegisterState): void => {
    seq.push(op);
    zxids.push(zxid);
    states.push(next);
    if (op.f !== "delete" && op.value !== null) indexOfValue.set(op.value, seq.length);
  };
  for (const { op, zxid } of ordered) {
    const state = states[states.length - 1];
    let result = step(state, op);
    // A write of unknown outcome placed by a read must have changed the znode there.
    let accepted = result.ok && (op.outcome !== "unknown" || result.next !== state);
    if (!accepted) {
      const between = pool.take(state, op);
      if (between === null) return no(`in zxid order #${op.id} (${hex(zxid)}) cannot follow ${describeState(state)}`);
      const gap = step(state, between).next;
      apply(between, NaN, gap);
      result = step(gap, op);
      accepted = result.ok && (op.outcome !== "unknown" || result.next !== gap);
      if (!accepted) return no(`in zxid order #${op.id} (${hex(zxid)}) cannot follow ${describeState(gap)}`);
    }
    apply(op, zxid, result.next);
  }

  // Each observation in the segment (after write j) whose state it shows; per segment the latest call and the
  // earliest return among them, which bound the points of the writes around it.
  const segments = seq.length + 1;
  const latestCall = new Float64Array(segments).fill(-Infinity);
  const earliestReturn = new Float64Array(segments).fill(Infinity);
  const knownIndex: number[] = [];
  const knownZxid: number[] = [];
  for (let i = 1; i < zxids.length; i++) {
    if (!Number.isNaN(zxids[i])) {
      knownIndex.push(i);
      knownZxid.push(zxids[i]);
    }
  }
  for (const obs of observations) {
    const segment = segmentOf(obs, indexOfValue, states, knownIndex, knownZxid);
    if (typeof segment === "string") return no(segment);
    if (obs.call > latestCall[segment]) latestCall[segment] = obs.call;
    if (obs.ret < earliestReturn[segment]) earliestReturn[segment] = obs.ret;
  }

  // Points in zxid order, each as early as its interval and the observations before it allow.
  let t = -Infinity;
  for (let i = 1; i <= seq.length; i++) {
    const op = seq[i - 1];
    t = Math.max(t, op.call, latestCall[i - 1]);
    const latest = Math.min(op.ret, earliestReturn[i]);
    if (t > latest) {
      const by = op.ret < earliestReturn[i] ? "" : " and the reads of its state";
      return no(`real time contradicts the zxid order at #${op.id}${Number.isNaN(zxids[i]) ? "" : ` (${hex(zxids[i])})`}: it${by} ended at ${latest} before what precedes it in that order had begun (${t})`);
    }
  }
  return { judged: true, writes: seq.length };
}

/** The segment whose state an observation shows, or why none can be named. */
function segmentOf(obs: ZkRegisterOp, indexOfValue: ReadonlyMap<string, number>, states: readonly ZkRegisterState[], knownIndex: readonly number[], knownZxid: readonly number[]): number | string {
  if (obs.f === "read" && obs.value !== null) {
    const at = indexOfValue.get(obs.value);
    if (at === undefined) return `#${obs.id} reads ${JSON.stringify(obs.value)}, which no write in zxid order carries`;
    if (!step(states[at], obs).ok) return `#${obs.id} reads version ${obs.version} where zxid order gives ${describeState(states[at])}`;
    return at;
  }
  // "No node" and definite failures: the state at the reply's zxid (a failure's error transaction has its own).
  if (obs.serverZxid === undefined) return `#${obs.id} (${obs.f} ${obs.outcome}) carries no zxid`;
  let lo = 0;
  let hi = knownZxid.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (knownZxid[mid] <= obs.serverZxid) lo = mid + 1;
    else hi = mid;
  }
  // After the last write at or below its zxid, or after a write of unknown outcome placed right behind that one.
  const first = lo === 0 ? 0 : knownIndex[lo - 1];
  const last = lo < knownIndex.length ? knownIndex[lo] - 1 : states.length - 1;
  for (let segment = first; segment <= last; segment++) if (step(states[segment], obs).ok) return segment;
  return `#${obs.id} (${obs.f} ${obs.outcome}${obs.error ? " " + obs.error : ""}) at zxid ${hex(obs.serverZxid)} finds ${describeState(states[first])}`;
}

const describeState = (s: ZkRegisterState): string => (s.exists ? `version ${s.version}` : "no node");
