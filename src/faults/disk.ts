// Faults of a member's disks: its dataLogDir filled to the last byte (its own loop-mounted disk:
// topology datalogMb), freed again, and a transaction log broken as a disk breaks it.
import { z } from "zod";
import { diskUsage, fillDisk as fillDir, freeDisk as freeDir } from "../docker";
import { ZK_PATHS } from "../topology";
import { ArgHelpers, defineFault, TopologyView, Selects } from "./spec";
import { emptied, flippedRecord, newestLog, tornTail } from "./txn-log";

/**
 * How a disk breaks a log: its last record torn (a crash mid-append), a byte flipped in a record (bit
 * rot), or the file left empty (a crash, or a full disk, right after the log was created: no header).
 */
export const LOG_DAMAGES = ["torn-tail", "bit-flip", "emptied"] as const;
export type LogDamage = (typeof LOG_DAMAGES)[number];

/** What each damage does, as a step names it (`explain` says a little more of a bit flip). */
const DAMAGE_VERBS: Readonly<Record<LogDamage, string>> = { "torn-tail": "tear the last record of", "bit-flip": "flip a byte in", emptied: "empty (0 bytes)" };

const freeLabel = (id: number) => `free ${id}'s dataLogDir`;

/** A disk fault needs the member's own dataLogDir disk. */
function needsDisk(member: Selects<"one">, t: TopologyView): string[] {
  const without = t.named(member).filter((id) => t.topology.members.find((m) => m.id === id)?.datalogMb === undefined);
  return without.length > 0 ? [`${t.at}.member: member ${without.join(", ")} has no dataLogDir disk of its own in topology "${t.topology.name}"; give it datalogMb (e.g. datalogMb: 64)`] : [];
}

export const fillDisk = defineFault({
  verb: "fill-disk",
  about: "Fills a member's dataLogDir disk to the last byte",
  args: (h: ArgHelpers) => z.strictObject({ member: h.member("The member whose dataLogDir disk fills (it needs datalogMb in the topology)"), save: h.save }),
  kinds: ["disk"],
  effect: "fault",
  step: (p) => `fill member ${p.member}'s dataLogDir disk`,
  label: (p) => `fill ${p.member}'s dataLogDir`,
  members: (p) => [p.member],
  detail: (p, env) => ({ disk: diskUsage(env.ensemble.members.datalogDiskOf(p.member)) }),
  inject: async (p, env) => {
    const dir = env.ensemble.members.datalogDiskOf(p.member);
    const filled = fillDir(dir);
    env.note("disk filled", { member: p.member, ...filled });
    return { label: freeLabel(p.member), run: async () => void freeDir(dir) };
  },
  explain: (a, run) => ({ text: `fill ${run.sketch(a.member).text}'s dataLogDir disk to the last byte` }),
  check: (a, t) => needsDisk(a.member, t),
});

export const freeDisk = defineFault({
  verb: "free-disk",
  about: "Frees what fill-disk wrote",
  args: (h: ArgHelpers) => z.strictObject({ member: h.member("The member whose dataLogDir disk is freed"), save: h.save }),
  kinds: ["disk"],
  effect: "fault",
  step: (p) => `free member ${p.member}'s dataLogDir disk`,
  label: (p) => freeLabel(p.member),
  members: (p) => [p.member],
  inject: async (p, env) => {
    const dir = env.ensemble.members.datalogDiskOf(p.member);
    const freedBytes = freeDir(dir);
    env.note("disk freed", { member: p.member, freedBytes, disk: diskUsage(dir) });
    env.forget([freeLabel(p.member)]);
  },
  explain: (a, run) => ({ text: `free ${run.sketch(a.member).text}'s dataLogDir disk` }),
  check: (a, t) => needsDisk(a.member, t),
});

/**
 * The member's newest transaction log broken as a disk breaks it; the member must be stopped (a
 * running ZooKeeper would write over it). Nothing undoes it: the runbook's fix is a wipe and resync.
 */
export const corruptLog = defineFault({
  verb: "corrupt-log",
  about: "Breaks a stopped member's newest transaction log as a disk does",
  args: (h: ArgHelpers) =>
    z.strictObject({
      member: h.member("The stopped member whose newest transaction log is broken"),
      damage: z.enum(LOG_DAMAGES, { error: 'must be "torn-tail" (the last record cut in half), "bit-flip" (a byte flipped in a record) or "emptied" (0 bytes, not even its header)' }),
      save: h.save,
    }),
  kinds: ["disk"],
  effect: "fault",
  step: (p) => `${DAMAGE_VERBS[p.damage]} member ${p.member}'s newest transaction log`,
  label: (p) => `${p.damage} in ${p.member}'s newest transaction log`,
  members: (p) => [p.member],
  detail: (p) => ({ damage: p.damage }),
  inject: async (p, env) => {
    const id = p.member;
    const state = await env.ensemble.state(id);
    if (state !== "stopped") throw new Error(`member ${id} is ${state}: stop it first (a running ZooKeeper writes over its log)`);
    const dir = `${ZK_PATHS.dataLogDir}/version-2`;
    const files = await env.ensemble.files(id, dir);
    const byName = new Map(files.map((f) => [f.name.split("/").pop()!, f.content]));
    const name = newestLog([...byName.keys()]);
    if (!name) throw new Error(`member ${id} has no transaction log in ${dir} (it has: ${[...byName.keys()].join(", ") || "nothing"})`);
    const broken = p.damage === "torn-tail" ? tornTail(byName.get(name)!) : p.damage === "bit-flip" ? flippedRecord(byName.get(name)!) : emptied(byName.get(name)!);
    await env.ensemble.putFiles(id, [{ path: `${dir}/${name}`, content: broken.file }]);
    env.note("transaction log damaged", { member: id, file: `${dir}/${name}`, damage: p.damage, record: broken.record, bytes: broken.file.length, bytesBefore: byName.get(name)!.length });
  },
  explain: (a, run) => ({ text: `${a.damage === "bit-flip" ? "flip a byte in a record of" : DAMAGE_VERBS[a.damage]} ${run.sketch(a.member).text}'s newest transaction log (it must be stopped)` }),
});
