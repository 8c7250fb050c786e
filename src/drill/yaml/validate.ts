// Parses a drill file into typed steps, or throws DrillFileError naming every problem: the step by
// position and verb, the field, and the fix. Structure (each step on its own, so one bad step does
// not hide the next) and the flow (names saved before use, the workload started before it is
// measured, phases marked before they are compared) in one pass: the flow runs over the steps that
// parsed, a broken one still counting for what it saves or starts.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Objectives } from "../../checks";
import { closest } from "../../common";
import type { DrillNeeds } from "../needs";
import { DrillFileError, didYouMean, shown } from "./errors";
import { checkFlow } from "./flow";
import { BrokenStep, DrillStep, flatten, ParsedStep, YamlDrill } from "./model";
import { faultSpecOf } from "../../faults/catalog";
import { drillHeaderSchema, GROUP_VERBS, isSelectorField, knownVerbs, Verb, verbSchemaOf } from "./schema";
import { selectorProblems } from "./selectors";
import { knownBugProblems } from "../known-bug";
import { knownBugOf } from "./known-bug-schema";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function pathText(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) v = isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

const fieldsOf = (schema: z.ZodObject): string[] => Object.keys(schema.shape);

const unwrap = (s: z.ZodType): z.ZodType => (s instanceof z.ZodOptional ? unwrap(s.unwrap() as z.ZodType) : s);

/** The object schema at a path of field names (objectives, needs), for its field list and descriptions. */
function objectAt(schema: z.ZodObject, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let s: z.ZodType = schema;
  for (const key of path) {
    if (!(s instanceof z.ZodObject) || typeof key !== "string") return undefined;
    s = unwrap(s.shape[key] as z.ZodType);
  }
  return s instanceof z.ZodObject ? s : undefined;
}

const joined = (at: string, message: string) => (at ? `${at}: ${message}` : message);

/** zod's issues in the drill's words: `<where>.<field>: <what is wrong>; <the fix>`. */
function issueMessages(where: string, schema: z.ZodObject, input: unknown, issues: z.ZodError["issues"], what: string): string[] {
  return issues.flatMap((issue) => {
    const at = `${where}${pathText(issue.path)}`;
    if (issue.code === "unrecognized_keys") {
      const owner = objectAt(schema, issue.path);
      const fields = owner ? fieldsOf(owner) : [];
      const ownerName = issue.path.length === 0 ? what : String(issue.path[issue.path.length - 1]);
      return issue.keys.map((key) =>
        key === "save" && issue.path.length === 0 && where !== ""
          ? `${where}.save: ${what} resolves no members and returns nothing to save; remove save`
          : joined(at, `unknown field "${key}"${didYouMean(key, fields)}; ${fields.length === 0 ? `${ownerName} takes no fields; remove it` : `${ownerName} takes ${fields.join(", ")}`}`),
      );
    }
    // A required field left out: zod says "invalid type" or, for a selector, "invalid union".
    if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
      const name = String(issue.path[issue.path.length - 1]);
      const description = objectAt(schema, issue.path.slice(0, -1))?.shape[name]?.description;
      const meaning = description ? ` (${description[0].toLowerCase()}${description.slice(1)})` : "";
      return [joined(at, `missing; ${what} needs ${name}${meaning}`)];
    }
    return [joined(at, issue.message)];
  });
}

/** `kill: { members: ... }`: how to write a verb with its required fields. */
function skeleton(verb: Verb): string {
  const schema: z.ZodObject = verbSchemaOf(verb)!;
  const needed = fieldsOf(schema).filter((f) => !(schema.shape[f] as z.ZodType).safeParse(undefined).success);
  return `${verb}: {${needed.map((f) => ` ${f}: ...`).join(",")}${needed.length ? " " : ""}}`;
}

interface Parsed {
  /** The step, or what the checks across steps can still use of it. */
  readonly node: ParsedStep;
  readonly problems: readonly string[];
}

/** A step that did not parse, as far as its raw text still tells what it does. */
function brokenStep(at: string, key: string | undefined, value: unknown, steps: readonly ParsedStep[] = []): BrokenStep {
  const VERBS = knownVerbs() as Verb[];
  // A misspelt verb is taken for the verb it is closest to, so a misspelt start-workload still starts one.
  const verb = key === undefined ? undefined : (VERBS.find((v) => v === key) ?? (closest(key, VERBS) as Verb | undefined));
  const field = (name: string) => (isRecord(value) && typeof value[name] === "string" ? (value[name] as string) : undefined);
  const phase = verb === "measure" ? field("phase") : verb === "phase" ? field("name") : undefined;
  const client = verb === "open-client" ? field("name") : undefined;
  return { broken: true, at, ...(verb ? { verb } : {}), ...(field("save") !== undefined ? { save: field("save") } : {}), ...(phase !== undefined ? { phase } : {}), ...(client !== undefined ? { client } : {}), steps };
}

