// What a drill file declares: its name, the runbook it reproduces, the layout, what it promises where
// ZooKeeper promises nothing (objectives), and the steps, written in the drill words.
import type { Objectives } from "../checks";
import { rewrite, versionAtLeast, type Topology, type TopologyInput } from "../topology";
import type { Drill } from "./context";
import type { SteadyState } from "./expect";

export type { SteadyState } from "./expect";
import type { DrillNeeds } from "./needs";
import { KnownBug, knownBugProblems } from "./known-bug";

export type { KnownBug } from "./known-bug";

export interface DrillDefinition {
  readonly name: string;
  readonly description: string;
  /** Where the runbook comes from, e.g. "P2 (docs/procedures.md, seed 000)". */
  readonly procedure: string;
  /** What kind of source that is: a field procedure (docs/procedures.md), ZooKeeper's or Kafka's own documentation or JIRA, Jepsen, or this project. */
  readonly origin?: DrillOrigin;
  /** The outcome the procedure exists to prove, and the check kinds that carry it: the report leads with it. */
  readonly headline?: Headline;
  /** A catalog topology name (drills/topologies), a file path, or a topology built in code. */
  readonly topology: string | TopologyInput;
  /** Extra JVM flags for every member (e.g. SUPERUSER_JVM_FLAG for dynamic reconfig). */
  readonly jvmFlags?: string;
  /**
   * Members run with readonlymode.enabled (a Java system property, ZOOKEEPER-784): one cut from its
   * quorum serves read-only clients (d.expect.readOnlyServes) instead of refusing every client.
   */
  readonly readOnlyMode?: boolean;
  /** Members start with libfaketime preloaded, so the drill can move their wall clocks (skewClock). */
  readonly clockFaults?: boolean;
  /** Members start with the disk shim preloaded, so the drill can slow their fsyncs or make them lie (slow-fsync, lying-fsync, power-cut). */
  readonly diskFaults?: boolean;
  /** RTO and RPO the drill holds the recovery to; each becomes a check at the end of the run. */
  readonly objectives?: Objectives;
  /**
   * The steady state (Chaos Toolkit's hypothesis), checked before the first fault and after the
   * drill's last step: one leader among the running voters, writes acknowledged, p99 under a bound.
   */
  readonly steadyState?: SteadyState;
  /** Conditions that stop the drill early with a clear verdict (checked at each step). */
  readonly abortIf?: AbortConditions;
  /** What it needs of a topology, so it can run on a user's own (`zkdrill run <drill> --topology FILE`). */
  readonly needs?: DrillNeeds;
  /** The ZooKeeper versions it applies to, and the one its seed ran; another version is refused (exit 2) saying why. */
  readonly versions?: DrillVersions;
  /** An upgrade drill: the versions it goes from and to by default (`--from-version`, `--to-version`). */
  readonly upgrade?: { readonly from: string; readonly to: string };
  /**
   * The ZooKeeper JIRA issue it reproduces (drills/known-bugs): it runs on an affected version unless
   * `--zk-version` (an upgrade drill: its target) names another, and fails there naming the symptom.
   */
  readonly knownBug?: KnownBug;
  run(d: Drill): Promise<void>;
  /** The steps in words for a dry run, where they are known without containers (data drills). */
  explain?(t: Topology): string[];
}

/** The JVM flag readOnlyMode adds to every member's. */
export const READ_ONLY_MODE_JVM_FLAG = "-Dreadonlymode.enabled=true";

/**
 * The topology a readOnlyMode drill's members run: from ZooKeeper 3.6.2 and 3.7 (ZOOKEEPER-3864) a
 * read-only server refuses to create or renew a global session, so it serves only local sessions
 * (localSessionsEnabled; the administrator's guide says so since apache/zookeeper#1922). Seen here:
 * without it a 3.8 member in read-only mode answered every new session with NOTREADONLY, the Java
 * client's as ours. Upgrading keeps ephemerals working: a local session that creates one turns global.
 */
export function readOnlyModeTopology(def: Pick<DrillDefinition, "readOnlyMode">, t: Topology, zkVersion: string): Topology {
  if (!def.readOnlyMode || !versionAtLeast(zkVersion, "3.5.0")) return t;
  const extra = { localSessionsEnabled: "true", localSessionsUpgradingEnabled: "true" };
  return rewrite(t, Object.fromEntries(t.members.map((m) => [m.id, { extra }])));
}

/** Every member's JVM flags: the drill's own, and what its settings imply. */
export function memberJvmFlags(def: Pick<DrillDefinition, "jvmFlags" | "readOnlyMode">): string | undefined {
  const flags = [def.jvmFlags, def.readOnlyMode ? READ_ONLY_MODE_JVM_FLAG : undefined].filter((f): f is string => !!f);
  return flags.length ? flags.join(" ") : undefined;
}

/** Declares a drill; the file in drills/ default-exports it. A knownBug block is checked here (exit 2 naming the field). */
export function drill(def: DrillDefinition): DrillDefinition {
  const problems = def.knownBug ? knownBugProblems(def.knownBug, "ts", def.upgrade?.to) : [];
  if (problems.length > 0) throw new DrillInputError(`drill ${def.name}: ${problems.join("; ")}`);
  return def;
}

/**
 * An inline topology of `count` voters in one zone (dc1, region r1), ids 1..count; `member` adds
 * fields to each (a disk of its own: `{ datalogMb: 32 }`). For drills about members, not zones.
 */
export function oneZoneTopology(name: string, count: number, member: Record<string, unknown> = {}): TopologyInput {
  return {
    name,
    zones: [{ name: "dc1", region: "r1" }],
    members: Array.from({ length: count }, (_, i) => ({ id: i + 1, zone: "dc1", ...member })),
  };
}

export const DRILL_ORIGINS = ["field procedure", "zookeeper", "kafka", "jepsen", "zkdrill"] as const;
export type DrillOrigin = (typeof DRILL_ORIGINS)[number];

export interface Headline {
  /** In the procedure's words: "the znodes present at backup time are all there; later writes are not". */
  readonly outcome: string;
  /** The check kinds whose verdicts are that outcome (a drill step's or the run's end: rto-objective, writes-lost-objective...). */
  readonly checks: readonly string[];
}

export interface AbortConditions {
  /** No member reported leader for longer than this: the drill stops, FAILED, saying why. */
  readonly noLeaderForMs?: number;
}

export interface DrillVersions {
  /** The oldest ZooKeeper it runs on ("3.5"), and why (what older lines lack). */
  readonly min?: string;
  readonly why?: string;
  /** The version its seed's write-up ran (in the scheduled matrix). */
  readonly seed?: string;
}

/** A drill asked of in a way it cannot do (a version it does not apply to): exit 2, saying why. */
export class DrillInputError extends Error {
  override name = "InputError";
}
