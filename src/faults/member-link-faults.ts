// Faults of the links between members, cut inside the members with iptables (member-links.ts): what
// the zone gateways cannot do. Jepsen's partition shapes (isolate one, halves, bridge, majorities
// ring, one way), random packet loss, a flapping link, and the heal that mends them all.
import { z } from "zod";
import type { MemberId, Topology } from "../topology";
import { describeShape, LinkMode, linksOf, Shape } from "./shapes";
import { AnyFaultSpec, ArgHelpers, ArgsOf, defineFault, DryRunView, Explained, FaultScene, Params, Rollback, Selects, sleep } from "./spec";

export const LINK_MODES = ["drop", "reject"] as const;
const linkMode = z.enum(LINK_MODES, { error: 'must be "drop" (packets silently dropped) or "reject" (connections reset)' }).optional().describe("drop (default): a blackhole; reject: TCP resets");

export const LINK_PORTS = ["quorum", "election", "client"] as const;
export type LinkPort = (typeof LINK_PORTS)[number];
const linkPort = z
  .enum(LINK_PORTS, { error: 'must be "quorum" (followers to their leader), "election" or "client"' })
  .optional()
  .describe("Only connections to this port of the members cut off (quorum: a member can still vote but not follow); default every port");
const portNumber = (port: LinkPort, t: Topology) => (port === "quorum" ? t.settings.quorumPort : port === "election" ? t.settings.electionPort : t.settings.clientPort);
const portText = (p: object) => ((p as { port?: LinkPort }).port ? `, ${(p as { port?: LinkPort }).port} port only` : "");

const everyone = (t: Topology) => t.members.map((m) => m.id);
const HEAL_MEMBER_LINKS = "heal member links";
const healLinks = (env: { links: { heal(): Promise<unknown> } }): Rollback => ({ label: HEAL_MEMBER_LINKS, run: async () => void (await env.links.heal()) });
const MEMBER_CUTS = "the planner does not model cuts between members: the side that holds a majority of the voters keeps or elects a leader";
const how = (a: { mode?: LinkMode }) => (a.mode === "reject" ? "connections reset" : "packets dropped");

/** A partition shape between members, as one verb: its fields give the shape. */
function memberCut<V extends string, S extends z.ZodObject>(o: {
  verb: V;
  about: string;
  args: (h: ArgHelpers) => S;
  shapeOf: (p: Params<S>, t: Topology) => Shape;
  explain: (a: ArgsOf<S>, who: (sel: Selects<"one" | "many">) => string) => string;
}) {
  const modeOf = (p: object): LinkMode => (p as { mode?: LinkMode }).mode ?? "drop";
  const portOf = (p: object) => (p as { port?: LinkPort }).port;
  const linksFor = (p: Params<S>, s: FaultScene) => {
    const port = portOf(p);
    const links = linksOf(o.shapeOf(p, s.topology), everyone(s.topology), modeOf(p));
    return port === undefined ? links : links.map((l) => ({ ...l, port: portNumber(port, s.topology) }));
  };
  return defineFault({
    verb: o.verb,
    about: o.about,
    args: o.args,
    kinds: ["partition"],
    effect: "fault",
    disaster: true,
    step: (p, s) => `partition: ${describeShape(o.shapeOf(p, s.topology))} (${modeOf(p) === "drop" ? "packets dropped" : "connections reset"}${portText(p)})`,
    label: (p, s) => `partition ${describeShape(o.shapeOf(p, s.topology))} (${modeOf(p)}${portText(p)})`,
    members: (p, s) => [...new Set(linksFor(p, s).flatMap((l) => [l.from, l.to]))],
    detail: (p, env) => ({ shape: o.shapeOf(p, env.topology), mode: modeOf(p), ...(portOf(p) ? { port: portOf(p) } : {}) }),
    inject: async (p, env) => {
      const rules = await env.links.cut(linksFor(p, env));
      env.note("member links cut", { rules });
      return healLinks(env);
    },
    proof: (p, s) => ({ name: `${describeShape(o.shapeOf(p, s.topology))} (${modeOf(p)}${portText(p)})`, links: linksFor(p, s) }),
    explain: (a: ArgsOf<S>, run: DryRunView): Explained => ({ text: `${o.explain(a, (sel) => run.sketch(sel).text)}${portText(a)}`, after: MEMBER_CUTS }),
  });
}

