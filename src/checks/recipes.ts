// The recipes' guarantees, judged from the history alone (Jepsen's ZooKeeper suites): unique ids, a
// counter that counts each acknowledged increment once, a lock and an election never held by two at
// once, a queue that loses nothing and hands nothing out twice. The workload is src/workload/recipes.
import { baseName, countOf, DEFINITE_FAILURES, type Operation, RECIPE_PATHS, sequenceOf, type Recipe } from "../history";
import { CheckResult, inconclusive, some, verdict } from "./result";

export { RECIPES, type Recipe } from "../history";

/** A call whose effect is unknown: no answer, or an error that proves nothing. */
const unknown = (op: Operation): boolean => op.outcome === "info" || (op.outcome === "fail" && !DEFINITE_FAILURES.has(op.error ?? ""));
const at = (wall: number | null): string => (wall === null ? "never" : new Date(wall).toISOString());
const sequentialCreates = (ops: readonly Operation[], prefix: string) => ops.filter((op) => op.f === "create" && op.sequential && op.path === prefix);

/**
 * ZooKeeper issues each sequential name once, in commit order: no name returned by two acknowledged
 * creates, and a create invoked after another was acknowledged gets a higher sequence number.
 */
export function uniqueIds(ops: readonly Operation[]): CheckResult {
  const name = "unique ids: no sequential name issued twice, and later ids are higher";
  const creates = sequentialCreates(ops, RECIPE_PATHS.ids.prefix);
  const issued = creates.filter((op) => op.outcome === "ok" && op.created !== undefined);
  const figures = { idsIssued: issued.length, idsUnknown: creates.filter(unknown).length };
  if (issued.length === 0) return inconclusive(name, "no id was issued", figures);
  const problems: string[] = [];
  const byName = new Map<string, Operation[]>();
  for (const op of issued) byName.set(op.created!, [...(byName.get(op.created!) ?? []), op]);
  for (const [id, owners] of byName) if (owners.length > 1) problems.push(`${baseName(id)} issued ${owners.length} times (to processes ${owners.map((o) => o.process).join(", ")})`);
  // Real-time order: sweep the creates by call, keeping the highest id acknowledged before each call.
  const byRet = [...issued].sort((a, b) => a.ret - b.ret);
  let highest: Operation | undefined;
  let next = 0;
  for (const op of [...issued].sort((a, b) => a.call - b.call)) {
    for (; next < byRet.length && byRet[next].ret < op.call; next++) {
      if (!highest || seq(byRet[next]) > seq(highest)) highest = byRet[next];
    }
    if (highest && seq(op) <= seq(highest) && highest.created !== op.created) {
      problems.push(`${baseName(op.created!)} (process ${op.process}, invoked ${at(op.calledAt)}) is not above ${baseName(highest.created!)} (process ${highest.process}, acknowledged ${at(highest.returnedAt)} before it was invoked)`);
    }
  }
  return verdict(name, problems.length === 0, problems.length === 0 ? `${issued.length} id(s) issued, all distinct and in order` : `${problems.length} violation(s): ${some(problems, 3)}`, {
    ...figures,
    violations: problems.slice(0, 100),
  });
}

const seq = (op: Operation): number => sequenceOf(op.created ?? "") ?? -1;

/**
 * A multi() counter (check + setData at the version read: a compare-and-set): every acknowledged
 * increment writes a count no other does, and the count read at the end, N, lies between the
 * acknowledged increments and those plus the ones of unknown outcome.
 */
