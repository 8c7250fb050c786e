// Faults of the links between zones, at the zone gateways (Toxiproxy): zones cut apart (refused, or
// bytes silently held), a zone cut off from every other, links degraded on top of their latency, and
// the heals that mend them.
import { z } from "zod";
import type { Degradation } from "../network";
import { describeDegradation } from "../network";
import { CutSpec, describeCut, isolate, validateCut } from "../network";
import type { Topology } from "../topology";
import { ArgHelpers, defineFault, defined, FaultEnv, Rollback } from "./spec";

export const cutMode = z.enum(["reset", "blackhole"], { error: 'must be "reset" (connections refused) or "blackhole" (bytes silently dropped)' });

const membersIn = (t: Topology, zones: readonly string[]) => t.members.filter((m) => zones.includes(m.zone)).map((m) => m.id);
const cutOf = (p: { from: string[]; to: string[]; mode: CutSpec["mode"]; "one-way"?: boolean }): CutSpec => defined({ from: p.from, to: p.to, mode: p.mode, oneWay: p["one-way"] });

const HEAL_EVERY_PARTITION = "heal every partition";

/** The cut made, on top of cuts in force; healed by a rollback (one for every partition). */
export async function cutZones(cut: CutSpec, env: FaultEnv): Promise<Rollback> {
  validateCut(env.topology, cut);
  const changes = await env.ensemble.network.cut(cut);
  env.note("proxies changed", { changes });
  return { label: HEAL_EVERY_PARTITION, run: async () => void (await env.ensemble.network.heal()) };
}

export const partition = defineFault({
  verb: "partition",
  about: "A network partition between zone groups",
  args: (h: ArgHelpers) =>
    z.strictObject({
      from: h.zones("One side of the cut"),
      to: h.zones("The other side"),
      mode: cutMode,
      "one-way": z.boolean().optional().describe("blackhole only: drop from -> to, let to -> from flow"),
    }),
  kinds: ["partition"],
  effect: "fault",
  disaster: true,
  step: (p) => `partition ${p.from.join(",")} from ${p.to.join(",")} (${p.mode})`,
  label: (p) => `partition ${describeCut(cutOf(p))}`,
  members: (p, s) => membersIn(s.topology, [...p.from, ...p.to]),
  detail: (p) => ({ cut: cutOf(p) }),
  inject: (p, env) => cutZones(cutOf(p), env),
  proof: (p) => {
    const cut = cutOf(p);
    return { name: `${cut.from.join(",")} / ${cut.to.join(",")} (${cut.mode}${cut.oneWay ? ", one way" : ""})`, zones: cut };
  },
  explain: (a, run) => {
    const cut = cutOf(a);
    run.cut(cut);
    return { text: `partition zones ${cut.from.join(", ")} from ${cut.to.join(", ")} (${cut.mode}${cut.oneWay ? ", one way" : ""})`, after: run.planner() };
  },
  check: (a, t) => {
    const problem = t.cutProblem(cutOf(a));
    return problem ? [problem] : [];
  },
});

const isolated = (p: { zone: string; mode?: CutSpec["mode"] }, t: Topology) => isolate(t, p.zone, p.mode ?? "reset");

