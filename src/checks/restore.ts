// P3's headline: a restored ensemble holds exactly what the backup held. The copy of a member's
// snapshot and transaction logs restores a prefix of ZooKeeper's one order of writes (the zxid): at
// least up to the zxid the member reported just before the copy, and nothing invoked after the copy
// ended. So, read on every restored member: every create acknowledged at or below the backup's zxid
// is there, none invoked after the copy is, and no acknowledged create below the highest one restored
// is missing (a hole would not be a backup of one moment). The recovery point is that highest zxid.
import type { Operation } from "../history";
import { CheckResult, inconclusive, some, verdict } from "./result";
import { indexById, MemberReads, setCreates, snapshotOf } from "./snapshot";

export interface BackupMark {
  readonly member: number;
  /** The member's last zxid just before the copy (0x-hex, as srvr prints it). */
  readonly zxid: string;
  /** Monotonic ms: the copy began and ended. */
  readonly startedMono: number;
  readonly endedMono: number;
  /** Wall clock of the copy's start (for people). */
  readonly startedAt: number;
}

export interface RestoreInput {
  readonly backup: BackupMark;
  readonly reads: readonly MemberReads[];
  /** Named znodes created after the backup (P3's /written-after-the-backup): absent too. */
  readonly after?: readonly string[];
  /** Monotonic ms the restore began (the lineage window's start): writes invoked later are the restored ensemble's own. */
  readonly until?: number;
}

const zxidOf = (op: Operation): bigint | null => (op.serverZxid ? BigInt(op.serverZxid) : null);
const hex = (z: bigint) => `0x${z.toString(16)}`;

export function restoredAtBackup(ops: readonly Operation[], input: RestoreInput): CheckResult {
  const members = input.reads.map((r) => r.member);
  const b = input.backup;
  const name = `the restore holds what member ${b.member}'s backup held (zxid ${b.zxid}), and nothing written after it, on ${members.join(", ")}`;
  const backupZxid = BigInt(b.zxid);
  // The old ensemble's writes only: what the restored one takes afterwards is its own.
  const creates = setCreates(ops).filter((op) => op.call < (input.until ?? Infinity));
  const before = creates.filter((op) => (zxidOf(op) ?? Infinity) <= backupZxid);
  const later = creates.filter((op) => op.call > b.endedMono);
  const namedLater = (input.after ?? []).filter((p) => ops.some((op) => op.path === p && op.f === "create" && op.call > b.endedMono && op.call < (input.until ?? Infinity)));
  const evidence: Record<string, unknown> = { backup: b, members, acknowledgedAtBackup: before.length, writtenAfter: later.length, namedAfter: namedLater };
  if (input.reads.length === 0) return inconclusive(name, "no restored member was read", evidence);
  if (before.length === 0) return inconclusive(name, `no create was acknowledged at or below the backup's zxid ${b.zxid}: nothing proves the backup was restored`, evidence);
  if (later.length + namedLater.length === 0) return inconclusive(name, "nothing was written after the backup: nothing proves later writes are not restored", evidence);
  const byId = indexById(ops);
  const acked = creates.filter((op) => zxidOf(op) !== null).sort((x, y) => (zxidOf(x)! < zxidOf(y)! ? -1 : 1));
  const problems: string[] = [];
  const perMember: Record<string, unknown> = {};
  for (const r of input.reads) {
    const s = snapshotOf(ops, byId, r);
    if (!s || !s.set) return inconclusive(name, `member ${r.member}'s znodes were not read`, evidence);
    if (s.gaps.length > 0) return inconclusive(name, `member ${r.member} was read in part: ${some(s.gaps, 2)}`, { ...evidence, gaps: s.gaps });
    const has = (op: Operation) => s.set!.has(op.value as string);
    const missing = before.filter((op) => !has(op));
    const restoredLater = later.filter(has);
    const namedPresent = namedLater.filter((p) => s.registers.get(p)?.value != null);
    const present = acked.filter(has);
    const top = present.length ? zxidOf(present[present.length - 1])! : null;
    const holes = top === null ? [] : acked.filter((op) => zxidOf(op)! < top && !has(op) && !missing.includes(op));
    if (missing.length) problems.push(`member ${r.member}: ${missing.length} create(s) acknowledged at or below ${b.zxid} missing (${describe(missing)})`);
    if (restoredLater.length) problems.push(`member ${r.member}: ${restoredLater.length} create(s) invoked after the backup restored (${describe(restoredLater)})`);
    if (namedPresent.length) problems.push(`member ${r.member}: ${namedPresent.join(", ")} written after the backup, present`);
    if (holes.length) problems.push(`member ${r.member}: ${holes.length} acknowledged create(s) below the restored zxid ${hex(top!)} missing (${describe(holes)})`);
    perMember[r.member] = { restoredZxid: top === null ? null : hex(top), present: present.length, missing: missing.length, restoredLater: restoredLater.length, holes: holes.length };
  }
  const points = Object.values(perMember).map((m) => (m as { restoredZxid: string | null }).restoredZxid);
  return verdict(
    name,
    problems.length === 0,
    problems.length === 0
      ? `${before.length} create(s) acknowledged at or below ${b.zxid} restored on ${members.join(", ")}; none of the ${later.length + namedLater.length} written after the backup; recovery point zxid ${[...new Set(points)].join(", ")}`
      : some(problems, 3),
    { ...evidence, perMember, problems },
  );
}

const describe = (ops: readonly Operation[]) => some(ops.map((op) => `${op.created ?? op.path} = ${String(op.value)} at ${op.serverZxid ?? "?"}`), 2);
