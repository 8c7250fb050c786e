// A valid drill against one topology: every member id and zone it names exists there, every cut is
// one the network can make, and the topology has what the drill says it needs. Run for the drill's
// own topology when it loads, and for any other topology it is run on.
import { CutError, CutSpec, validateCut } from "../../network";
import type { Topology } from "../../topology";
import { didYouMean } from "./errors";
import { DrillStep, flatten, labelOf, selectorsOf, YamlDrill } from "./model";
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

export function checkAgainstTopology(drill: YamlDrill, t: Topology): string[] {
  const problems: string[] = [];
  const ids = t.members.map((m) => m.id);
  const zones = t.zones.map((z) => z.name);
  const zoneProblem = (where: string, zone: string) =>
    zones.includes(zone) ? [] : [`${where}: zone "${zone}" is not in topology "${t.name}"${didYouMean(zone, zones)}; zones are ${zones.join(", ")}`];

  for (const step of flatten(drill.steps)) {
    const label = labelOf(step);
    for (const [field, sel] of selectorsOf(step)) {
      const parts = selectorParts(sel);
      for (const id of parts.ids) {
        if (!ids.includes(id)) problems.push(`${label}.${field}: member ${id} is not in topology "${t.name}"; members are ${ids.join(", ")}`);
      }
      for (const zone of parts.zones) problems.push(...zoneProblem(`${label}.${field}`, zone));
    }
    problems.push(...zoneStepProblems(step, label, t, zoneProblem));
  }

  const needs = drill.needs;
  if (needs?.voters !== undefined) {
    const voters = t.members.filter((m) => m.role === "participant").length;
    if (voters < needs.voters) problems.push(`needs.voters: topology "${t.name}" has ${voters} voter(s), the drill needs at least ${needs.voters}; choose a topology with more participants`);
  }
  for (const zone of needs?.zones ?? []) problems.push(...zoneProblem("needs.zones", zone));
  return problems;
}

function zoneStepProblems(step: DrillStep, label: string, t: Topology, zoneProblem: (where: string, zone: string) => string[]): string[] {
  switch (step.verb) {
    case "start-workload":
    case "move-clients":
      return step.args["from-zone"] === undefined ? [] : zoneProblem(`${label}.from-zone`, step.args["from-zone"]);
    case "isolate-zone": {
      const found = zoneProblem(`${label}.zone`, step.args.zone);
      if (found.length > 0) return found;
      if (t.zones.length < 2) return [`${label}.zone: topology "${t.name}" has one zone, so isolating it cuts nothing; kill or pause its members instead`];
      return [];
    }
    case "partition": {
      const { from, to, mode } = step.args;
      const problem = cutProblem(label, t, { from, to, mode, oneWay: step.args["one-way"] });
      return problem ? [problem] : [];
    }
    case "heal": {
      const { from, to, mode } = step.args;
      if (!from || !to || !mode) return [];
      const problem = cutProblem(label, t, { from, to, mode, oneWay: step.args["one-way"] });
      return problem ? [problem] : [];
    }
    case "degrade-links": {
      const bad = [...step.args.from.flatMap((zone) => zoneProblem(`${label}.from`, zone)), ...step.args.to.flatMap((zone) => zoneProblem(`${label}.to`, zone))];
      if (bad.length > 0) return bad;
      return t.zones.length < 2 ? [`${label}: topology "${t.name}" has one zone, so it has no link between zones to degrade; use packet-loss between members`] : [];
    }
    case "fill-disk":
    case "free-disk": {
      const named = selectorParts(step.args.member).ids;
      const without = named.filter((id) => t.members.find((m) => m.id === id)?.datalogMb === undefined);
      return without.length > 0 ? [`${label}.member: member ${without.join(", ")} has no dataLogDir disk of its own in topology "${t.name}"; give it datalogMb (e.g. datalogMb: 64)`] : [];
    }
    default:
      return [];
  }
}
