// A host lost, as a zone outage of every zone placed on it (src/topology/hosts.ts): `kill` is the
// power gone (its members killed at once), `cut` the network gone (every link between its zones
// and the others cut; its members run on, unreachable). A host's engine restarting is not here: no
// Docker API restarts an engine, and on a user's host that is theirs to do.
import { z } from "zod";
import { describeCut, type CutSpec } from "../network";
import { LOCAL_HOST, type Topology } from "../topology";
import { cutMode, cutZones } from "./links";
import { defineFault } from "./spec";

const zonesOn = (t: Topology, host: string) => t.zones.filter((z) => (z.host ?? LOCAL_HOST) === host).map((z) => z.name);
const membersOn = (t: Topology, host: string) => t.members.filter((m) => zonesOn(t, host).includes(m.zone)).map((m) => m.id);
const cutOf = (t: Topology, host: string, mode: CutSpec["mode"] = "blackhole"): CutSpec => ({ from: zonesOn(t, host), to: t.zones.map((z) => z.name).filter((z) => !zonesOn(t, host).includes(z)), mode });

export const loseHost = defineFault({
  verb: "lose-host",
  about: "A host lost: its members killed at once (how: kill, the default), or every link of its zones cut (how: cut)",
  args: () =>
    z.strictObject({
      host: z.string({ error: "must name a host the topology places zones on (a zone's host, or local)" }).min(1, "must name a host the topology places zones on").describe("The engine endpoint, as the zones' host names it"),
      how: z.enum(["kill", "cut"], { error: 'must be "kill" (power lost) or "cut" (network lost)' }).optional().describe("kill (default) or cut"),
      mode: cutMode.optional().describe("For how: cut, reset or blackhole (default)"),
    }),
  kinds: ["kill", "partition"],
  effect: "fault",
  disaster: true,
  step: (p) => `lose host ${p.host} (${p.how === "cut" ? "its links cut" : "its members killed"})`,
  kind: (p) => (p.how === "cut" ? "partition" : "kill"),
  label: (p, s) => (p.how === "cut" ? `partition ${describeCut(cutOf(s.topology, p.host, p.mode))}` : `kill ${membersOn(s.topology, p.host).join(",")} (host ${p.host})`),
  members: (p, s) => membersOn(s.topology, p.host),
  detail: (p, env) => ({ host: p.host, zones: zonesOn(env.topology, p.host), ...(p.how === "cut" ? { cut: cutOf(env.topology, p.host, p.mode) } : { signal: "SIGKILL" }) }),
  inject: async (p, env) => {
    if (p.how === "cut") return cutZones(cutOf(env.topology, p.host, p.mode), env);
    await Promise.all(membersOn(env.topology, p.host).map((id) => env.ensemble.kill(id)));
  },
  proof: (p, s) => {
    const cut = cutOf(s.topology, p.host, p.mode);
    // A killed host has no cut to prove: its members are gone.
    return p.how === "cut" ? { name: `host ${p.host}: ${cut.from.join(",")} / ${cut.to.join(",")} (${cut.mode})`, zones: cut } : undefined;
  },
  explain: (a, run) => {
    const ids = membersOn(run.topology, a.host);
    if (a.how === "cut") {
      run.cut(cutOf(run.topology, a.host, a.mode));
      return { text: `cut host ${a.host}'s zones (${zonesOn(run.topology, a.host).join(", ")}) off from the others`, after: run.planner() };
    }
    run.down({ text: `members ${ids.join(", ")}`, ids });
    return { text: `lose host ${a.host}: kill -9 members ${ids.join(", ")} at once`, after: run.planner() };
  },
  check: (a, t) => {
    if (zonesOn(t.topology, a.host).length > 0) return [];
    const hosts = [...new Set(t.topology.zones.map((z) => z.host ?? LOCAL_HOST))];
    return [`${t.at}.host: no zone of topology "${t.topology.name}" runs on ${a.host}; hosts are ${hosts.join(", ")}`];
  },
});