export const isolateZone = defineFault({
  verb: "isolate-zone",
  about: "Cuts one zone off from every other zone",
  args: () =>
    z.strictObject({ zone: z.string({ error: "must be a zone name of the topology" }).min(1, "must be a zone name of the topology").describe("The zone cut off from every other"), mode: cutMode.optional().describe("reset (default) or blackhole") }),
  kinds: ["partition"],
  effect: "fault",
  disaster: true,
  step: (p) => `cut zone ${p.zone} off from every other (${p.mode ?? "reset"})`,
  label: (p, s) => `partition ${describeCut(isolated(p, s.topology))}`,
  members: (p, s) => {
    const cut = isolated(p, s.topology);
    return membersIn(s.topology, [...cut.from, ...cut.to]);
  },
  detail: (p, env) => ({ cut: isolated(p, env.topology) }),
  inject: (p, env) => cutZones(isolated(p, env.topology), env),
  proof: (p, s) => {
    const cut = isolated(p, s.topology);
    return { name: `${cut.from.join(",")} / ${cut.to.join(",")} (${cut.mode}${cut.oneWay ? ", one way" : ""})`, zones: cut };
  },
  explain: (a, run) => {
    const mode = a.mode ?? "reset";
    run.cut({ from: [a.zone], to: run.topology.zones.map((z) => z.name).filter((z) => z !== a.zone), mode });
    return { text: `cut zone ${a.zone} off from every other zone (${mode})`, after: run.planner() };
  },
  check: (a, t) => {
    const found = t.zoneProblem(`${t.at}.zone`, a.zone);
    if (found.length > 0) return found;
    if (t.topology.zones.length < 2) return [`${t.at}.zone: topology "${t.topology.name}" has one zone, so isolating it cuts nothing; kill or pause its members instead`];
    return [];
  },
});

/** The one cut heal names, when it names one (from, to and mode together). */
const healed = (p: { from?: string[]; to?: string[]; mode?: CutSpec["mode"]; "one-way"?: boolean }): CutSpec | undefined =>
  p.from && p.to && p.mode ? cutOf({ from: p.from, to: p.to, mode: p.mode, "one-way": p["one-way"] }) : undefined;

export const heal = defineFault({
  verb: "heal",
  about: "Heals every partition, or the one cut given by from, to and mode",
  args: (h: ArgHelpers) =>
    z.strictObject({ from: h.zones("Heal only this cut's from side").optional(), to: h.zones("Heal only this cut's to side").optional(), mode: cutMode.optional(), "one-way": z.boolean().optional() }),
  kinds: ["heal"],
  effect: "recovery",
  step: (p) => (p.from && p.to ? `heal ${p.from.join(",")} / ${p.to.join(",")}` : "heal every partition"),
  label: (p) => {
    const cut = healed(p);
    return cut ? `heal ${describeCut(cut)}` : "heal";
  },
  members: () => [],
  detail: (p) => ({ cut: healed(p) ?? "all" }),
  inject: async (p, env) => {
    const changes = await env.ensemble.network.heal(healed(p));
    env.note("proxies changed", { changes });
    if (env.ensemble.network.activeCuts.length === 0) env.forget([HEAL_EVERY_PARTITION]);
  },
  explain: (a, run) => {
    const cut = healed(a);
    run.heal(cut && { from: cut.from, to: cut.to, mode: cut.mode });
    return { text: a.from && a.to ? `heal the cut ${a.from.join(", ")} / ${a.to.join(", ")}` : "heal every partition", after: run.planner() };
  },
  check: (a, t) => {
    const cut = healed(a);
    const problem = cut && t.cutProblem(cut);
    return problem ? [problem] : [];
  },
  flow: (a, at) => {
    const given = (["from", "to", "mode"] as const).filter((f) => a[f] !== undefined);
    return (given.length > 0 && given.length < 3) || (a["one-way"] !== undefined && given.length === 0)
      ? [`${at}: to heal one cut give from, to and mode together (as the partition step did); give none to heal every partition`]
      : [];
  },
});

const wholeMs = (description: string) => z.number({ error: "must be whole milliseconds" }).int("whole milliseconds (Toxiproxy's unit)").positive("must be more than 0").describe(description);

type DegradeArgs = {
  from: string[];
  to: string[];
  "one-way"?: boolean;
  "bandwidth-kbps"?: number;
  "slice-bytes"?: number;
  "slice-delay-us"?: number;
  "slow-close-ms"?: number;
  "extra-latency-ms"?: number;
};

/** The YAML's fields as the network's degradation. */
export function degradationOf(a: DegradeArgs): Degradation {
  const slicer = a["slice-bytes"] === undefined ? undefined : defined({ averageBytes: a["slice-bytes"], delayUs: a["slice-delay-us"] });
  return defined({ from: a.from, to: a.to, oneWay: a["one-way"], bandwidthKBps: a["bandwidth-kbps"], slicer, slowCloseMs: a["slow-close-ms"], extraLatencyMs: a["extra-latency-ms"] });
}