function parseStep(raw: unknown, at: string): Parsed {
  const VERBS = knownVerbs() as Verb[];
  const verbList = `verbs are ${VERBS.join(", ")}`;
  const broken = (problems: string[], key?: string, value?: unknown): Parsed => ({ node: brokenStep(at, key, value), problems });
  if (typeof raw === "string") {
    const verb = VERBS.find((v) => v === raw);
    return broken([verb ? `${at} (${verb}): a bare verb; give its fields as a mapping: "${skeleton(verb)}"` : `${at}: unknown verb "${raw}"${didYouMean(raw, VERBS)}; ${verbList}`], raw);
  }
  if (!isRecord(raw)) return broken([`${at}: ${shown(raw)} is not a step; a step is one verb with its fields, e.g. "kill: { members: leader }"`]);
  const keys = Object.keys(raw);
  const verbs = keys.filter((k): k is Verb => (VERBS as readonly string[]).includes(k));
  if (keys.length !== 1) {
    if (keys.length === 0) return broken([`${at}: an empty step; write one verb with its fields, e.g. "kill: { members: leader }"`]);
    if (verbs.length === 1) {
      const others = keys.filter((k) => k !== verbs[0]);
      return broken([`${at} (${verbs[0]}): ${others.map((k) => `"${k}"`).join(", ")} sit${others.length === 1 ? "s" : ""} beside the verb; indent ${others.length === 1 ? "it" : "them"} under ${verbs[0]}: (one verb per step)`], verbs[0], { ...raw, [verbs[0]]: undefined });
    }
    return broken([`${at}: one verb per step, found ${keys.map((k) => `"${k}"`).join(", ")}; split them into separate steps`]);
  }
  const key = keys[0];
  if (verbs.length === 0) return broken([`${at}: unknown verb "${key}"${didYouMean(key, VERBS)}; ${verbList}`], key, raw[key]);
  const verb = verbs[0];
  const label = `${at} (${verb})`;
  const value = raw[verb];
  const schema: z.ZodObject = verbSchemaOf(verb)!;
  if (!isRecord(value)) {
    return broken([`${label}: ${value === null ? "no fields" : `${shown(value)} is not a mapping of fields`}; write "${skeleton(verb)}"`], verb);
  }
  const selectorIssues = new Set<string>();
  const problems: string[] = [];
  for (const field of fieldsOf(schema)) {
    if (!isSelectorField(schema.shape[field]) || value[field] === undefined) continue;
    const found = selectorProblems(value[field]);
    if (found.length > 0) selectorIssues.add(field);
    problems.push(...found.map((p) => `${label}.${field}${p.at}: ${p.message}`));
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const rest = result.error.issues.filter((issue) => !selectorIssues.has(String(issue.path[0])));
    problems.push(...issueMessages(label, schema, value, rest, verb));
  }
  // Groups: each nested step validated on its own, named by its place inside the group.
  const nested = GROUP_VERBS.includes(verb) && Array.isArray(value.steps) ? value.steps.map((s, i) => parseStep(s, `${label}.steps[${i}]`)) : [];
  problems.push(...nested.flatMap((n) => n.problems));
  const nodes = nested.map((n) => n.node);
  if (!result.success || problems.length > 0) return { node: brokenStep(at, verb, value, nodes), problems };
  // The verb and its schema's output belong together by construction; TypeScript cannot follow the lookup.
  const step = { verb, at, args: result.data, steps: nodes } as DrillStep;
  return { node: step, problems: [] };
}

const DOCUMENT_FIELDS = fieldsOf(drillHeaderSchema);

/**
 * A drill file checked as far as each part allows: every problem of its structure, then the flow
 * across the steps that parsed (a broken step still counts for what it saves or starts). `drill`
 * only when nothing is wrong; `steps` and `needs` are what a topology check can still use.
 */
export interface DrillCheck {
  readonly drill?: YamlDrill;
  readonly problems: readonly string[];
  readonly steps: readonly ParsedStep[];
  /** The topology field as written, when it is of a form that can name one. */
  readonly topology?: string | Readonly<Record<string, unknown>>;
  readonly needs?: DrillNeeds;
}

