// The YAML form of a known-bug drill's issue (`known-bug:`), in the file's kebab-case words; what the
// fields must say beyond their shape (a JIRA id, versions zkdrill builds, a check kind) is checked by
// src/drill/known-bug.ts, the same rules as a TypeScript drill's knownBug.
import { z } from "zod";
import type { KnownBug } from "../known-bug";

const version = z.string({ error: 'must be a ZooKeeper version like "3.5.8"' }).regex(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.5.8"');
const text = (what: string) => z.string({ error: `must ${what}` }).min(1, `must ${what}`);

export const knownBugSchema = z
  .strictObject({
    jira: text("be the JIRA id, e.g. ZOOKEEPER-3109").describe("The ZooKeeper JIRA issue the drill reproduces"),
    title: text("be the issue's summary line").describe("The issue's summary line, as the JIRA gives it"),
    affects: z.array(version, { error: 'must list the versions the issue affects, e.g. ["3.5.8"]' }).min(1, "list at least one affected version").describe("Versions the issue affects; the first zkdrill builds is the drill's default"),
    "fixed-in": z
      .union([version, z.array(version).min(1, "list at least one fixed version")], { error: 'must be the first fixed release, or one per line, e.g. ["3.5.10", "3.6.4"]' })
      .transform((v) => (typeof v === "string" ? [v] : v))
      .describe("The first release of each line with the fix (a later line carries it too)"),
    symptom: z
      .strictObject({ quote: text("quote what the issue says happens"), source: text("be the address the quote is from") })
      .describe("What the issue (or its fix) says happens, quoted, and where from"),
    evidence: z
      .strictObject({ check: text("be the check kind whose failure is the symptom"), names: text("say what the failed check's evidence line shows") })
      .describe("The check whose failure is the symptom, and what its evidence shows"),
    note: z.string().min(1).optional().describe("What the fix needs beyond the version, or anything else a reader must know"),
  })
  .optional()
  .describe("The ZooKeeper JIRA issue this drill reproduces: it runs on an affected version by default and fails there naming the symptom");

/** The parsed block as the definition holds it. */
export function knownBugOf(y: NonNullable<z.output<typeof knownBugSchema>>): KnownBug {
  return { jira: y.jira, title: y.title, affects: y.affects, fixedIn: y["fixed-in"], symptom: y.symptom, evidence: y.evidence, ...(y.note ? { note: y.note } : {}) };
}
