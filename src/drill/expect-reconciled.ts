// `d.expect.reconciled`, and the same at the end of every run (src/drill/runner.ts): the serving
// members of this ensemble synced, waited for (bounded) until their last zxids agree, each one's tree
// read, and the trees judged by the "reconciled" check of src/checks. ZooKeeper's own digest figure
// (3.6+) is read beside ours.
import type { ReconcileInput, MemberTree } from "../checks";
import { errorText, waitFor } from "../common";
import { readTree, syncThrough, TREE_CAP, treeReader } from "../probes";
import { MemberId, serversOf, Topology } from "../topology";
import { parseMntr, parseSrvr, ServerStatus, ZkClient } from "../zk";
import { CheckFailed, RunCore } from "./core";
import type { WorkloadControl } from "./workload-control";

/** How long the members get to reach one zxid (no load runs: a sync round, a session's expiry). */
const AGREE_MS = 30_000;
/** Reads retried when the zxid moved while the trees were read (a session of the drill's expiring). */
const ATTEMPTS = 6;

export type Serving = Extract<ServerStatus, { serving: true }>;

export class Reconciliation {
  constructor(
    private readonly run: RunCore,
    private readonly workload: WorkloadControl,
  ) {}

  /**
   * Every serving member of this ensemble (or of `members`) holds the same tree: paths, data, versions,
   * cversions, ephemeral owners, read at one zxid. Needs the workload stopped: a tree under load has no one zxid.
   */
  async reconciled(members?: readonly MemberId[]): Promise<void> {
    if (this.workload.workloadRuns) throw new Error("reconciling needs the workload stopped (its writes move every member's zxid): call d.stopWorkload() first");
    await this.run.step(`reconcile the members${members ? ` ${members.join(", ")}` : ""}`, async () => {
      this.run.check("reconciled", await gatherTrees(this.run, members));
    });
  }
}

/**
 * The ending's reconciliation: journaled as a check, or as a note saying why it was not judged (no
 * member serves, only one does, the trees could not be read); a divergence fails the run without
 * stopping the ending.
 */
export async function reconcileAtTheEnd(run: RunCore): Promise<void> {
  let input: ReconcileInput;
  try {
    input = await gatherTrees(run);
  } catch (err) {
    run.journal.append("note", { what: "members reconciled", text: `members reconciled: not judged: ${errorText(err)}` });
    return;
  }
  if (input.trees.length < 2) {
    const who = input.trees.length === 1 ? `only member ${input.trees[0].member} serves` : "no member serves";
    const why = Object.entries(input.notCompared ?? {}).map(([m, w]) => `${m}: ${w}`).join(", ");
    run.journal.append("note", { what: "members reconciled", text: `members reconciled: not compared: ${who}${why ? ` (${why})` : ""}` });
    run.say(`  · members reconciled: not compared: ${who}`);
    return;
  }
  try {
    run.check("reconciled", input);
  } catch (err) {
    if (!(err instanceof CheckFailed)) throw err;
  }
}

/** srvr of each member, parsed; a member that does not answer is not serving. */
async function statuses(run: RunCore, members: readonly MemberId[]): Promise<Map<MemberId, ServerStatus | { serving: false; raw: string }>> {
  const out = new Map<MemberId, ServerStatus | { serving: false; raw: string }>();
  await Promise.all(
    members.map(async (id) => {
      const raw = await run.ensemble.fourLetter(id, "srvr").catch((err) => `error: ${errorText(err)}`);
      try {
        out.set(id, parseSrvr(raw));
      } catch {
        out.set(id, { serving: false, raw });
      }
    }),
  );
  return out;
}

const zxidText = (z: bigint) => `0x${z.toString(16)}`;

/**
 * This ensemble: the newest leader's (highest epoch) serving members, each listed in the other's
 * configuration. A second ensemble running beside it (P5's source during the cut-over) is not this one.
 */
