// Acknowledged writes against what the members hold: the set check (every acknowledged create of a
// unique znode is on every member read), the named znodes a runbook wrote, and the writes lost
// across a lineage break (the RPO), each lost write listed once however many members miss it.
import { type Operation, SET_ROOT } from "../history";
import { acknowledgedWrites, LineageBreak } from "./lineage";
import { CheckResult, inconclusive, some, verdict } from "./result";
import { indexById, MemberReads, setCreates, Snapshot, snapshotOf } from "./snapshot";

export interface LostWrite {
  readonly path: string;
  readonly value: string;
  /** Wall clock of the acknowledgement. */
  readonly ackedAt: number;
  /** Monotonic ms of the acknowledgement (for ages against faults). */
  readonly ackedMono: number;
  readonly missingOn: readonly number[];
}

function snapshots(ops: readonly Operation[], reads: readonly MemberReads[]): { snaps: Snapshot[]; unread: number[] } {
  const byId = indexById(ops);
  const snaps: Snapshot[] = [];
  const unread: number[] = [];
  for (const r of reads) {
    const s = snapshotOf(ops, byId, r);
    if (s) snaps.push(s);
    else unread.push(r.member);
  }
  return { snaps, unread };
}

const createdPath = (op: Operation) => op.created ?? op.path;

export interface SetSurvivalInput {
  readonly reads: readonly MemberReads[];
  /** Monotonic ms: judge creates invoked from here on (the current lineage's start). */
  readonly since?: number;
}

/**
 * ZooKeeper's durability, as a set: every create acknowledged before a member was read (a synced
 * read) is on that member. Lost = acknowledged and absent, each with its path, value and ack time.
 */
export function setSurvives(ops: readonly Operation[], input: SetSurvivalInput): CheckResult {
  const members = input.reads.map((r) => r.member);
  const name = `every acknowledged create survives on member${members.length === 1 ? "" : "s"} ${members.join(", ")}`;
  const { snaps, unread } = snapshots(ops, input.reads);
  const creates = setCreates(ops).filter((op) => op.call >= (input.since ?? -Infinity));
  const evidence: Record<string, unknown> = { members, since: input.since ?? null, acknowledgedCreates: creates.length };
  if (input.reads.length === 0) return inconclusive(name, "no member was read", evidence);
  if (unread.length > 0) return inconclusive(name, `member(s) ${unread.join(", ")} were not read`, evidence);
  const gaps = snaps.flatMap((s) => [...s.gaps, ...(s.set ? [] : [`children ${SET_ROOT}: not read`])].map((g) => `member ${s.member}: ${g}`));
  if (gaps.length > 0) return inconclusive(name, `reads incomplete: ${some(gaps, 3)}`, { ...evidence, gaps });
  const lost = new Map<string, LostWrite>();
  let required = 0;
  for (const s of snaps) {
    for (const op of creates) {
      if (op.ret >= s.syncCall) continue;
      required++;
      if (s.set!.has(op.value as string)) continue;
      const prior = lost.get(op.value as string);
      lost.set(op.value as string, { path: createdPath(op), value: op.value as string, ackedAt: op.returnedAt ?? 0, ackedMono: op.ret, missingOn: [...(prior?.missingOn ?? []), s.member] });
    }
  }
  if (required === 0) return inconclusive(name, "no create was acknowledged before the members were read", evidence);
  const list = [...lost.values()];
  return verdict(
    name,
    list.length === 0,
    list.length === 0
      ? `${creates.filter((op) => snaps.some((s) => op.ret < s.syncCall)).length} acknowledged create(s) present on ${members.join(", ")}`
      : `${list.length} acknowledged write(s) lost: ${some(list.map(describeLost), 4)}`,
    { ...evidence, checked: required, lost: list },
  );
}

export const describeLost = (w: LostWrite) => `${w.path} = ${w.value} (acknowledged ${new Date(w.ackedAt).toISOString()}, missing on ${w.missingOn.join(", ")})`;

export interface ZnodesInput {
  readonly paths: readonly string[];
  readonly reads: readonly MemberReads[];
}

/**
 * Named znodes a runbook wrote (P2's /zk-permanent, /test) read back on every member with the value
 * of their last acknowledged write; a later write whose outcome is unknown may stand instead.
 */
export function znodesHold(ops: readonly Operation[], input: ZnodesInput): CheckResult {
  const members = input.reads.map((r) => r.member);
  const name = `znodes ${input.paths.join(", ")} survive on ${members.join(", ")}`;
  if (input.paths.length === 0) return inconclusive(name, "no znode was named");
  if (input.reads.length === 0) return inconclusive(name, "no member was read");
  const { snaps, unread } = snapshots(ops, input.reads);
  if (unread.length > 0) return inconclusive(name, `member(s) ${unread.join(", ")} were not read`);
  const problems: string[] = [];
  const expected: Record<string, string[]> = {};
  for (const path of input.paths) {
    const writes = ops.filter((op) => op.path === path && (op.f === "create" || op.f === "cas" || op.f === "write") && op.outcome !== "fail");
    const acked = writes.filter((op) => op.outcome === "ok");
    if (acked.length === 0) {
      problems.push(`${path}: no acknowledged write to it`);
      continue;
    }
    const last = acked.reduce((a, b) => (b.ret > a.ret ? b : a));
    const allowed = [last, ...writes.filter((op) => op.outcome === "info" && op.call > last.call)].map((op) => op.value as string);
    expected[path] = allowed;
    for (const s of snaps) {
      const got = s.registers.get(path);
      if (!got) problems.push(`${path} on ${s.member}: not read`);
      else if (got.value === null) problems.push(`${path} missing on ${s.member}`);
      else if (!allowed.includes(got.value)) problems.push(`${path} on ${s.member} holds ${got.value}, expected ${allowed.join(" or ")}`);
    }
  }
  return verdict(name, problems.length === 0, problems.length === 0 ? `present with their last acknowledged values on ${members.join(", ")}` : some(problems), { expected, problems, members });
}

