// Random ZooKeeper histories that are valid by construction, for benches and property tests: each operation
// takes effect at one instant inside its interval on a true versioned znode, every applied or refused write
// takes the next zxid (as ZooKeeper's error transactions do), and replies carry what a real one carries.
// Built straight into operations, with the plan in typed arrays: a million operations fit in a few hundred MB.
import { SeededRandom } from "../common/random";
import type { OpKind, Operation } from "./model";

export interface RandomHistoryOptions {
  readonly operations: number;
  readonly keys: number;
  readonly processes?: number;
  readonly seed?: number;
  /** Share of writes whose reply is lost (info); half of those applied. */
  readonly unknownRate?: number;
  /** Record zxids (a zkdrill history does; a tool's without them tests the search alone). */
  readonly zxids?: boolean;
}

const KINDS: readonly OpKind[] = ["read", "create", "cas", "write", "delete"];
const [READ, CREATE, CAS, WRITE, DELETE] = [0, 1, 2, 3, 4];
const hex = (z: number): string => `0x${z.toString(16)}`;

export function randomHistory(o: RandomHistoryOptions): Operation[] {
  const processes = o.processes ?? 8;
  const rnd = new SeededRandom(o.seed ?? 1);
  const unknownRate = o.unknownRate ?? 0.015;
  const zxids = o.zxids ?? true;
  const perProcess = Math.floor(o.operations / processes);
  const n = perProcess * processes;
  const call = new Float64Array(n);
  const at = new Float64Array(n);
  const ret = new Float64Array(n);
  const key = new Int32Array(n);
  for (let p = 0; p < processes; p++) {
    let t = rnd.next();
    for (let i = 0; i < perProcess; i++) {
      const k = p * perProcess + i;
      call[k] = t + rnd.next() * 0.5;
      at[k] = call[k] + 0.05 + rnd.next() * 2;
      ret[k] = at[k] + 0.05 + rnd.next() * 2;
      key[k] = rnd.int(o.keys);
      t = ret[k];
    }
  }
  // Decided in the order they take effect, against the true znodes.
  const kind = new Uint8Array(n);
  const expected = new Int32Array(n).fill(-2);
  const outcome = new Uint8Array(n); // 0 ok, 1 fail, 2 info
  const version = new Int32Array(n).fill(-2);
  const zxid = new Float64Array(n).fill(NaN);
  const serverZxid = new Float64Array(n).fill(NaN);
  const readValue = new Int32Array(n).fill(-1); // the op whose value a read returned
  const errors: string[] = [];
  const errorOf = new Uint8Array(n);
  const exists = new Uint8Array(o.keys);
  const nodeVersion = new Int32Array(o.keys);
  const nodeValue = new Int32Array(o.keys);
  const nodeZxid = new Float64Array(o.keys);
  let lastZxid = 0x100000000;
  const byEffect = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => at[a] - at[b]);
  for (const k of byEffect) {
    const node = key[k];
    const dice = rnd.next();
    if (dice < 0.25) {
      kind[k] = READ;
      if (exists[node]) {
        readValue[k] = nodeValue[node];
        version[k] = nodeVersion[node];
        zxid[k] = nodeZxid[node];
      }
      serverZxid[k] = lastZxid;
      continue;
    }
    let f: number;
    if (!exists[node]) {
      f = dice < 0.75 ? CREATE : dice < 0.85 ? CAS : dice < 0.9 ? WRITE : DELETE;
      expected[k] = f === CAS ? rnd.int(3) : f === DELETE ? -1 : -2;
    } else {
      f = dice < 0.6 ? CAS : dice < 0.68 ? WRITE : dice < 0.72 ? DELETE : dice < 0.9 ? CAS : CREATE;
      expected[k] = f === CAS ? (dice < 0.6 ? nodeVersion[node] : nodeVersion[node] + 1 + rnd.int(2)) : f === DELETE ? (rnd.next() < 0.5 ? -1 : nodeVersion[node]) : -2;
    }
    kind[k] = f;
    const canApply = f === CREATE ? !exists[node] : exists[node] === 1 && (expected[k] < 0 || expected[k] === nodeVersion[node]);
    const lost = rnd.next() < unknownRate;
    const applies = canApply && (!lost || rnd.next() < 0.5);
    const z = ++lastZxid;
    if (applies) {
      if (f === DELETE) exists[node] = 0;
      else {
        nodeVersion[node] = f === CREATE ? 0 : nodeVersion[node] + 1;
        exists[node] = 1;
        nodeValue[node] = k;
        nodeZxid[node] = z;
      }
    }
    if (lost) {
      outcome[k] = 2;
      errorOf[k] = errorIndex(errors, "CONNECTION_LOSS");
    } else if (applies) {
      if (f !== DELETE) version[k] = nodeVersion[node];
      if (f === CAS || f === WRITE) zxid[k] = z;
      serverZxid[k] = z;
    } else {
      outcome[k] = 1;
      errorOf[k] = errorIndex(errors, f === CREATE ? "NODE_EXISTS" : !exists[node] ? "NO_NODE" : "BAD_VERSION");
      serverZxid[k] = z;
    }
  }
  // Operations in call order; a read after a write of its own process is ordered behind it (zkdrill's sync).
  const byCall = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => call[a] - call[b]);
  const idOf = new Int32Array(n);
  byCall.forEach((k, rank) => (idOf[k] = 2 * rank));
  const value = (k: number): string => `v${k}`;
  const ops: Operation[] = new Array(n);
  for (let rank = 0; rank < n; rank++) {
    const k = byCall[rank];
    const f = KINDS[kind[k]];
    const previous = k % perProcess === 0 ? -1 : k - 1;
    const synced = f === "read" && previous >= 0 && kind[previous] !== READ;
    const done = outcome[k] === 0;
    ops[rank] = {
      id: idOf[k],
      process: 1 + Math.floor(k / perProcess),
      f,
      path: `/bench/key-${key[k]}`,
      outcome: done ? "ok" : outcome[k] === 1 ? "fail" : "info",
      value: f === "read" ? (done ? (readValue[k] < 0 ? null : value(readValue[k])) : undefined) : f === "delete" ? undefined : value(k),
      ...(expected[k] > -2 ? { expectedVersion: expected[k] } : {}),
      ...(version[k] > -2 ? { version: version[k] } : {}),
      ...(zxids && !Number.isNaN(zxid[k]) ? { zxid: hex(zxid[k]) } : {}),
      ...(zxids && !Number.isNaN(serverZxid[k]) && outcome[k] !== 2 ? { serverZxid: hex(serverZxid[k]) } : {}),
      ...(outcome[k] !== 0 ? { error: errors[errorOf[k]] } : {}),
      ...(synced ? { syncedBy: idOf[previous] } : {}),
      call: call[k],
      ret: outcome[k] === 2 ? Infinity : ret[k],
      calledAt: 1.7e12 + call[k],
      returnedAt: outcome[k] === 2 ? null : 1.7e12 + ret[k],
    };
  }
  return ops;
}

function errorIndex(errors: string[], error: string): number {
  const i = errors.indexOf(error);
  return i >= 0 ? i : errors.push(error) - 1;
}