export function thisEnsemble(t: Topology, serving: ReadonlyMap<MemberId, Serving>): { members: MemberId[]; others: Record<string, string> } {
  const leaders = [...serving.entries()].filter(([, s]) => s.mode === "leader").sort((a, b) => b[1].epoch - a[1].epoch || a[0] - b[0]);
  if (leaders.length === 0) return { members: [...serving.keys()].sort((a, b) => a - b), others: {} };
  const [leader] = leaders[0];
  const members: MemberId[] = [];
  const others: Record<string, string> = {};
  for (const id of [...serving.keys()].sort((a, b) => a - b)) {
    if (id === leader || (serversOf(t, leader).includes(id) && serversOf(t, id).includes(leader))) members.push(id);
    else others[id] = `another ensemble's member (${serving.get(id)!.mode}, epoch ${serving.get(id)!.epoch}); this one's leader is ${leader}`;
  }
  return { members, others };
}

/** The trees of this ensemble's serving members (or of `given`), read at one zxid, as the check's input. */
async function gatherTrees(run: RunCore, given?: readonly MemberId[]): Promise<ReconcileInput> {
  const asked = given ?? (await run.ensemble.running());
  const first = await statuses(run, asked);
  const notCompared: Record<string, string> = {};
  const serving = new Map<MemberId, Serving>();
  for (const [id, s] of first) {
    if (s.serving) serving.set(id, s as Serving);
    else notCompared[id] = "not serving";
  }
  const { members, others } = thisEnsemble(run.ensemble.topology, serving);
  Object.assign(notCompared, others);
  const expectDivergence = expectedDivergence(run);
  const base = { cap: TREE_CAP, ...(expectDivergence ? { expectDivergence } : {}) };
  if (members.length < 2) return { ...base, trees: members.map((member) => ({ member, mode: serving.get(member)!.mode, zxid: zxidText(serving.get(member)!.zxid), znodes: {} })), notCompared };

  // One session per member, opened first: creating a session is a transaction of its own.
  const readers = new Map<MemberId, ZkClient>();
  try {
    for (const id of members) {
      const c = await treeReader(run.ensemble, id).catch((err) => {
        notCompared[id] = `no session to it: ${errorText(err)}`;
        return undefined;
      });
      if (c) readers.set(id, c);
    }
    const read = await readAtOneZxid(run, readers);
    return { ...base, ...read, notCompared: { ...notCompared, ...read.notCompared } };
  } finally {
    for (const c of readers.values()) c.close();
  }
}

/** The trees read through `readers`, retried (bounded) until no member's zxid moved while they were read. */
async function readAtOneZxid(run: RunCore, readers: ReadonlyMap<MemberId, ZkClient>): Promise<Pick<ReconcileInput, "trees" | "disagreed" | "zkDigest"> & { notCompared?: Record<string, string> }> {
  // zkdrill's sync: a write through each member, so each has seen everything completed before. Best
  // effort: a diverged member may refuse it (its parent exists only there); the zxids still must agree.
  for (const [id, c] of readers) {
    await syncThrough(c, id).catch((err) => run.journal.append("note", { what: "reconciliation sync refused", member: id, error: errorText(err) }));
  }
  const participants = new Set(run.ensemble.topology.members.filter((m) => m.role === "participant").map((m) => m.id));
  const members = [...readers.keys()];
  let last: { trees: MemberTree[]; disagreed: Record<string, string>; lagging: Record<string, string> } | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const agreed = await agreement(run, members);
    // Every member's tree at once, each on its own session: a soak's 200k znodes per member read in the time of one.
    const trees: MemberTree[] = await Promise.all(
      agreed.members.map(async (id) => {
        const read = await readTree(readers.get(id)!, id);
        return { member: id, mode: agreed.status.get(id)!.mode, zxid: agreed.zxid, znodes: read.znodes, ...(read.capped ? { capped: true } : {}) };
      }),
    );
    // Read at one zxid only if no member moved while the trees were read.
    const after = await statuses(run, agreed.members);
    const moved = agreed.members.filter((id) => {
      const s = after.get(id);
      return !s?.serving || zxidText(s.zxid) !== agreed.zxid;
    });
    const disagreed: Record<string, string> = {};
    const lagging: Record<string, string> = {};
    for (const [id, z] of Object.entries(agreed.apart)) (participants.has(Number(id)) ? disagreed : lagging)[id] = z;
    for (const id of moved) {
      const s = after.get(id);
      const now = s?.serving ? zxidText(s.zxid) : "not serving";
      const t = trees.find((x) => x.member === id)!;
      trees[trees.indexOf(t)] = { ...t, zxid: `${agreed.zxid}, then ${now} while read` };
    }
    last = { trees, disagreed, lagging };
    if (moved.length === 0) break;
    run.journal.append("note", { what: "reconciliation read again", attempt, moved: Object.fromEntries(moved.map((id) => [id, trees.find((t) => t.member === id)!.zxid])) });
  }
  const notCompared = Object.fromEntries(Object.entries(last!.lagging).map(([id, z]) => [id, `observer lagging at ${z}`]));
  return { trees: last!.trees, notCompared, ...(Object.keys(last!.disagreed).length ? { disagreed: last!.disagreed } : {}), zkDigest: await zkDigest(run, last!.trees.map((t) => t.member)) };
}

