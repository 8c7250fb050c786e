// Lineages: ZooKeeper's guarantees hold within one ensemble's history. A runbook step that forms a
// new ensemble from what survived (restore a backup, promote observers or standbys) starts a new
// lineage; the drill declares it, with the window while it happens. Operations invoked before the
// window belong to the old lineage, after it to the new one; those invoked inside it are judged by
// nobody's guarantee and only measured.
import type { Operation } from "../history";

export interface LineageBreak {
  readonly name: string;
  /** Monotonic ms: the window in which the new ensemble forms. */
  readonly start: number;
  readonly end: number;
  /** Monotonic ms of the disaster the data was lost in (the last fault before the window). */
  readonly disasterAt: number;
  readonly disasterAtWall: number;
  /**
   * The drill expects the new lineage to break linearizability (a pitfall drill: members that
   * diverge), and says why. Its check then passes only on the checker's violation, and says so.
   */
  readonly expectViolation?: string;
}

/** The lineage an operation belongs to (0 = the first), or "window" when invoked inside a break. */
export function lineageOf(op: Pick<Operation, "call">, breaks: readonly LineageBreak[]): number | "window" {
  let lineage = 0;
  for (const b of breaks) {
    if (op.call < b.start) return lineage;
    if (op.call <= b.end) return "window";
    lineage++;
  }
  return lineage;
}

/** Operations split by lineage (index = lineage), and the window ones apart. */
export function splitByLineage<T extends Pick<Operation, "call">>(ops: readonly T[], breaks: readonly LineageBreak[]): { lineages: T[][]; window: T[] } {
  const lineages: T[][] = Array.from({ length: breaks.length + 1 }, () => []);
  const window: T[] = [];
  for (const op of ops) {
    const l = lineageOf(op, breaks);
    if (l === "window") window.push(op);
    else lineages[l].push(op);
  }
  return { lineages, window };
}

const isWrite = (op: Operation) => op.f === "create" || op.f === "cas" || op.f === "write";

/** Acknowledged writes: ok completions of create, cas and write. */
export const acknowledgedWrites = (ops: readonly Operation[]) => ops.filter((op) => isWrite(op) && op.outcome === "ok");

/**
 * Forks: two acknowledged compare-and-sets on one key that built on the same state (the same value
 * before them). ZooKeeper orders writes in one lineage, so one is a write acknowledged by a second
 * leader (split brain) or built on a write that was then lost.
 */
export interface Fork {
  readonly path: string;
  readonly prev: string;
  readonly writes: ReadonlyArray<{ id: number; value: string; version: number | undefined; process: number; ackedAt: number | null }>;
}

export function forksOf(ops: readonly Operation[]): Fork[] {
  const byBase = new Map<string, Operation[]>();
  for (const op of ops) {
    if (op.f !== "cas" || op.outcome !== "ok" || typeof op.prev !== "string") continue;
    const k = `${op.path}\u0000${op.prev}`;
    byBase.set(k, [...(byBase.get(k) ?? []), op]);
  }
  return [...byBase.values()]
    .filter((w) => w.length > 1)
    .map((w) => ({ path: w[0].path, prev: w[0].prev as string, writes: w.map((op) => ({ id: op.id, value: String(op.value), version: op.version, process: op.process, ackedAt: op.returnedAt })) }));
}

/** ZooKeeper's epoch: the high 32 bits of a zxid. */
const epochOf = (op: Operation): number | null => (op.serverZxid ? Number(BigInt(op.serverZxid) >> 32n) : null);

export interface TwoEnsembles {
  readonly lineage: string;
  readonly oldEpoch: number;
  readonly newEpoch: number;
  /** Wall clock of the new ensemble's first acknowledgement. */
  readonly newFirstAckAt: number;
  /** How long the old ensemble went on acknowledging after it (0: not at all). */
  readonly overlapMs: number;
  /** Writes the old ensemble acknowledged after the new one's first: their values. */
  readonly oldAcksAfter: readonly string[];
}

/**
 * The window the runbooks warn about (P5: a target still forwarding to the old leader while the new
 * ensemble already takes writes): both ensembles acknowledging at once, told apart by epoch. The old
 * epoch is the last one acknowledged before the window; the new, the first one acknowledged after it.
 */
export function twoEnsemblesAtOnce(ops: readonly Operation[], breaks: readonly LineageBreak[]): TwoEnsembles[] {
  const acked = acknowledgedWrites(ops).filter((op) => epochOf(op) !== null).sort((a, b) => a.ret - b.ret);
  const out: TwoEnsembles[] = [];
  for (const b of breaks) {
    const before = acked.filter((op) => op.call < b.start);
    const after = acked.filter((op) => op.call > b.end);
    if (before.length === 0 || after.length === 0) continue;
    const oldEpoch = epochOf(before[before.length - 1])!;
    const newEpoch = epochOf(after[0])!;
    if (oldEpoch === newEpoch) continue;
    const first = acked.find((op) => epochOf(op) === newEpoch)!;
    const late = acked.filter((op) => epochOf(op) === oldEpoch && op.ret > first.ret);
    out.push({
      lineage: b.name,
      oldEpoch,
      newEpoch,
      newFirstAckAt: first.returnedAt ?? 0,
      overlapMs: late.length ? Math.round(late[late.length - 1].ret - first.ret) : 0,
      oldAcksAfter: late.map((op) => String(op.value)),
    });
  }
  return out;
}
