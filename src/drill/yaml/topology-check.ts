// A valid drill against one topology: every member id and zone it names exists there, every cut is
// one the network can make, and the topology has what the drill says it needs. Run for the drill's
// own topology when it loads, and for any other topology it is run on.
import { CutError, CutSpec, validateCut } from "../../network";
import type { Topology } from "../../topology";
import { faultSpecOf } from "../../faults/catalog";
import type { TopologyView } from "../../faults/spec";
import { didYouMean } from "./errors";
import type { MemberSelector } from "./schema";
import type { DrillNeeds } from "../needs";
import { DrillStep, flattenParsed, isBroken, labelOf, ParsedStep, selectorsOf, YamlDrill } from "./model";
import { selectorParts } from "./selectors";

/** A CutError's message ("cut.from: ...") in the drill's words ("steps[3] (partition).from: ..."). */
function cutProblem(label: string, t: Topology, cut: CutSpec): string | undefined {
  try {
    validateCut(t, cut);
    return undefined;
  } catch (err) {
    if (!(err instanceof CutError)) throw err;
    return err.message.replace(/^cut\.oneWay/, `${label}.one-way`).replace(/^cut/, label);
  }
}

export function checkAgainstTopology(drill: Pick<YamlDrill, "steps" | "needs">, t: Topology): string[] {
  return checkStepsAgainstTopology(parsedSteps(drill.steps), drill.needs, t);
}

/** The steps that parsed, in the order they run, groups' steps inside them, the broken ones left out. */
export function parsedSteps(steps: readonly ParsedStep[]): DrillStep[] {
  return flattenParsed(steps).filter((s): s is DrillStep => !isBroken(s));
}

/** The check over `steps` as they run (flattened), each on its own: a broken step elsewhere does not hide these. */
export function checkStepsAgainstTopology(steps: readonly DrillStep[], needs: DrillNeeds | undefined, t: Topology): string[] {
  const problems: string[] = [];
  const ids = t.members.map((m) => m.id);
  const zones = t.zones.map((z) => z.name);
  const zoneProblem = (where: string, zone: string) =>
    zones.includes(zone) ? [] : [`${where}: zone "${zone}" is not in topology "${t.name}"${didYouMean(zone, zones)}; zones are ${zones.join(", ")}`];

  for (const step of steps) {
    const label = labelOf(step);
    for (const [field, sel] of selectorsOf(step)) {
      const parts = selectorParts(sel);
      for (const id of parts.ids) {
        if (!ids.includes(id)) problems.push(`${label}.${field}: member ${id} is not in topology "${t.name}"; members are ${ids.join(", ")}`);
      }
      for (const zone of parts.zones) problems.push(...zoneProblem(`${label}.${field}`, zone));
    }
    problems.push(...zoneStepProblems(step, label, zoneProblem));
    const spec = faultSpecOf(step.verb);
    if (spec?.check) {
      const view: TopologyView = { topology: t, at: label, named: (sel) => [...selectorParts(sel as unknown as MemberSelector).ids], zoneProblem, cutProblem: (cut) => cutProblem(label, t, cut) };
      problems.push(...spec.check(step.args, view));
    }
  }

  if (needs?.voters !== undefined) {
    const voters = t.members.filter((m) => m.role === "participant").length;
    if (voters < needs.voters) problems.push(`needs.voters: topology "${t.name}" has ${voters} voter(s), the drill needs at least ${needs.voters}; choose a topology with more participants`);
  }
  for (const zone of needs?.zones ?? []) problems.push(...zoneProblem("needs.zones", zone));
  return problems;
}

function zoneStepProblems(step: DrillStep, label: string, zoneProblem: (where: string, zone: string) => string[]): string[] {
  switch (step.verb) {
    case "start-workload":
    case "move-clients":
      return step.args["from-zone"] === undefined ? [] : zoneProblem(`${label}.from-zone`, step.args["from-zone"]);
    default:
      return [];
  }
}
