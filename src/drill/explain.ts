// A dry run: what a drill will do, on which layout, what that layout survives, what the drill holds
// the recovery to, and its steps (a data drill lists them; a code drill says where they are). Starts nothing.
import { analyse, renderPlan, Topology } from "../topology";
import type { DrillDefinition } from "./definition";
import { missingNeeds } from "./needs";

export function explainDrill(def: DrillDefinition, t: Topology): string {
  const out: string[] = [];
  out.push(`drill ${def.name} (${def.procedure})`, "", def.description, "");
  out.push(renderPlan(t, analyse(t)).trimEnd(), "");
  const needs = missingNeeds(def.needs, t);
  out.push(def.needs ? `needs: ${JSON.stringify(def.needs)}: ${needs.length ? `MISSING ${needs.join("; ")}` : "met"}` : "needs: not declared (runs only on its own topology)");
  const o = def.objectives ?? {};
  out.push(`objectives: ${o.rtoMs !== undefined ? `RTO at most ${(o.rtoMs / 1000).toFixed(1)} s` : "no RTO objective"}; ${o.rpoMs !== undefined ? `RPO at most ${(o.rpoMs / 1000).toFixed(1)} s` : "no RPO objective"}`);
  out.push("", "steps:");
  if (def.explain) out.push(...def.explain(t).map((l) => `  ${l}`));
  else out.push(`  this drill is code: its steps are the calls in its run(), in drills/${def.name}.ts; they are journaled as they run`);
  out.push("", "then, from the history: linearizable writes, per-session read order, one lineage per znode, no two leaders per epoch, and the objectives above.");
  return out.join("\n") + "\n";
}