export const isolateMember = memberCut({
  verb: "isolate-member",
  about: "Cuts one member off from every other, inside the members (iptables)",
  args: (h: ArgHelpers) => z.strictObject({ member: h.member("The member cut off from every other member (its clients still reach it)"), mode: linkMode, port: linkPort, save: h.save }),
  shapeOf: (p) => ({ kind: "isolate", member: p.member }),
  explain: (a, who) => `cut ${who(a.member)} off from every other member (${how(a)}; its clients still reach it)`,
});

export const partitionHalves = memberCut({
  verb: "partition-halves",
  about: "Two groups of members that cannot reach each other",
  args: (h: ArgHelpers) => z.strictObject({ side: h.members("One side"), "other-side": h.members("The other side (default: every other member)").optional(), mode: linkMode, port: linkPort, save: h.save }),
  shapeOf: (p, t) => ({ kind: "halves", sides: [p.side, p["other-side"] ?? everyone(t).filter((id) => !p.side.includes(id))] }),
  explain: (a, who) => `cut ${who(a.side)} off from ${a["other-side"] === undefined ? "every other member" : who(a["other-side"])} (${how(a)})`,
});

export const partitionBridge = memberCut({
  verb: "partition-bridge",
  about: "Two groups joined only through one member (Jepsen's bridge)",
  args: (h: ArgHelpers) => z.strictObject({ bridge: h.member("The member that sees both sides"), side: h.members("One side"), "other-side": h.members("The other side"), mode: linkMode, port: linkPort }),
  shapeOf: (p) => ({ kind: "bridge", bridge: p.bridge, sides: [p.side, p["other-side"]] }),
  explain: (a, who) => `cut ${who(a.side)} off from ${who(a["other-side"])}, both still seeing ${who(a.bridge)} (a bridge; ${how(a)})`,
});

export const partitionRing = memberCut({
  verb: "partition-ring",
  about: "Each member sees a bare majority, no two the same one (Jepsen's majorities ring)",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The ring, in this order (default: every member, by id); 5 or more").optional(), mode: linkMode, port: linkPort }),
  shapeOf: (p, t) => ({ kind: "majorities-ring", ring: p.members ?? everyone(t) }),
  explain: (a, who) => `a majorities ring over ${a.members === undefined ? "every member" : who(a.members)}: each sees a bare majority, no two the same (${how(a)})`,
});

export const cutOneWay = memberCut({
  verb: "cut-one-way",
  about: "A one-way cut between members",
  args: (h: ArgHelpers) => z.strictObject({ from: h.members("These members cannot send"), to: h.members("to these; the other way still flows"), mode: linkMode, port: linkPort }),
  shapeOf: (p) => ({ kind: "one-way", from: p.from, to: p.to }),
  explain: (a, who) => `${who(a.from)} cannot send to ${who(a.to)}; the other way still flows (${how(a)})`,
});

/** The verb and arguments that cut `shape` (the drill word d.partitionMembers takes shapes), on one port or all. */
export function memberCutOf(shape: Shape, mode?: LinkMode, port?: LinkPort): { spec: AnyFaultSpec; args: object } {
  const m = { ...(mode === undefined ? {} : { mode }), ...(port === undefined ? {} : { port }) };
  switch (shape.kind) {
    case "isolate":
      return { spec: isolateMember, args: { member: shape.member, ...m } };
    case "halves":
      return { spec: partitionHalves, args: { side: [...shape.sides[0]], "other-side": [...shape.sides[1]], ...m } };
    case "bridge":
      return { spec: partitionBridge, args: { bridge: shape.bridge, side: [...shape.sides[0]], "other-side": [...shape.sides[1]], ...m } };
    case "majorities-ring":
      return { spec: partitionRing, args: { members: [...shape.ring], ...m } };
    case "one-way":
      return { spec: cutOneWay, args: { from: [...shape.from], to: [...shape.to], ...m } };
  }
}

export const healMembers = defineFault({
  verb: "heal-members",
  about: "Removes every cut and loss between members",
  args: () => z.strictObject({}),
  kinds: ["heal"],
  effect: "recovery",
  step: () => "heal the links between members",
  label: () => HEAL_MEMBER_LINKS,
  members: () => [],
  inject: async (_p, env) => {
    const healed = await env.links.heal();
    env.note("member links healed", { members: healed });
    env.forget([HEAL_MEMBER_LINKS]);
  },
  explain: () => ({ text: "heal every cut and loss between members" }),
});