export function checkYamlDrill(data: unknown, source = "<inline>"): DrillCheck {
  if (!isRecord(data)) return { problems: [`the file must be a mapping of ${DOCUMENT_FIELDS.join(", ")}; found ${shown(data)}`], steps: [] };
  const header = drillHeaderSchema.safeParse(data);
  const problems = header.success ? [] : issueMessages("", drillHeaderSchema, data, header.error.issues, "a drill file").map((p) => p.replace(/^\./, ""));
  const parsed = Array.isArray(data.steps) ? data.steps.map((s, i) => parseStep(s, `steps[${i}]`)) : [];
  problems.push(...parsed.flatMap((p) => p.problems));
  const nodes = parsed.map((p) => p.node);
  problems.push(...checkFlow(nodes, { readOnlyMode: data["read-only-mode"] === true }));
  // Each header part the topology check reads, on its own: a mistake elsewhere in the header does not hide it.
  const topology = typeof data.topology === "string" || isRecord(data.topology) ? data.topology : undefined;
  const needs = drillHeaderSchema.shape.needs.safeParse(data.needs);
  const partial = { problems, steps: nodes, ...(topology !== undefined ? { topology } : {}), ...(needs.success && needs.data ? { needs: needs.data } : {}) };
  if (problems.length > 0 || !header.success) return partial;

  const h = header.data;
  const knownBug = h["known-bug"] && knownBugOf(h["known-bug"]);
  const bugProblems = knownBug ? knownBugProblems(knownBug, "yaml", h.upgrade?.to) : [];
  if (bugProblems.length > 0) return { ...partial, problems: [...problems, ...bugProblems] };
  const steps = nodes as DrillStep[];
  const objectives: Objectives | undefined = h.objectives && {
    ...(h.objectives["rto-seconds"] !== undefined ? { rtoMs: Math.round(h.objectives["rto-seconds"] * 1000) } : {}),
    ...(h.objectives["rpo-seconds"] !== undefined ? { rpoMs: Math.round(h.objectives["rpo-seconds"] * 1000) } : {}),
    ...(h.objectives["min-ops-per-sec"] !== undefined ? { minOpsPerSec: h.objectives["min-ops-per-sec"] } : {}),
    ...(h.objectives["max-writes-lost"] !== undefined ? { maxWritesLost: h.objectives["max-writes-lost"] } : {}),
    ...(h.objectives["min-throughput-ratio"] !== undefined ? { minThroughputRatio: h.objectives["min-throughput-ratio"] } : {}),
  };
  const ss = h["steady-state"];
  const steadyState = ss && { leader: ss.leader, writes: ss.writes, p99BelowMs: ss["p99-below-ms"] };
  const abort = h["abort-if"];
  const abortIf = abort && { ...(abort["no-leader-for-seconds"] !== undefined ? { noLeaderForMs: Math.round(abort["no-leader-for-seconds"] * 1000) } : {}) };
  // Clock faults need libfaketime in every member from its start: asked for, or implied by a step whose fault needs it.
  const clockFaults = h["clock-faults"] ?? flatten(steps).some((st) => faultSpecOf(st.verb)?.needsFakeClock === true);
  const diskFaults = h["disk-faults"] ?? flatten(steps).some((st) => faultSpecOf(st.verb)?.needsDiskShim === true);
  const drill: YamlDrill = { source, name: h.name, description: h.description, procedure: h.procedure, ...(h.origin ? { origin: h.origin } : {}), ...(h.headline ? { headline: h.headline } : {}), topology: h.topology, objectives, needs: h.needs, steadyState, abortIf, versions: h.versions, upgrade: h.upgrade, ...(knownBug ? { knownBug } : {}), readOnlyMode: h["read-only-mode"] === true, clockFaults, diskFaults, steps };
  return { ...partial, drill };
}

/** Validates parsed YAML (or any object) as a drill; throws DrillFileError listing every problem. */
export function parseYamlDrill(data: unknown, source = "<inline>"): YamlDrill {
  const checked = checkYamlDrill(data, source);
  if (!checked.drill) throw new DrillFileError(source, checked.problems);
  return checked.drill;
}

/** A drill file's text as YAML (JSON is YAML), or the syntax error that keeps it from being read. */
export function readYamlText(text: string, source = "<inline>"): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new DrillFileError(source, [`not valid YAML: ${(err as Error).message.split("\n")[0].replace(/:$/, "")}`]);
  }
}

/** Parses a drill file's text (YAML; JSON is YAML). */
export function parseYamlDrillText(text: string, source = "<inline>"): YamlDrill {
  return parseYamlDrill(readYamlText(text, source), source);
}
