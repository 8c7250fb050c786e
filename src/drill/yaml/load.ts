// A YAML drill file as a DrillDefinition: parsed, its topology found (catalog name, path relative
// to the file, or inline) and checked against, all before anything starts, all mistakes in one error.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { catalogTopologies, loadTopology, parseTopology, resolveTopologyPath, Topology, TopologyError, TopologyInput } from "../../topology";
import type { DrillDefinition } from "../definition";
import { DrillFileError, didYouMean } from "./errors";
import { runYamlSteps } from "./interpreter";
import type { YamlDrill } from "./model";
import { checkStepsAgainstTopology, parsedSteps } from "./topology-check";
import { explainYamlDrill } from "./explain";
import { checkYamlDrill, readYamlText } from "./validate";

export interface YamlDrillDefinition extends DrillDefinition {
  /** The parsed file, for a dry run (explainYamlDrill) or a check against another topology. */
  readonly yaml: YamlDrill;
}

/** A topology string names a file when it looks like one; otherwise a catalog topology. */
const looksLikePath = (ref: string) => /[\\/]/.test(ref) || /\.(ya?ml|json)$/i.test(ref);

export interface ResolvedTopology {
  /** What DrillDefinition.topology holds: a catalog name, an absolute path, or the inline object. */
  readonly ref: string | TopologyInput;
  readonly topology: Topology;
}

/** The drill's topology (its topology field as written), or the problems that keep it from being one. */
export function resolveYamlTopology(given: YamlDrill["topology"], source: string, drillDir: string): ResolvedTopology | { readonly problems: readonly string[] } {
  try {
    if (typeof given !== "string") {
      // parseTopology validates the object; past it, the object is a TopologyInput.
      return { ref: given as TopologyInput, topology: parseTopology(given, `${source} (inline topology)`) };
    }
    if (looksLikePath(given)) {
      const path = isAbsolute(given) ? given : resolve(drillDir, given);
      return { ref: path, topology: loadTopology(path) };
    }
    const catalog = catalogTopologies();
    if (!catalog.includes(given)) {
      return {
        problems: [
          `topology: "${given}" is not a catalog topology${didYouMean(given, catalog)}; catalog: ${catalog.join(", ")}; for a file, give a path ending in .yaml (relative to this drill file)`,
        ],
      };
    }
    return { ref: given, topology: loadTopology(resolveTopologyPath(given)) };
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    // An inline topology's problems already read "topology.<field>"; a file's say which file.
    return { problems: typeof given === "string" ? err.problems.map((p) => `topology file ${err.source}: ${p}`) : err.problems };
  }
}

/** Reads, validates and checks a YAML drill file; throws DrillFileError (exit 2) naming every problem. */
export function loadYamlDrill(path: string): YamlDrillDefinition {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new DrillFileError(path, [`cannot read the file (${(err as Error).message}); check the path`]);
  }
  // Every stage that can run does, so one run names every mistake: structure and flow, then the
  // topology against the steps that parsed (a broken topology field skips only that).
  const checked = checkYamlDrill(readYamlText(text, path), path);
  const resolved = checked.topology === undefined ? undefined : resolveYamlTopology(checked.topology, path, dirname(resolve(path)));
  const topologyProblems = !resolved ? [] : "problems" in resolved ? resolved.problems : checkStepsAgainstTopology(parsedSteps(checked.steps), checked.needs, resolved.topology);
  const problems = [...checked.problems, ...topologyProblems];
  if (problems.length > 0 || !checked.drill || !resolved || "problems" in resolved) throw new DrillFileError(path, problems);
  const drill = checked.drill;
  return {
    yaml: drill,
    name: drill.name,
    description: drill.description,
    procedure: drill.procedure,
    ...(drill.origin ? { origin: drill.origin } : {}),
    ...(drill.headline ? { headline: drill.headline } : {}),
    topology: resolved.ref,
    ...(drill.objectives ? { objectives: drill.objectives } : {}),
    ...(drill.needs ? { needs: drill.needs } : {}),
    ...(drill.steadyState ? { steadyState: drill.steadyState } : {}),
    ...(drill.abortIf ? { abortIf: drill.abortIf } : {}),
    ...(drill.versions ? { versions: drill.versions } : {}),
    ...(drill.upgrade ? { upgrade: drill.upgrade } : {}),
    ...(drill.knownBug ? { knownBug: drill.knownBug } : {}),
    ...(drill.readOnlyMode ? { readOnlyMode: true } : {}),
    ...(drill.clockFaults ? { clockFaults: true } : {}),
    ...(drill.diskFaults ? { diskFaults: true } : {}),
    run: (d) => runYamlSteps(drill.steps, d),
    explain: (t) => explainYamlDrill(drill, t),
  };
}