export interface LostWritesInput {
  readonly reads: readonly MemberReads[];
  readonly breaks: readonly LineageBreak[];
}

export interface LostWritesFigure {
  readonly lost: readonly LostWrite[];
  /** Acknowledged writes judged (those completed before the members were read). */
  readonly judged: number;
  /** Recovery point: ms between the oldest lost write's acknowledgement and the disaster (0: none lost). */
  readonly rpoMs: number;
  readonly disasterAt: number | null;
  readonly problems: readonly string[];
  /** Monotonic ms the last recovery began (the last lineage window's start); null: no lineage break. */
  readonly recoveryBegan: number | null;
  /** The lost writes acknowledged before the recovery began (all of them without a break): what zero data loss counts. */
  readonly lostBeforeRecovery: readonly LostWrite[];
  /** Distinct writes acknowledged before the recovery began that a member read could judge. */
  readonly judgedBeforeRecovery: number;
}

/**
 * Every acknowledged write the members read do not hold: set creates that are absent, and register
 * writes that are not in the lineage of the value read (each write names the value it replaced).
 * Across a lineage break this is the recovery point, measured; within one it is a lost write.
 */
export function lostWrites(ops: readonly Operation[], input: LostWritesInput): LostWritesFigure {
  const { snaps, unread } = snapshots(ops, input.reads);
  const problems = [...unread.map((m) => `member ${m} was not read`), ...snaps.flatMap((s) => s.gaps.map((g) => `member ${s.member}: ${g}`))];
  const lost = new Map<string, LostWrite>();
  const miss = (op: Operation, member: number, path = op.path) => {
    const key = `${path}\u0000${String(op.value)}`;
    const prior = lost.get(key);
    if (prior?.missingOn.includes(member)) return;
    lost.set(key, { path, value: String(op.value), ackedAt: op.returnedAt ?? 0, ackedMono: op.ret, missingOn: [...(prior?.missingOn ?? []), member] });
  };
  const acked = acknowledgedWrites(ops).filter((op) => !op.ephemeral);
  const prevOf = new Map<string, string | null | undefined>();
  for (const op of ops) if (typeof op.value === "string" && (op.f === "create" || op.f === "cas" || op.f === "write")) prevOf.set(op.value, op.prev);
  let judged = 0;
  const last = input.breaks[input.breaks.length - 1];
  const began = last?.start ?? Infinity;
  const judgedEarly = new Set<number>();
  for (const s of snaps) {
    const lineages = new Map<string, Lineage>();
    for (const op of acked) {
      if (op.ret >= s.syncCall) continue;
      if (op.sequential) {
        if (!op.path.startsWith(`${SET_ROOT}/`) || !s.set) continue;
        judged++;
        if (op.ret < began) judgedEarly.add(op.id);
        if (!s.set.has(op.value as string)) miss(op, s.member, createdPath(op));
        continue;
      }
      const read = s.registers.get(op.path);
      if (!read) continue; // not read on this member: not judged here
      judged++;
      if (op.ret < began) judgedEarly.add(op.id);
      let l = lineages.get(op.path);
      if (!l) lineages.set(op.path, (l = lineageOf(read, prevOf)));
      if (!l.holds(op)) miss(op, s.member);
    }
  }
  const list = [...lost.values()].sort((a, b) => a.ackedMono - b.ackedMono);
  const disasterMono = last?.disasterAt ?? null;
  const rpoMs = list.length === 0 ? 0 : Math.max(0, Math.round((disasterMono ?? list[list.length - 1].ackedMono) - list[0].ackedMono));
  return {
    lost: list,
    judged,
    rpoMs,
    disasterAt: last?.disasterAtWall ?? null,
    problems,
    recoveryBegan: last?.start ?? null,
    lostBeforeRecovery: list.filter((w) => w.ackedMono < began),
    judgedBeforeRecovery: judgedEarly.size,
  };
}

/** The version a write left: a create leaves 0 (ZooKeeper's create returns no stat here). */
const versionAfter = (op: Operation): number => op.version ?? (op.f === "create" ? 0 : Infinity);

interface Lineage {
  holds(op: Operation): boolean;
}

/**
 * The writes a value read stands on: the value itself and its ancestors, through the values each
 * write says it replaced. Where the chain breaks (a blind write, data not zkdrill's) the version
 * decides for the older writes: one below the version read is kept.
 */
function lineageOf(read: { value: string | null; version?: number }, prevOf: ReadonlyMap<string, string | null | undefined>): Lineage {
  if (read.value === null) return { holds: () => false };
  const ancestors = new Set<string>();
  let v: string | null | undefined = read.value;
  let complete = false;
  for (let hops = 0; hops < 10_000_000; hops++) {
    ancestors.add(v);
    if (!prevOf.has(v)) break;
    const p: string | null | undefined = prevOf.get(v);
    if (p === null) complete = true;
    if (p === null || p === undefined || ancestors.has(p)) break;
    v = p;
  }
  return {
    holds: (op) => ancestors.has(op.value as string) || (!complete && read.version !== undefined && versionAfter(op) < read.version),
  };
}
