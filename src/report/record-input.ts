// Who ran a drill and why: the DR test record's input, given on the command line (`--operator`,
// `--observer`, `--ticket`, `--scenario`, `--test-type`) or in a small run file, and recorded in the
// journal's run-start as `record` so the record is derived from the journal like everything else.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** What run-start records under `record`. Every field is optional: a CI run has no operator. */
export interface RecordInput {
  readonly operator?: string;
  readonly observers?: readonly string[];
  readonly ticket?: string;
  readonly scenario?: string;
  readonly type?: string;
}

/** Objective overrides a run file may carry, in the drill's own units (ms, ops/s). */
export interface ObjectiveOverrides {
  readonly rtoMs?: number;
  readonly rpoMs?: number;
  readonly minOpsPerSec?: number;
  readonly maxWritesLost?: number;
  readonly minThroughputRatio?: number;
}

export const DEFAULT_TEST_TYPE = "DR drill (simulation on containers)";

/** Bad input: exits 2 like every other mistake the user fixes (the CLI keys on the name). */
export class RecordInputError extends Error {
  override name = "InputError";
}

const text = (what: string) => z.string().trim().min(1, `${what} is empty; give a name or leave it out`).max(200, `${what} is longer than 200 characters`);

const RunFileSchema = z
  .object({
    operator: text("operator").optional(),
    observers: z.array(text("an observer")).max(20, "more than 20 observers").optional(),
    ticket: text("ticket").optional(),
    scenario: z.string().trim().min(1, "scenario is empty").max(2000, "scenario is longer than 2000 characters").optional(),
    type: text("type").optional(),
    objectives: z
      .object({
        rtoSeconds: z.number().nonnegative("rtoSeconds must be 0 or more").optional(),
        rpoSeconds: z.number().nonnegative("rpoSeconds must be 0 or more").optional(),
        minOpsPerSec: z.number().nonnegative("minOpsPerSec must be 0 or more").optional(),
        maxWritesLost: z.number().int("maxWritesLost must be a whole count").nonnegative("maxWritesLost must be 0 or more").optional(),
        minThroughputRatio: z.number().positive("minThroughputRatio must be above 0").max(10, "minThroughputRatio must be at most 10").optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface RunFile {
  readonly record: RecordInput;
  readonly objectives: ObjectiveOverrides;
}

/**
 * A run file (YAML or JSON): the record's who and why, and objective overrides for this run.
 * Every mistake names the file and the field.
 */
export function loadRunFile(path: string): RunFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new RecordInputError(`run file ${path}: ${(err as Error).message}; give a YAML or JSON file with operator, observers, ticket, scenario, type, objectives`);
  }
  const parsed = RunFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new RecordInputError(`run file ${path}: ${issues.join("; ")} (fields: operator, observers, ticket, scenario, type, objectives.rtoSeconds|rpoSeconds|minOpsPerSec|maxWritesLost|minThroughputRatio)`);
  }
  const { objectives: o, ...record } = parsed.data;
  const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
  return { record: clean(record), objectives: dropUndefined({ rtoMs: ms(o?.rtoSeconds), rpoMs: ms(o?.rpoSeconds), minOpsPerSec: o?.minOpsPerSec, maxWritesLost: o?.maxWritesLost, minThroughputRatio: o?.minThroughputRatio }) };
}

export interface RecordFlags {
  readonly operator?: string;
  readonly observer?: readonly string[];
  readonly ticket?: string;
  readonly scenario?: string;
  readonly testType?: string;
}

/** The command line over the run file: a flag given wins, observers given on both are joined. */
export function recordInput(flags: RecordFlags, file?: RunFile): RecordInput {
  const fromFlags = RunFileSchema.pick({ operator: true, observers: true, ticket: true, scenario: true, type: true }).safeParse(
    dropUndefined({ operator: flags.operator, observers: flags.observer && flags.observer.length > 0 ? [...flags.observer] : undefined, ticket: flags.ticket, scenario: flags.scenario, type: flags.testType }),
  );
  if (!fromFlags.success) {
    const flag: Record<string, string> = { operator: "--operator", observers: "--observer", ticket: "--ticket", scenario: "--scenario", type: "--test-type" };
    throw new RecordInputError(fromFlags.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join("; "));
  }
  const f = fromFlags.data;
  const base = file?.record ?? {};
  const observers = [...new Set([...(base.observers ?? []), ...(f.observers ?? [])])];
  return clean({ ...base, ...f, observers });
}

/** The record input as a journal line holds it, read leniently: an old journal has none. */
export function recordInputOf(v: unknown): RecordInput {
  if (typeof v !== "object" || v === null) return {};
  const o = v as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" && x.trim() !== "" ? x.trim() : undefined);
  const observers = Array.isArray(o.observers) ? o.observers.map(str).filter((x): x is string => x !== undefined) : [];
  return clean({ operator: str(o.operator), observers, ticket: str(o.ticket), scenario: str(o.scenario), type: str(o.type) });
}

function clean(r: { operator?: string; observers?: readonly string[]; ticket?: string; scenario?: string; type?: string }): RecordInput {
  return dropUndefined({ ...r, observers: r.observers && r.observers.length > 0 ? r.observers : undefined });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
