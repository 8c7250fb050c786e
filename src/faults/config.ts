// Faults of what the members run: their zoo.cfg rewritten (each change takes effect at the member's
// next start: P2's promotion, P6's scale-out), and the member moved to another ZooKeeper version
// with its data carried over (an upgrade, or a rollback's downgrade).
import { z } from "zod";
import type { ImageRef } from "../images";
import { MemberChange, MemberId, versionAtLeast } from "../topology";
import { ArgHelpers, defined, defineFault, FaultScene } from "./spec";

function rewriteArgs(h: ArgHelpers) {
  return z.strictObject({
    members: h.members("The members whose zoo.cfg changes (the same change for each)"),
    servers: h.members("The server lines their zoo.cfg will list").optional(),
    role: z.enum(["participant", "observer"], { error: 'must be "participant" or "observer"' }).optional(),
    standby: z.boolean().optional(),
    save: h.save,
  });
}

type RewriteParams = { members: MemberId[]; servers?: MemberId[]; role?: "participant" | "observer"; standby?: boolean; changes?: Readonly<Record<MemberId, MemberChange>> };

/** Each member's change: the one given for all, or (TypeScript) one each. */
const changesOf = (p: RewriteParams): Readonly<Record<MemberId, MemberChange>> =>
  p.changes ?? Object.fromEntries(p.members.map((id) => [id, defined({ servers: p.servers, role: p.role, standby: p.standby })]));

export const rewriteConfig = defineFault<"rewrite-config", "rewrite-config", ReturnType<typeof rewriteArgs>, { changes?: Readonly<Record<MemberId, MemberChange>> }>({
  verb: "rewrite-config",
  about: "Rewrites members' configs as one change; each takes effect at that member's next start",
  args: rewriteArgs,
  kinds: ["rewrite-config"],
  effect: "fault",
  step: (p) => {
    const changes = changesOf(p);
    const list = Object.keys(changes).map(Number);
    const distinct = new Set(Object.values(changes).map((c) => JSON.stringify(c)));
    const what = distinct.size === 1 ? [...distinct][0] : JSON.stringify(changes);
    return `rewrite member${list.length > 1 ? "s" : ""} ${list.join(", ")}'s config (${what})`;
  },
  label: (p) => `rewrite config ${Object.keys(changesOf(p)).join(",")}`,
  members: (p) => Object.keys(changesOf(p)).map(Number),
  detail: (p) => ({ changes: changesOf(p) }),
  inject: async (p, env) => {
    const changes = changesOf(p);
    const cfgs = await env.ensemble.rewriteConfigs(changes);
    for (const id of Object.keys(changes).map(Number)) env.note("config rewritten", { member: id, config: cfgs[id] });
  },
  explain: (a, run) => {
    const targets = run.sketch(a.members);
    const servers = a.servers === undefined ? undefined : run.sketch(a.servers);
    const change: MemberChange = { ...(servers?.ids ? { servers: servers.ids } : {}), ...(a.role ? { role: a.role } : {}), ...(a.standby !== undefined ? { standby: a.standby } : {}) };
    if (targets.ids) run.rewrite(targets.ids, change);
    const what = [servers ? `servers ${servers.ids ? servers.ids.join(", ") : servers.text}` : "", a.role ? `role ${a.role}` : "", a.standby !== undefined ? `standby ${a.standby}` : ""].filter(Boolean).join(", ");
    return { text: `rewrite the config of ${targets.text}: ${what} (each takes effect at its next start)` };
  },
  flow: (a, at) => (a.servers === undefined && a.role === undefined && a.standby === undefined ? [`${at}: says nothing to change; give servers, role or standby`] : []),
});

const zkVersion = z.string({ error: 'must be a ZooKeeper version like "3.9.5"' }).regex(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.9.5"');

function upgradeArgs(h: ArgHelpers) {
  return z.strictObject({ members: h.members("The members upgraded, one at a time in this order"), version: zkVersion.optional().describe("The version (default: --to-version)"), save: h.save });
}

function versionOf(p: { version?: string }, s: FaultScene): string {
  const version = p.version ?? s.upgradeTo;
  if (!version) throw new Error("no version to upgrade to: give one, or run the drill with --to-version");
  return version;
}

const direction = (p: { members: MemberId[]; version?: string }, s: FaultScene) => (versionAtLeast(versionOf(p, s), s.versionOf(p.members[0])) ? "upgrade" : "downgrade");

export const upgrade = defineFault<"upgrade", "upgrade" | "downgrade", ReturnType<typeof upgradeArgs>, { image?: ImageRef }>({
  verb: "upgrade",
  about: "Members on another ZooKeeper version, their data carried over",
  args: upgradeArgs,
  kinds: ["upgrade", "downgrade"],
  effect: "fault",
  steps: (p) => p.members.map((id) => ({ ...p, members: [id] })),
  step: (p, s) => `upgrade member ${p.members[0]} to ZooKeeper ${versionOf(p, s)}`,
  kind: direction,
  label: (p, s) => `${direction(p, s)} ${p.members[0]} to ${versionOf(p, s)}`,
  members: (p) => [p.members[0]],
  detail: (p, env) => ({ from: env.versionOf(p.members[0]), to: versionOf(p, env), image: (p.image ?? env.image(versionOf(p, env)).image).name }),
  inject: async (p, env) => {
    const version = versionOf(p, env);
    await env.ensemble.upgradeMember(p.members[0], p.image ?? env.image(version).image, version);
    env.note("member versions", { versions: env.ensemble.versions() });
  },
  explain: (a, run) => ({ text: `upgrade ${run.sketch(a.members).text} to ZooKeeper ${a.version ?? "--to-version"}, one at a time, data carried over` }),
});
