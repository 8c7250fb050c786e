// What a member held when the harness read it: the reads of one "synced read" process (a session
// to that member alone, a write through it first, then the reads), taken from the history.
import { type Operation, SET_PREFIX, SET_ROOT, valueInName } from "../history";

/** Which process read which member: the evidence a survival check names. */
export interface MemberReads {
  readonly member: number;
  readonly process: number;
}

export interface RegisterRead {
  readonly value: string | null;
  readonly version?: number;
  readonly zxid?: string;
}

export interface Snapshot {
  readonly member: number;
  /** Monotonic ms at which the sync write was invoked: every write completed before it must show. */
  readonly syncCall: number;
  readonly registers: ReadonlyMap<string, RegisterRead>;
  /** Values of the set's znodes the member holds; undefined when the set was not read. */
  readonly set: ReadonlySet<string> | undefined;
  /** Reads that did not complete, or set buckets listed but not read: the snapshot is partial. */
  readonly gaps: readonly string[];
}

/** The member's snapshot, or undefined when the process did no synced read at all. */
export function snapshotOf(ops: readonly Operation[], byId: ReadonlyMap<number, Operation>, r: MemberReads): Snapshot | undefined {
  const mine = ops.filter((op) => op.process === r.process && op.syncedBy !== undefined);
  if (mine.length === 0) return undefined;
  const syncCall = Math.min(...mine.map((op) => byId.get(op.syncedBy!)?.call ?? Infinity));
  const registers = new Map<string, RegisterRead>();
  const children = new Map<string, readonly string[] | null>();
  const gaps: string[] = [];
  for (const op of mine) {
    if (op.outcome !== "ok") {
      gaps.push(`${op.f} ${op.path}: ${op.error ?? op.outcome}`);
      continue;
    }
    if (op.f === "read") registers.set(op.path, { value: (op.value as string | null) ?? null, version: op.version, zxid: op.zxid });
    if (op.f === "children") children.set(op.path, (op.value as readonly string[] | null) ?? null);
  }
  const buckets = children.get(SET_ROOT);
  const set = buckets === undefined ? undefined : new Set<string>();
  for (const b of buckets ?? []) {
    const names = children.get(`${SET_ROOT}/${b}`);
    if (names === undefined) gaps.push(`children ${SET_ROOT}/${b}: listed but not read`);
    for (const n of names ?? []) {
      const v = valueInName(n, SET_PREFIX);
      if (v) set!.add(v);
    }
  }
  return { member: r.member, syncCall: Number.isFinite(syncCall) ? syncCall : -Infinity, registers, set, gaps };
}

/** Acknowledged creates of the set's unique znodes. */
export function setCreates(ops: readonly Operation[]): Operation[] {
  return ops.filter((op) => op.f === "create" && op.sequential && op.outcome === "ok" && op.path.startsWith(`${SET_ROOT}/`));
}

export const indexById = (ops: readonly Operation[]) => new Map(ops.map((op) => [op.id, op] as const));