export function counterCounts(ops: readonly Operation[]): CheckResult {
  const name = "counter: every acknowledged increment counted once";
  const path = RECIPE_PATHS.counter.value;
  const mine = ops.filter((op) => op.path === path);
  const increments = mine.filter((op) => op.f === "cas");
  const acked = increments.filter((op) => op.outcome === "ok");
  const unsure = increments.filter(unknown);
  const problems: string[] = [];
  const byCount = new Map<number, Operation[]>();
  for (const op of acked) {
    const n = countOf(op.value);
    if (n === null) problems.push(`an acknowledged increment by process ${op.process} wrote ${String(op.value)}, which carries no count`);
    else byCount.set(n, [...(byCount.get(n) ?? []), op]);
  }
  for (const [n, same] of byCount) if (same.length > 1) problems.push(`count ${n} written by ${same.length} acknowledged increments (processes ${same.map((o) => o.process).join(", ")}): one counted for two`);
  const lastAck = acked.reduce((m, op) => Math.max(m, op.ret), -Infinity);
  const reads = mine.filter((op) => op.f === "read" && op.outcome === "ok" && countOf(op.value) !== null && op.call > lastAck);
  // The final read: a synced one when there is one (a follower may serve a plain read stale).
  const final = [...reads].sort((a, b) => Number(a.syncedBy !== undefined) - Number(b.syncedBy !== undefined) || a.call - b.call).pop();
  // The count the lineage started from, bounded both ways. A read before the first increment may be
  // stale (a follower, an observer), never ahead: a start never above the true one, so a count that
  // falls short of the acknowledged increments from it is a loss. The lowest acknowledged increment
  // read its count minus one, so the start was never above that: from it, a count beyond every
  // increment is one too many. A create gives the start exactly.
  const exact = created(mine);
  const lowestAcked = byCount.size > 0 ? Math.min(...byCount.keys()) - 1 : null;
  const base = exact ?? highestReadBefore(mine, increments) ?? lowestAcked;
  const atMost = exact ?? lowestAcked;
  const figures = { incrementsOk: acked.length, incrementsUnknown: unsure.length, conflicts: increments.filter((op) => op.outcome === "fail" && op.error === "BAD_VERSION").length, finalValue: final ? countOf(final.value) : null, baseline: base };
  if (increments.length === 0) return inconclusive(name, "no increment was attempted", figures);
  if (final && base !== null) {
    const n = countOf(final.value)! - base;
    if (n < acked.length) problems.push(`the counter read ${n} increment(s) at the end (${at(final.calledAt)}), fewer than the ${acked.length} acknowledged: ${acked.length - n} lost`);
  }
  if (final && atMost !== null) {
    const n = countOf(final.value)! - atMost;
    if (n > acked.length + unsure.length) problems.push(`the counter read ${n} increment(s) at the end, more than the ${acked.length} acknowledged and ${unsure.length} of unknown outcome`);
  }
  if (problems.length > 0) return verdict(name, false, `${problems.length} violation(s): ${some(problems, 3)}`, { ...figures, violations: problems.slice(0, 100) });
  if (!final) return inconclusive(name, "no read of the counter after the last acknowledged increment", figures);
  if (base === null) return inconclusive(name, "the counter's value before the first increment is unknown (no create of it, no read before it)", figures);
  return verdict(name, true, `${acked.length} acknowledged increment(s) (${unsure.length} of unknown outcome), final count ${figures.finalValue} from ${base}`, figures);
}

/** The highest count read before the first increment began (a follower may serve a read stale, never ahead). */
function highestReadBefore(mine: readonly Operation[], increments: readonly Operation[]): number | null {
  const first = increments.reduce((m, op) => Math.min(m, op.call), Infinity);
  const highest = mine.filter((op) => op.f === "read" && op.outcome === "ok" && op.ret < first).reduce((m, op) => Math.max(m, countOf(op.value) ?? -1), -1);
  return highest >= 0 ? highest : null;
}

/** The count the counter was created with, when this history created it. */
function created(mine: readonly Operation[]): number | null {
  const op = mine.find((o) => o.f === "create" && o.outcome === "ok" && !o.sequential);
  return op ? countOf(op.value) : null;
}

/** One process's proven hold of a lock or a leadership. */
export interface Hold {
  readonly process: number;
  readonly session: string | null;
  readonly node: string;
  /** Monotonic ms: the acquiring read's completion, and the call of the last acknowledged write on its node. */
  readonly start: number;
  readonly end: number;
  readonly startAt: number | null;
  readonly endAt: number;
}

/**
 * Holds proven by the history. A hold starts at the completion of the children read in which the
 * process saw its own znode lowest, and ends at the call of its last acknowledged write on that znode
 * (a heartbeat or the release) after that read. Why this holds under ZooKeeper's guarantees, stale
 * reads and expired sessions too: the acknowledged write proves the znode existed at a commit after
 * its call; the znode was lowest since the acquiring read (a lower sequence number is never issued
 * again); so a rival's acquiring read must reflect the znode's deletion, committed after that write.
 * A hold with no acknowledged write after acquiring proves nothing and is not counted.
 */
