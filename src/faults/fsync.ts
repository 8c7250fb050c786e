// Slow and lying disks under a member's transaction log: its fsyncs delayed, or answered before the data
// is durable and then lost to a power cut. The disk shim (src/images/recipes/zookeeper/zkdrill-disk.c,
// preloaded by zk-run.sh when the drill asks for disk faults) reads the mode file these faults write.
// ZooKeeper's guarantee holds only for what a quorum fsynced: a member whose disk lied may lose
// transactions it acknowledged, and the ensemble must not.
import { z } from "zod";
import { ZK_PATHS } from "../topology";
import type { MemberId } from "../topology";
import { ArgHelpers, defineFault, FaultEnv } from "./spec";
import { cutToDurable, parseWatermarks } from "./txn-log";

/** What the shim does to fsyncs under the dataLogDir: empty (nothing), "delay <ms>", or "lie". */
export const DISK_MODE_FILE = "/zkdrill/disk";
/** Where a lying shim records, per log file, the bytes really synced (what a power cut keeps). */
export const DISK_UNSYNCED_FILE = "/zkdrill/disk-unsynced";

const healLabel = (ids: readonly MemberId[]) => `heal disks ${ids.join(",")}`;

async function setMode(env: FaultEnv, ids: readonly MemberId[], mode: string): Promise<void> {
  for (const id of ids) {
    if (!env.ensemble.plan.diskFaults) throw new Error(`member ${id}'s disk cannot be slowed or made to lie: the drill must ask for disk faults (disk-faults: true), so members start with the disk shim`);
    await env.ensemble.putFiles(id, [{ path: DISK_MODE_FILE, content: mode === "" ? "" : `${mode}\n` }]);
  }
}

/** Honest disks again; the records of what was unsynced go with the lie. */
async function heal(env: FaultEnv, ids: readonly MemberId[]): Promise<void> {
  await setMode(env, ids, "");
  for (const id of ids) await env.ensemble.putFiles(id, [{ path: DISK_UNSYNCED_FILE, content: "" }]);
}

const shown = (ids: readonly MemberId[]) => ids.join(", ");

export const slowFsync = defineFault({
  verb: "slow-fsync",
  about: "Delays every fsync of members' transaction logs (the disk shim), as a slow or saturated disk does",
  args: (h: ArgHelpers) =>
    z.strictObject({
      members: h.members("Whose transaction-log fsyncs are delayed"),
      ms: z.number({ error: "must be whole milliseconds, e.g. 1200" }).int("whole milliseconds").min(1, "must be more than 0 ms").max(60_000, "at most 60000 ms").describe("How long each fsync takes longer, ms"),
      save: h.save,
    }),
  kinds: ["disk"],
  effect: "fault",
  needsDiskShim: true,
  step: (p) => `slow member(s) ${shown(p.members)}'s transaction-log fsyncs by ${p.ms} ms`,
  label: (p) => `fsync +${p.ms} ms on ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ fsyncDelayMs: p.ms }),
  inject: async (p, env) => {
    await setMode(env, p.members, `delay ${p.ms}`);
    return { label: healLabel(p.members), run: () => heal(env, p.members) };
  },
  explain: (a, run) => ({ text: `delay every fsync of ${run.sketch(a.members).text}'s transaction log by ${a.ms} ms` }),
});

export const lyingFsync = defineFault({
  verb: "lying-fsync",
  about: "Members' transaction-log fsyncs return at once without syncing (the disk shim): acknowledged data sits in the page cache only",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("Whose disks lie about fsync"), save: h.save }),
  kinds: ["disk"],
  effect: "fault",
  needsDiskShim: true,
  step: (p) => `make member(s) ${shown(p.members)}'s disks lie about fsync`,
  label: (p) => `lying fsync on ${p.members.join(",")}`,
  members: (p) => p.members,
  inject: async (p, env) => {
    await setMode(env, p.members, "lie");
    return { label: healLabel(p.members), run: () => heal(env, p.members) };
  },
  explain: (a, run) => ({ text: `make ${run.sketch(a.members).text}'s disk answer fsync without syncing (writes stay in the page cache)` }),
});

