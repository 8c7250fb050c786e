// Drills written in YAML: one verb per drill word, validated before anything starts.
export { DrillFileError } from "./errors";
export { loadYamlDrill, resolveYamlTopology, type YamlDrillDefinition, type ResolvedTopology } from "./load";
export { parseYamlDrill, parseYamlDrillText } from "./validate";
export { checkAgainstTopology } from "./topology-check";
export { explainYamlDrill } from "./explain";
export { runYamlSteps, type DrillWords } from "./interpreter";
export { drillJsonSchema, drillJsonSchemaText, DRILL_SCHEMA_FILE } from "./json-schema";
export type { DrillStep, YamlDrill } from "./model";
export { SELECTOR_KEYWORDS, VERBS, type MemberSelector, type Verb } from "./schema";
