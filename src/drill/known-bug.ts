// A known-bug drill names the ZooKeeper JIRA issue it reproduces: the versions it affects, the first
// release of each line that carries the fix, what the issue says happens (quoted, with where the
// quote is from), and the check whose failure is that symptom. Pure: validated here, and the version
// a run uses decided here (the affected one by default, so the drill shows the bug unless told not to).
import { CHECK_KINDS } from "../checks";
import { ZOOKEEPER_RELEASES } from "../images";
import { expectedOutcome, type BugOutcome, type KnownBugIssue } from "../report";
import { versionAtLeast } from "../topology";

/** The issue a known-bug drill names (its fields are documented where the run records it). */
export type KnownBug = KnownBugIssue;

/** Where a version stands against the bug: listed as affected, carrying the fix, or neither. */
export type BugStance = "affected" | "fixed" | "not listed";

const VERSION = /^\d+\.\d+\.\d+$/;
const JIRA = /^[A-Z][A-Z0-9]*-\d+$/;
const lineOf = (v: string) => v.split(".").slice(0, 2).join(".");

export function jiraUrl(jira: string): string {
  return `https://issues.apache.org/jira/browse/${jira}`;
}

/** Whether `version` carries the fix: at or after its line's fixed release; a line newer than every fixed line inherits it. */
export function carriesFix(bug: Pick<KnownBug, "fixedIn">, version: string): boolean {
  const sameLine = bug.fixedIn.find((f) => lineOf(f) === lineOf(version));
  if (sameLine) return versionAtLeast(version, sameLine);
  const newest = [...bug.fixedIn].sort((a, b) => (versionAtLeast(a, b) ? -1 : 1))[0];
  return newest !== undefined && versionAtLeast(version, `${lineOf(newest)}.0`) && lineOf(version) !== lineOf(newest);
}

export function stanceOf(bug: Pick<KnownBug, "affects" | "fixedIn">, version: string): BugStance {
  if (bug.affects.includes(version)) return "affected";
  return carriesFix(bug, version) ? "fixed" : "not listed";
}

/** The versions zkdrill builds that the bug affects (the default run is the first), and those that carry the fix. */
export function buildableVersions(bug: Pick<KnownBug, "affects" | "fixedIn">): { affected: string[]; fixed: string[] } {
  const built = Object.keys(ZOOKEEPER_RELEASES);
  return { affected: bug.affects.filter((v) => built.includes(v)), fixed: built.filter((v) => carriesFix(bug, v)).reverse() };
}

/** One run the known-bug catalog asks for: the bug's drill on a version, and what it must show there. */
export interface BugRun {
  readonly jira: string;
  readonly version: string;
  readonly stance: "affected" | "fixed";
  readonly expect: Exclude<BugOutcome, "not judged">;
}

/**
 * Every version zkdrill builds that the bug should be tried on, with what it must show there: each
 * affected one reproduces it, each one carrying the fix does not. `min`: the drill's own floor (a
 * version below it cannot run the drill at all, whatever the issue lists).
 */
export function bugRuns(bug: Pick<KnownBug, "jira" | "affects" | "fixedIn">, min?: string): BugRun[] {
  const { affected, fixed } = buildableVersions(bug);
  const runs = [...affected.map((version) => ({ version, stance: "affected" as const })), ...fixed.map((version) => ({ version, stance: "fixed" as const }))];
  return runs.filter((r) => !min || versionAtLeast(r.version, min)).map((r) => ({ jira: bug.jira, ...r, expect: expectedOutcome(r.stance) as BugRun["expect"] }));
}

/** The field names a message uses: the TypeScript definition's, or the YAML file's. */
export type FieldStyle = "ts" | "yaml";