/**
 * Waits (bounded) until the members' last zxids agree with the leader's (the highest, without one);
 * returns who agrees and who stayed apart, with their zxids.
 */
async function agreement(run: RunCore, members: readonly MemberId[]): Promise<{ members: MemberId[]; zxid: string; status: Map<MemberId, Serving>; apart: Record<string, string> }> {
  let seen = new Map<MemberId, Serving>();
  const target = () => {
    const all = [...seen.values()];
    const leader = all.find((s) => s.mode === "leader");
    return leader ? leader.zxid : all.reduce((m, s) => (s.zxid > m ? s.zxid : m), 0n);
  };
  await waitFor(
    `members ${members.join(", ")} to reach one zxid`,
    async () => {
      const s = await statuses(run, members);
      seen = new Map([...s].filter((e): e is [MemberId, Serving] => e[1].serving) as [MemberId, Serving][]);
      const z = target();
      const apart = members.filter((id) => seen.get(id)?.zxid !== z);
      return apart.length === 0 ? { done: true, value: undefined } : { done: false, seen: apart.map((id) => `${id}: ${seen.get(id) ? zxidText(seen.get(id)!.zxid) : "not serving"}`).join(", ") };
    },
    { timeoutMs: AGREE_MS, intervalMs: 200 },
  ).catch(() => undefined);
  const z = target();
  const agreeing = members.filter((id) => seen.get(id)?.zxid === z);
  const apart = Object.fromEntries(members.filter((id) => !agreeing.includes(id)).map((id) => [id, seen.get(id) ? zxidText(seen.get(id)!.zxid) : "not serving"]));
  return { members: agreeing, zxid: zxidText(z), status: seen, apart };
}

/** ZooKeeper's own figure: mntr's zk_digest_mismatches_count (3.6+, digest.enabled on by default), or why there is none. */
async function zkDigest(run: RunCore, members: readonly MemberId[]): Promise<NonNullable<ReconcileInput["zkDigest"]>> {
  const out: Record<string, { mismatches: number } | { none: string }> = {};
  for (const id of members) {
    if (!run.runsAtLeast(id, "3.6.0")) {
      out[id] = { none: `${run.versionOf(id)} keeps no digest (ZooKeeper 3.6+)` };
      continue;
    }
    const mntr = await run.ensemble.fourLetter(id, "mntr").then(parseMntr, (err: Error) => ({ error: errorText(err) }) as Record<string, string>);
    const count = mntr.zk_digest_mismatches_count;
    out[id] = count !== undefined ? { mismatches: Number(count) } : { none: mntr.error ? `mntr did not answer: ${mntr.error}` : "mntr has no zk_digest_mismatches_count (digest.enabled off?)" };
  }
  return out;
}

/** The last lineage's expected violation: a drill that ends with its members diverged on purpose (P2-stale on 3.4). */
function expectedDivergence(run: RunCore): string | undefined {
  const last = [...run.journal.events].reverse().find((e) => e.type === "lineage");
  return typeof last?.data.expectViolation === "string" ? last.data.expectViolation : undefined;
}