const ms = (seconds: number) => Math.round(seconds * 1000);

export const flap = defineFault<"flap", "partition", ReturnType<typeof flapArgs>, { shape?: Shape }>({
  verb: "flap",
  about: "A flapping link: the member cut off and healed in turn",
  args: flapArgs,
  kinds: ["partition"],
  effect: "fault",
  step: (p) => `flap ${describeShape(p.shape ?? { kind: "isolate", member: p.member })} every ${ms(p["every-seconds"])} ms for ${(ms(p["for-seconds"]) / 1000).toFixed(0)} s`,
  label: (p) => `flap ${describeShape(p.shape ?? { kind: "isolate", member: p.member })}`,
  members: (p) => [p.member],
  // Each cut and each heal is a fault of its own, each cut proven on the wire as any cut is (a cut
  // lasts at least as long as its proof: a dropped link's probe waits out its 2 s); the rhythm is
  // bounded by its length and a count.
  compose: async (p, env) => {
    const everyMs = ms(p["every-seconds"]);
    const forMs = ms(p["for-seconds"]);
    if (!(everyMs >= 100 && forMs >= everyMs)) throw new Error(`flap: every ${everyMs} ms for ${forMs} ms; give everyMs >= 100 and forMs >= everyMs`);
    const cut = memberCutOf(p.shape ?? { kind: "isolate", member: p.member });
    const until = Date.now() + forMs;
    for (let i = 0; Date.now() < until && i < 10_000; i++) {
      await env.fault(cut.spec, cut.args);
      const held = Date.now();
      const proof = cut.spec.proof?.(cut.args, env);
      if (proof) await env.proveCut(proof);
      await sleep(Math.max(0, everyMs - (Date.now() - held)));
      await env.fault(healMembers, {});
      await sleep(everyMs);
    }
  },
  explain: (a, run) => {
    const who = run.sketch(a.member);
    const one = who.ids?.length === 1 ? who.text : `${who.text} (the first of them)`;
    return { text: `flap the links of ${one}: cut off and healed every ${a["every-seconds"]} s for ${a["for-seconds"]} s, each cut proven on the wire` };
  },
});

function flapArgs(h: ArgHelpers) {
  return z.strictObject({
    member: h.member("The member whose links flap (isolated, then healed, again and again)"),
    "every-seconds": h.seconds("How long each cut and each heal lasts (0.1 or more; a cut at least as long as its proof on the wire, about 2 s)"),
    "for-seconds": h.seconds("How long the flapping goes on"),
  });
}

const lossTo = (p: { from: MemberId; to?: MemberId[] }, t: Topology) => p.to ?? everyone(t).filter((id) => id !== p.from);

export const packetLoss = defineFault({
  verb: "packet-loss",
  about: "Random packet loss on a member's links (iptables statistic)",
  args: (h: ArgHelpers) =>
    z.strictObject({
      from: h.member("The member whose packets are lost (the first the selector gives)"),
      to: h.members("To these members (default: every other)").optional(),
      percent: z.number({ error: "must be a percentage, e.g. 20" }).gt(0, "must be above 0 %").lt(100, "must be below 100 % (100 % is a cut: use isolate-member)").describe("The share of packets dropped at random"),
    }),
  kinds: ["degrade"],
  effect: "fault",
  step: (p, s) => `lose ${p.percent} % of member ${p.from}'s packets to ${lossTo(p, s.topology).join(", ")}`,
  label: (p, s) => `loss ${Math.round(p.percent)} % ${p.from} -> ${lossTo(p, s.topology).join(",")}`,
  members: (p, s) => [p.from, ...lossTo(p, s.topology)],
  detail: (p, env) => ({ share: p.percent / 100, to: lossTo(p, env.topology) }),
  inject: async (p, env) => {
    const rules = await env.links.loss(p.from, lossTo(p, env.topology), p.percent / 100);
    env.note("member links degraded", { rules });
    return healLinks(env);
  },
  explain: (a, run) => ({ text: `lose ${a.percent} % of ${run.sketch(a.from).text}'s packets to ${a.to === undefined ? "every other member" : run.sketch(a.to).text}` }),
});