/** A degradation as the YAML's fields (the drill word d.degradeLinks takes the network's form). */
export function degradeArgsOf(d: Degradation): DegradeArgs {
  return defined({
    from: [...d.from],
    to: [...d.to],
    "one-way": d.oneWay,
    "bandwidth-kbps": d.bandwidthKBps,
    "slice-bytes": d.slicer?.averageBytes,
    "slice-delay-us": d.slicer?.delayUs,
    "slow-close-ms": d.slowCloseMs,
    "extra-latency-ms": d.extraLatencyMs,
  });
}

const RESTORE_DEGRADED = "restore degraded links";

export const degradeLinks = defineFault({
  verb: "degrade-links",
  about: "Links between zones degraded on top of their latency (Toxiproxy)",
  args: (h: ArgHelpers) =>
    z.strictObject({
      from: h.zones("One side"),
      to: h.zones("The other side"),
      "one-way": z.boolean().optional().describe("Only bytes from `from` to `to`"),
      "bandwidth-kbps": z.number().int("whole KB/s").positive().optional().describe("A bandwidth cap, each way"),
      "slice-bytes": z.number().int().positive().optional().describe("Bytes cut into chunks of about this size"),
      "slice-delay-us": z.number().int().min(0).optional().describe("Delay between the chunks, µs"),
      "slow-close-ms": wholeMs("A close reaches the other side this late").optional(),
      "extra-latency-ms": wholeMs("Added to the round trip").optional(),
    }),
  kinds: ["degrade"],
  effect: "fault",
  step: (p) => `degrade the links ${describeDegradation(degradationOf(p))}`,
  label: (p) => `degrade ${describeDegradation(degradationOf(p))}`,
  members: (p, s) => membersIn(s.topology, [...p.from, ...p.to]),
  detail: (p) => ({ degradation: degradationOf(p) }),
  inject: async (p, env) => {
    const toxics = await env.ensemble.network.degrade(degradationOf(p));
    env.note("links degraded", { toxics });
    return { label: RESTORE_DEGRADED, run: async () => void (await env.ensemble.network.restoreLinks()) };
  },
  explain: (a) => {
    const what = [a["bandwidth-kbps"] && `${a["bandwidth-kbps"]} KB/s`, a["slice-bytes"] && `sliced into ~${a["slice-bytes"]} B chunks`, a["slow-close-ms"] && `closes ${a["slow-close-ms"]} ms late`, a["extra-latency-ms"] && `+${a["extra-latency-ms"]} ms round trip`].filter(Boolean);
    return { text: `degrade the links ${a.from.join(", ")} ${a["one-way"] ? "->" : "<->"} ${a.to.join(", ")}: ${what.join(", ") || "nothing given"}` };
  },
  check: (a, t) => {
    const bad = [...a.from.flatMap((zone) => t.zoneProblem(`${t.at}.from`, zone)), ...a.to.flatMap((zone) => t.zoneProblem(`${t.at}.to`, zone))];
    if (bad.length > 0) return bad;
    return t.topology.zones.length < 2 ? [`${t.at}: topology "${t.topology.name}" has one zone, so it has no link between zones to degrade; use packet-loss between members`] : [];
  },
});

export const restoreLinks = defineFault({
  verb: "restore-links",
  about: "Removes every link degradation (the latency stays)",
  args: () => z.strictObject({}),
  kinds: ["heal"],
  effect: "recovery",
  step: () => "restore the degraded links",
  label: () => RESTORE_DEGRADED,
  members: () => [],
  inject: async (_p, env) => {
    const removed = await env.ensemble.network.restoreLinks();
    env.note("links restored", { toxics: removed });
    env.forget([RESTORE_DEGRADED]);
  },
  explain: () => ({ text: "restore every degraded link (the latency stays)" }),
});
