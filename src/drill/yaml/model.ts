// A validated drill file as the interpreter, the topology check and the dry run read it.
import type { Objectives } from "../../checks";
import type { AbortConditions, DrillOrigin, DrillVersions, Headline, KnownBug, SteadyState } from "../definition";
import type { DrillNeeds } from "../needs";
import { CatalogVerb, faultSpecOf } from "../../faults/catalog";
import { MemberSelector, StepArgs, Verb, verbSchemaOf, isSelectorField } from "./schema";

export interface StepOf<V extends Verb> {
  readonly verb: V;
  /** Where the step is, e.g. "steps[5] (new-lineage).steps[0]". */
  readonly at: string;
  readonly args: StepArgs<V>;
  /** The nested steps of new-lineage and step; empty for every other verb. */
  readonly steps: readonly DrillStep[];
}
export type DrillStep = { [V in Verb]: StepOf<V> }[Verb];

export interface YamlDrill {
  /** The file it came from, for messages. */
  readonly source: string;
  readonly name: string;
  readonly description: string;
  readonly procedure: string;
  readonly origin?: DrillOrigin;
  readonly headline?: Headline;
  /** A catalog name, a path relative to the drill file, or an inline topology (validated when loaded). */
  readonly topology: string | Readonly<Record<string, unknown>>;
  readonly objectives?: Objectives;
  readonly needs?: DrillNeeds;
  readonly steadyState?: SteadyState;
  readonly abortIf?: AbortConditions;
  readonly versions?: DrillVersions;
  readonly upgrade?: { readonly from: string; readonly to: string };
  /** The JIRA issue a known-bug drill reproduces (known-bug:). */
  readonly knownBug?: KnownBug;
  /** Members run with readonlymode.enabled (read-only-mode: true). */
  readonly readOnlyMode: boolean;
  /** Members start with libfaketime (clock-faults: true, or a skew-clock step). */
  readonly clockFaults: boolean;
  /** Members start with the disk shim (disk-faults: true, or a slow-fsync, lying-fsync, heal-disk or power-cut step). */
  readonly diskFaults: boolean;
  readonly steps: readonly DrillStep[];
}

/**
 * A step that did not parse, kept so the checks across steps can still run on the others: the verb
 * it is taken for (as written, or the verb a misspelling is closest to), the name its save: gives,
 * and its nested steps when it is a group.
 */
export interface BrokenStep {
  readonly broken: true;
  readonly at: string;
  readonly verb?: Verb;
  readonly save?: string;
  /** The client an open-client names, when that field itself is readable. */
  readonly client?: string;
  /** The phase a measure: or phase: marks, when that field itself is readable. */
  readonly phase?: string;
  readonly steps: readonly ParsedStep[];
}
export type ParsedStep = DrillStep | BrokenStep;

export const isBroken = (step: ParsedStep): step is BrokenStep => "broken" in step;

/** Every step in the order it runs, broken ones included, groups' steps inside them. */
export function flattenParsed(steps: readonly ParsedStep[]): ParsedStep[] {
  return steps.flatMap((s) => [s, ...flattenParsed(s.steps)]);
}

/** "steps[4] (kill)": how messages name a step. */
export const labelOf = (step: { readonly at: string; readonly verb: Verb }): string => `${step.at} (${step.verb})`;

/** The step's selector fields that are present, with their values. */
export function selectorsOf(step: DrillStep): Array<readonly [field: string, selector: MemberSelector]> {
  const shape = verbSchemaOf(step.verb)!.shape as Record<string, Parameters<typeof isSelectorField>[0]>;
  // Validation checked each selector field's value against the selector schema.
  const args = step.args as Readonly<Record<string, MemberSelector | undefined>>;
  return Object.keys(shape)
    .filter((field) => isSelectorField(shape[field]) && args[field] !== undefined)
    .map((field) => [field, args[field]!] as const);
}

/** Every step in the order it runs, groups' steps inside them. */
export function flatten(steps: readonly DrillStep[]): DrillStep[] {
  return steps.flatMap((s) => [s, ...flatten(s.steps)]);
}

/** A step whose verb is a fault of the catalog (src/faults/catalog.ts). */
export type FaultStep = Extract<DrillStep, { verb: CatalogVerb }>;

export function isFaultStep(step: DrillStep): step is FaultStep {
  return faultSpecOf(step.verb) !== undefined;
}
