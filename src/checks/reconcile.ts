// Member-by-member reconciliation (issue 26; DORA art. 12(7)'s "checks and reconciliations"): every
// serving member's tree, read at one zxid, compared path by path. A divergence names the member, the
// path and both values. ZooKeeper's own digest (3.6+: mntr's zk_digest_mismatches_count) is reported
// beside ours, never instead of it.
import { CheckResult, inconclusive, some, verdict } from "./result";

/**
 * One znode as a member holds it: its data's digest (the first 16 hex digits of SHA-256: enough to
 * tell data apart in a drill's tree, and the journaled input stays small), version, cversion (the
 * sequence numbers sequential creates hand out) and ephemeral owner (session id in hex, "0" persistent).
 */
export type ZnodeEntry = readonly [digest: string, version: number, cversion: number, owner: string];

export interface MemberTree {
  readonly member: number;
  /** srvr's Mode when read (leader, follower, observer). */
  readonly mode: string;
  /** srvr's Zxid when read ("<before>, then <after> while read" when it moved meanwhile). */
  readonly zxid: string;
  readonly znodes: Readonly<Record<string, ZnodeEntry>>;
  /** The read stopped at the cap: the tree is not whole. */
  readonly capped?: boolean;
}

export interface ReconcileInput {
  readonly trees: readonly MemberTree[];
  /** The per-member cap on znodes read. */
  readonly cap: number;
  /** Participants whose zxids never agreed with the others' within the bound: member -> its zxid. */
  readonly disagreed?: Readonly<Record<string, string>>;
  /** Members served but not compared, and why (an observer lagging, another ensemble's member). */
  readonly notCompared?: Readonly<Record<string, string>>;
  /** ZooKeeper's own figure per member: zk_digest_mismatches_count, or why there is none. */
  readonly zkDigest?: Readonly<Record<string, { mismatches: number } | { none: string }>>;
  /** The drill ends with the members diverged on purpose (its last lineage's expectViolation), and why. */
  readonly expectDivergence?: string;
}

export interface Divergence {
  readonly member: number;
  readonly path: string;
  /** What this member holds, and what the others hold (the majority's, ties to the leader's). */
  readonly holds: string;
  readonly others: string;
  readonly othersAre: readonly number[];
}

/** ZooKeeper's own subtree (quotas, the dynamic config) is ZooKeeper's to keep, and differs by design (3.5+ /zookeeper/config). */
export const EXCLUDED_ROOT = "/zookeeper";

/** A tree's zxid when it moved while read: "<before>, then <after> while read". */
const MOVED = / while read$/;

export const RECONCILED = "members hold the same tree (paths, data, versions, ephemeral owners)";

const ABSENT = "absent";

export function describeEntry(e: ZnodeEntry | undefined): string {
  return e ? `data ${e[0]}, version ${e[1]}, cversion ${e[2]}, owner ${e[3] === "0" ? "none" : `0x${e[3]}`}` : ABSENT;
}

const keyOf = (e: ZnodeEntry | undefined) => (e ? e.join("|") : ABSENT);

/** Which field differs, said shortly (the first that does). */
function difference(mine: ZnodeEntry | undefined, theirs: ZnodeEntry | undefined): string {
  if (!mine) return "missing";
  if (!theirs) return "present only here";
  const fields = ["data digest", "version", "cversion", "ephemeral owner"];
  const i = mine.findIndex((v, k) => v !== theirs[k]);
  return `${fields[i]} ${mine[i]} vs ${theirs[i]}`;
}

/** Every path where a member holds another value than most members (ties: the leader's, else the lowest member's). */
export function divergences(trees: readonly MemberTree[]): Divergence[] {
  const paths = new Set(trees.flatMap((t) => Object.keys(t.znodes)).filter((p) => !inExcluded(p)));
  const leader = trees.find((t) => t.mode === "leader")?.member;
  const out: Divergence[] = [];
  for (const path of [...paths].sort()) {
    const byValue = new Map<string, number[]>();
    for (const t of trees) byValue.set(keyOf(t.znodes[path]), [...(byValue.get(keyOf(t.znodes[path])) ?? []), t.member]);
    if (byValue.size === 1) continue;
    const ranked = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length || Number(b[1].includes(leader ?? -1)) - Number(a[1].includes(leader ?? -1)) || Math.min(...a[1]) - Math.min(...b[1]));
    const [refKey, refMembers] = ranked[0];
    const ref = trees.find((t) => t.member === refMembers[0])!.znodes[path];
    for (const t of trees) {
      const mine = t.znodes[path];
      if (keyOf(mine) === refKey) continue;
      out.push({ member: t.member, path, holds: `${difference(mine, ref)} (${describeEntry(mine)})`, others: describeEntry(ref), othersAre: refMembers });
    }
  }
  return out;
}

function inExcluded(path: string): boolean {
  return path === EXCLUDED_ROOT || path.startsWith(`${EXCLUDED_ROOT}/`);
}

