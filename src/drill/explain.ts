// A dry run: what a drill will do, on which layout, what that layout survives, what the drill holds
// the recovery to, and its steps (a data drill lists them; a code drill says where they are). Starts nothing.
import type { Objectives } from "../checks";
import { analyse, renderPlan, Topology } from "../topology";
import type { DrillDefinition } from "./definition";
import { missingNeeds } from "./needs";
import { jiraUrl, knownBugLine, stanceOf } from "./known-bug";

/** `version`: the one the run would test (an upgrade drill's target), said against a known bug's versions. */
export function explainDrill(def: DrillDefinition, t: Topology, version?: string): string {
  const out: string[] = [];
  out.push(`drill ${def.name} (${def.procedure})`, "", def.description, "");
  const bug = def.knownBug;
  if (bug) {
    out.push(`known bug ${knownBugLine(bug)} (${jiraUrl(bug.jira)}): ${bug.title}`);
    out.push(`  the issue: "${bug.symptom.quote}" (${bug.symptom.source})`);
    out.push(`  the symptom seen: the ${bug.evidence.check} check fails: ${bug.evidence.names}`);
    if (bug.note) out.push(`  note: ${bug.note}`);
    if (version) out.push(`  this run: ZooKeeper ${version}, ${stanceOf(bug, version)}: ${stanceOf(bug, version) === "fixed" ? "it must pass" : "it is expected to FAIL naming the symptom"}`);
    out.push("");
  }
  out.push(renderPlan(t, analyse(t)).trimEnd(), "");
  const needs = missingNeeds(def.needs, t);
  out.push(def.needs ? `needs: ${JSON.stringify(def.needs)}: ${needs.length ? `MISSING ${needs.join("; ")}` : "met"}` : "needs: not declared (runs only on its own topology)");
  out.push(`objectives: ${describeObjectives(def.objectives ?? {}).join("; ") || "none declared"}`);
  // Chaos Toolkit's hypothesis and the stop rule: what the run checks before the first fault and after the last step.
  out.push(`steady state (before the first fault and after the last step): ${describeSteadyState(def.steadyState).join("; ") || "none declared"}`);
  out.push(`abort if: ${def.abortIf?.noLeaderForMs !== undefined ? `no leader for more than ${def.abortIf.noLeaderForMs / 1000} s (the run stops, FAILED)` : "nothing declared (the steps' own checks only)"}`);
  out.push("", "steps:");
  if (def.explain) out.push(...def.explain(t).map((l) => `  ${l}`));
  else out.push(`  this drill is code: its steps are the calls in its run(), in drills/${bug ? "known-bugs/" : ""}${def.name}.ts; they are journaled as they run`);
  out.push("", "then, from the history: linearizable writes, per-session read order, one lineage per znode, no two leaders per epoch, and the objectives above.");
  return out.join("\n") + "\n";
}

/** The steady state's parts as a dry run says them. */
export function describeSteadyState(ss: DrillDefinition["steadyState"]): string[] {
  if (!ss) return [];
  return [
    ss.leader ? "exactly one leader among the running voters" : "",
    ss.writes !== undefined ? `${ss.writes} write(s) acknowledged within 30 s` : "",
    ss.p99BelowMs !== undefined ? `the workload's p99 under ${ss.p99BelowMs} ms` : "",
  ].filter(Boolean);
}

/** Each declared objective as a dry run and a reader say it (every one a drill may hold a run to). */
export function describeObjectives(o: Objectives): string[] {
  return [
    o.rtoMs !== undefined ? `RTO (the clients' outage) at most ${o.rtoMs / 1000} s` : "",
    o.rpoMs !== undefined ? `RPO at most ${o.rpoMs / 1000} s` : "",
    o.maxWritesLost !== undefined ? `at most ${o.maxWritesLost} acknowledged write(s) lost` : "",
    o.minThroughputRatio !== undefined ? `throughput while faults happen at least ${Math.round(o.minThroughputRatio * 100)} % of the baseline's` : "",
    o.minOpsPerSec !== undefined ? `at least ${o.minOpsPerSec} ops/s per phase` : "",
  ].filter(Boolean);
}