const fieldName = (style: FieldStyle, ts: string) => (style === "ts" ? `knownBug.${ts}` : `known-bug.${ts.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/** Every problem with a knownBug block, each naming its field and the fix; none when it is sound. */
export function knownBugProblems(bug: KnownBug, style: FieldStyle = "ts", upgradeTo?: string): string[] {
  const at = (f: string) => fieldName(style, f);
  const problems: string[] = [];
  const text = (v: unknown) => typeof v === "string" && v.trim().length > 0;
  if (!text(bug.jira) || !JIRA.test(bug.jira)) problems.push(`${at("jira")}: ${JSON.stringify(bug.jira)} is not a JIRA id; write it as ZOOKEEPER-3109`);
  if (!text(bug.title)) problems.push(`${at("title")}: give the issue's summary line, as the JIRA shows it`);
  const versions = (f: "affects" | "fixedIn", vs: unknown) => {
    if (!Array.isArray(vs) || vs.length === 0) return problems.push(`${at(f)}: list at least one ZooKeeper version, e.g. ["3.5.8"]`) && false;
    const bad = vs.filter((v) => typeof v !== "string" || !VERSION.test(v));
    if (bad.length) problems.push(`${at(f)}: ${bad.map((v) => JSON.stringify(v)).join(", ")} ${bad.length > 1 ? "are not versions" : "is not a version"}; write them as 3.5.8`);
    return bad.length === 0;
  };
  const sound = versions("affects", bug.affects) && versions("fixedIn", bug.fixedIn);
  if (sound) {
    const fixedToo = bug.affects.filter((v) => carriesFix(bug, v));
    if (fixedToo.length) problems.push(`${at("affects")}: ${fixedToo.join(", ")} already carr${fixedToo.length > 1 ? "y" : "ies"} the fix (${at("fixedIn")} ${bug.fixedIn.join(", ")}); an affected version must come before it`);
    const { affected, fixed } = buildableVersions(bug);
    const built = Object.keys(ZOOKEEPER_RELEASES).join(", ");
    if (affected.length === 0) problems.push(`${at("affects")}: zkdrill builds none of ${bug.affects.join(", ")}; list one of ${built} that the issue affects, or the drill has nothing to reproduce on`);
    if (fixed.length === 0) problems.push(`${at("fixedIn")}: no version zkdrill builds (${built}) carries the fix from ${bug.fixedIn.join(", ")}; the drill could never show the fixed line passing`);
    if (upgradeTo !== undefined && !bug.affects.includes(upgradeTo)) problems.push(`${at("affects")}: the upgrade's default target ${upgradeTo} is not listed; a known-bug upgrade drill's default run must reproduce the bug`);
  }
  if (!bug.symptom || !text(bug.symptom.quote)) problems.push(`${at("symptom")}.quote: quote what the issue (or its fix) says happens`);
  else if (!/^https?:\/\/\S+$/.test(bug.symptom.source ?? "")) problems.push(`${at("symptom")}.source: ${JSON.stringify(bug.symptom.source)} is not an address; give the URL the quote is from`);
  if (!bug.evidence || !CHECK_KINDS.includes(bug.evidence.check)) problems.push(`${at("evidence")}.check: ${JSON.stringify(bug.evidence?.check)} is not a check kind; the check whose failure is the symptom, one of ${CHECK_KINDS.join(", ")}`);
  if (!bug.evidence || !text(bug.evidence.names)) problems.push(`${at("evidence")}.names: say what the failed check's evidence line shows`);
  return problems;
}

/** The version a known-bug drill runs on when none is asked for: the first affected one zkdrill builds. */
export function affectedDefault(bug: Pick<KnownBug, "affects" | "fixedIn">): string {
  return buildableVersions(bug).affected[0];
}

/** One line for a list or a report header: "ZOOKEEPER-3109: affects 3.4.14, 3.5.8; fixed in 3.6.0". */
export function knownBugLine(bug: Pick<KnownBug, "jira" | "affects" | "fixedIn">): string {
  return `${bug.jira}: affects ${bug.affects.join(", ")}; fixed in ${bug.fixedIn.join(", ")}`;
}