export function holdsOf(ops: readonly Operation[], recipe: "lock" | "election", sessionOf: ReadonlyMap<number, string> = new Map()): { holds: Hold[]; unproven: number } {
  const { root, prefix } = RECIPE_PATHS[recipe];
  const byProcess = new Map<number, Operation[]>();
  for (const op of ops) {
    if (op.path !== root && op.path !== prefix && !op.path.startsWith(`${root}/`)) continue;
    byProcess.set(op.process, [...(byProcess.get(op.process) ?? []), op]);
  }
  const holds: Hold[] = [];
  let unproven = 0;
  for (const [process, mine] of byProcess) {
    mine.sort((a, b) => a.call - b.call);
    const isCreate = (op: Operation) => op.f === "create" && op.sequential === true && op.path === prefix;
    mine.forEach((create, i) => {
      if (!isCreate(create) || create.outcome !== "ok" || !create.created) return;
      const node = create.created;
      // A process contends with one znode at a time: what follows its create, up to its next one.
      const next = mine.findIndex((op, j) => j > i && isCreate(op));
      const after = mine.slice(i + 1, next < 0 ? mine.length : next);
      const acquired = after.find((op) => op.f === "children" && op.path === root && op.outcome === "ok" && lowest(op.value) === baseName(node));
      if (!acquired) return;
      const proof = after.filter((op) => op.path === node && op.outcome === "ok" && (op.f === "write" || op.f === "cas" || op.f === "delete") && op.call > acquired.ret).pop();
      if (!proof) {
        unproven++;
        return;
      }
      holds.push({ process, session: sessionOf.get(process) ?? null, node, start: acquired.ret, end: proof.call, startAt: acquired.returnedAt, endAt: proof.calledAt });
    });
  }
  return { holds: holds.sort((a, b) => a.start - b.start), unproven };
}

/** The lowest sequential name of a children list. */
function lowest(value: Operation["value"]): string | undefined {
  if (!Array.isArray(value)) return undefined;
  let best: string | undefined;
  for (const n of value as readonly string[]) {
    const s = sequenceOf(n);
    if (s !== null && (best === undefined || s < sequenceOf(best)!)) best = n;
  }
  return best;
}

/** A lock (recipe "lock") or a leadership (recipe "election") is never held by two processes at once. */
export function oneHolder(ops: readonly Operation[], recipe: "lock" | "election", sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  const what = recipe === "lock" ? "lock" : "leadership";
  const name = `${recipe}: never two holders of the ${what} at once`;
  const { holds, unproven } = holdsOf(ops, recipe, sessionOf);
  const holdsPerProcess: Record<string, number> = {};
  for (const h of holds) holdsPerProcess[h.process] = (holdsPerProcess[h.process] ?? 0) + 1;
  let handOvers = 0;
  let longestGapMs = 0;
  let reach: Hold | undefined;
  const problems: string[] = [];
  const overlaps: Array<{ first: Hold; second: Hold }> = [];
  let active: Hold[] = [];
  holds.forEach((h, i) => {
    if (i > 0 && holds[i - 1].process !== h.process) handOvers++;
    if (reach && h.start > reach.end) longestGapMs = Math.max(longestGapMs, h.start - reach.end);
    active = active.filter((a) => a.end > h.start);
    for (const a of active) {
      if (a.process === h.process) continue;
      overlaps.push({ first: a, second: h });
      problems.push(`${describeHold(a)} and ${describeHold(h)} overlap`);
    }
    active.push(h);
    if (!reach || h.end > reach.end) reach = h;
  });
  const figures = { acquisitions: holds.length, unproven, handOvers, longestGapMs: Math.round(longestGapMs), holdsPerProcess };
  if (holds.length === 0) return inconclusive(name, `no hold of the ${what} was proven by an acknowledged write`, figures);
  return verdict(
    name,
    problems.length === 0,
    problems.length === 0 ? `${holds.length} hold(s), ${handOvers} hand-over(s), longest time with no proven holder ${(longestGapMs / 1000).toFixed(2)} s` : `${problems.length} overlap(s): ${some(problems, 2)}`,
    { ...figures, overlaps: overlaps.slice(0, 50) },
  );
}