const sayDivergence = (d: Divergence) => `member ${d.member}: ${d.path}: ${d.holds} where ${d.othersAre.join(", ")} hold ${d.others}`;

function digestText(zk: ReconcileInput["zkDigest"]): string {
  if (!zk || Object.keys(zk).length === 0) return "";
  const counted = Object.entries(zk).filter((e): e is [string, { mismatches: number }] => "mismatches" in e[1]);
  const none = Object.entries(zk).filter((e): e is [string, { none: string }] => "none" in e[1]);
  const parts = [
    ...(counted.length ? [`${counted.map(([m, v]) => `${m}: ${v.mismatches}`).join(", ")} mismatch(es)`] : []),
    ...(none.length ? [`none on ${none.map(([m]) => m).join(", ")} (${none[0][1].none})`] : []),
  ];
  return `; ZooKeeper's digest: ${parts.join("; ")}`;
}

/**
 * The members' trees compared at one zxid. Fails naming each diverged member and path; one tree or
 * none is no comparison (inconclusive); a drill that ends diverged on purpose passes on the divergence
 * and fails when the trees agree, as the linearizability check does with its expected violation.
 */
export function reconciled(i: ReconcileInput): CheckResult {
  const name = RECONCILED;
  const members = i.trees.map((t) => t.member);
  const zxids = [...new Set(i.trees.map((t) => t.zxid))];
  const znodes = new Set(i.trees.flatMap((t) => Object.keys(t.znodes)).filter((p) => !inExcluded(p))).size;
  const found = i.trees.length >= 2 ? divergences(i.trees) : [];
  const diverged = [...new Set(found.map((d) => d.member))];
  const evidence = {
    members,
    zxids,
    znodes,
    perMember: Object.fromEntries(i.trees.map((t) => [t.member, { mode: t.mode, zxid: t.zxid, znodes: Object.keys(t.znodes).filter((p) => !inExcluded(p)).length, ...(t.capped ? { capped: true } : {}) }])),
    divergences: found.slice(0, 100),
    divergedMembers: diverged,
    ...(i.disagreed && Object.keys(i.disagreed).length ? { disagreed: i.disagreed } : {}),
    ...(i.notCompared && Object.keys(i.notCompared).length ? { notCompared: i.notCompared } : {}),
    ...(i.zkDigest ? { zkDigest: i.zkDigest } : {}),
    ...(i.expectDivergence ? { expectDivergence: i.expectDivergence } : {}),
  };
  const line = `members reconciled: ${znodes} znodes, ${found.length} divergence${found.length === 1 ? "" : "s"}`;
  const aside = [
    ...(i.notCompared && Object.keys(i.notCompared).length ? [`not compared: ${Object.entries(i.notCompared).map(([m, why]) => `${m} (${why})`).join(", ")}`] : []),
  ].map((s) => `; ${s}`).join("") + digestText(i.zkDigest);
  if (i.trees.length === 0) return inconclusive(name, `no member's tree was read${aside}`, evidence);
  if (i.trees.length === 1) return inconclusive(name, `one member only (${members[0]}): nothing to compare it with${aside}`, evidence);
  const capped = i.trees.filter((t) => t.capped).map((t) => t.member);
  // A tree that moved while it was read (a session expiring) may differ for that alone.
  const moving = i.trees.filter((t) => MOVED.test(t.zxid));
  if (moving.length > 0) return inconclusive(name, `${line}, but the zxid moved while the trees were read (${moving.map((t) => `${t.member}: ${t.zxid}`).join("; ")})${aside}`, evidence);
  if (found.length > 0) {
    const text = `${line}: ${some(found.map(sayDivergence), 3)}${aside}`;
    if (i.expectDivergence) return verdict(name, true, `${line}, as the drill expects (${i.expectDivergence}): members ${diverged.join(", ")} diverged: ${some(found.map(sayDivergence), 3)}${aside}`, evidence);
    return verdict(name, false, text, evidence);
  }
  if (capped.length > 0) return inconclusive(name, `${line} in what was read, but the read stopped at ${i.cap} znodes on member(s) ${capped.join(", ")}${aside}`, evidence);
  if (i.disagreed && Object.keys(i.disagreed).length > 0) {
    return inconclusive(name, `${line} among ${members.join(", ")}, but member(s) ${Object.entries(i.disagreed).map(([m, z]) => `${m} at ${z}`).join(", ")} never reached their zxid ${zxids.join(", ")}${aside}`, evidence);
  }
  if (zxids.length > 1) return inconclusive(name, `${line}, but the trees were read at different zxids (${i.trees.map((t) => `${t.member}: ${t.zxid}`).join(", ")})${aside}`, evidence);
  if (i.expectDivergence) return verdict(name, false, `${line}, but the drill expects a divergence (${i.expectDivergence})${aside}`, evidence);
  return verdict(name, true, `${line} (members ${members.join(", ")} at ${zxids[0]})${aside}`, evidence);
}