export const healDisk = defineFault({
  verb: "heal-disk",
  about: "Members' transaction-log fsyncs honest and prompt again",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("Whose disks are healed"), save: h.save }),
  kinds: ["disk"],
  effect: "recovery",
  needsDiskShim: true,
  step: (p) => `heal member(s) ${shown(p.members)}'s disks`,
  label: (p) => healLabel(p.members),
  members: (p) => p.members,
  inject: async (p, env) => {
    await heal(env, p.members);
    env.forget([healLabel(p.members)]);
  },
  explain: (a, run) => ({ text: `make ${run.sketch(a.members).text}'s fsyncs honest and prompt again` }),
});

/**
 * kill -9, then each transaction log cut back to what its disk really synced (the lying shim's
 * watermarks): the page cache lost with the power. What each member lost is measured here, by zxid,
 * before it restarts: the records past its last real sync, each one a transaction it acknowledged.
 */
async function powerCut(env: FaultEnv, id: MemberId): Promise<void> {
  await env.ensemble.kill(id);
  const watermarks = parseWatermarks(await env.ensemble.readFile(id, DISK_UNSYNCED_FILE).catch(() => ""));
  const dir = `${ZK_PATHS.dataLogDir}/version-2`;
  const logs = new Map((await env.ensemble.files(id, dir)).map((f) => [f.name.split("/").pop()!, f.content]));
  const files: Array<{ file: string; durableBytes: number; lostTxns: number }> = [];
  const lost: bigint[] = [];
  for (const [path, durableBytes] of watermarks) {
    const name = path.split("/").pop()!;
    const content = logs.get(name);
    if (!content) continue;
    const cut = cutToDurable(content, durableBytes);
    await env.ensemble.putFiles(id, [{ path: `${dir}/${name}`, content: cut.file }]);
    files.push({ file: `${dir}/${name}`, durableBytes: cut.file.length, lostTxns: cut.lostZxids.length });
    lost.push(...cut.lostZxids);
  }
  await env.ensemble.putFiles(id, [{ path: DISK_UNSYNCED_FILE, content: "" }]);
  const hex = (z: bigint) => `0x${z.toString(16)}`;
  const range = lost.length ? `, zxids ${hex(lost[0])} to ${hex(lost[lost.length - 1])}` : "";
  env.note("power cut", { member: id, files, lostTxns: lost.length, lostZxids: lost.map(hex) });
  env.finding(
    `member ${id}'s own log after a power cut`,
    lost.length > 0 ? "warning" : "info",
    watermarks.size === 0
      ? `member ${id}'s disk never lied: nothing unsynced to lose`
      : `${lost.length} transaction(s) it had written and acknowledged were never on its disk and are gone from its log${range}; ZooKeeper promises only what a quorum fsynced`,
    { member: id, lostTxns: lost.length, lostZxids: lost.map(hex), files },
  );
}

export const powerCutFault = defineFault({
  verb: "power-cut",
  about: "kill -9 and lose what the disk had not really synced (after lying-fsync): each log cut back to its last real sync",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The members whose power goes"), save: h.save }),
  kinds: ["kill"],
  effect: "fault",
  disaster: true,
  running: "down",
  needsDiskShim: true,
  step: (p) => `cut member(s) ${shown(p.members)}'s power (kill -9; unsynced writes lost)`,
  label: (p) => `power cut ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: () => ({ signal: "SIGKILL", pageCache: "lost" }),
  inject: async (p, env) => {
    for (const id of p.members) await powerCut(env, id);
  },
  explain: (a, run) => {
    const s = run.sketch(a.members);
    run.down(s);
    return { text: `cut ${s.text}'s power: kill -9, and each transaction log loses what its disk had not really synced`, after: run.planner() };
  },
});