const describeHold = (h: Hold): string => `process ${h.process}${h.session ? ` (session ${h.session})` : ""} held ${baseName(h.node)} from ${at(h.startAt)} to ${at(h.endAt)}`;

/**
 * A queue: an item is dequeued (an acknowledged delete) by one consumer at most, and every
 * acknowledged enqueue is dequeued, unknown (a delete of unknown outcome) or still there at the end.
 */
export function queueHolds(ops: readonly Operation[]): CheckResult {
  const name = "queue: every acknowledged item dequeued at most once, none lost";
  const { root, prefix } = RECIPE_PATHS.queue;
  const creates = sequentialCreates(ops, prefix);
  const enqueued = creates.filter((op) => op.outcome === "ok" && op.created !== undefined);
  const deletes = ops.filter((op) => op.f === "delete" && op.path.startsWith(`${root}/`));
  const dequeuedBy = new Map<string, Operation[]>();
  for (const op of deletes.filter((d) => d.outcome === "ok")) dequeuedBy.set(op.path, [...(dequeuedBy.get(op.path) ?? []), op]);
  const unsure = new Set(deletes.filter(unknown).map((op) => op.path));
  const final = ops.filter((op) => op.f === "children" && op.path === root && op.outcome === "ok" && Array.isArray(op.value)).sort((a, b) => a.call - b.call).pop();
  const left = new Set(final ? (final.value as readonly string[]).map((n) => `${root}/${n}`) : []);
  const problems: string[] = [];
  for (const [item, by] of dequeuedBy) if (by.length > 1) problems.push(`${baseName(item)} dequeued ${by.length} times (by processes ${by.map((o) => o.process).join(", ")})`);
  const judged = final ? enqueued.filter((op) => op.ret < final.call) : [];
  const lost = judged.filter((op) => !dequeuedBy.has(op.created!) && !unsure.has(op.created!) && !left.has(op.created!));
  for (const op of lost) problems.push(`${baseName(op.created!)} (enqueued by process ${op.process}, acknowledged ${at(op.returnedAt)}) was neither dequeued nor left at the end: lost`);
  const figures = { enqueued: enqueued.length, dequeued: dequeuedBy.size, left: left.size, unknownDequeues: unsure.size, unknownEnqueues: creates.filter(unknown).length, lost: lost.length };
  if (enqueued.length === 0) return inconclusive(name, "no item was enqueued", figures);
  if (problems.length > 0) return verdict(name, false, `${problems.length} violation(s): ${some(problems, 3)}`, { ...figures, violations: problems.slice(0, 100) });
  if (!final) return inconclusive(name, "the queue was not read at the end, so what is left is unknown", figures);
  return verdict(name, true, `${enqueued.length} enqueued, ${dequeuedBy.size} dequeued once each, ${left.size} left, ${unsure.size} dequeue(s) of unknown outcome`, figures);
}

/** The check kind of each recipe's verdict at the run's end. */
export const RECIPE_CHECK_KINDS = { ids: "recipe-ids", counter: "recipe-counter", lock: "recipe-lock", election: "recipe-election", queue: "recipe-queue" } as const satisfies Record<Recipe, string>;

/** The recipes whose znodes the history touches. */
export function recipesIn(ops: readonly Operation[]): Recipe[] {
  const roots = Object.entries(RECIPE_PATHS).map(([r, p]) => [r as Recipe, p.root] as const);
  const seen = new Set<Recipe>();
  for (const op of ops) for (const [r, root] of roots) if (op.path === root || op.path.startsWith(`${root}/`)) seen.add(r);
  return roots.map(([r]) => r).filter((r) => seen.has(r));
}

/** A recipe's check over a history (one lineage of it). */
export function recipeCheck(recipe: Recipe, ops: readonly Operation[], sessionOf: ReadonlyMap<number, string> = new Map()): CheckResult {
  switch (recipe) {
    case "ids":
      return uniqueIds(ops);
    case "counter":
      return counterCounts(ops);
    case "lock":
    case "election":
      return oneHolder(ops, recipe, sessionOf);
    case "queue":
      return queueHolds(ops);
  }
}
