// What a drill file declares: its name, the runbook it reproduces, the layout, what it promises where
// ZooKeeper promises nothing (objectives), and the steps, written in the drill words.
import type { Objectives } from "../checks/analysis";
import type { TopologyInput } from "../topology";
import type { DrillContext } from "./context";

export interface DrillDefinition {
  readonly name: string;
  readonly description: string;
  /** Where the runbook comes from, e.g. "PROCEDURES.md P2". */
  readonly procedure: string;
  /** A catalog topology name (drills/topologies), a file path, or a topology built in code. */
  readonly topology: string | TopologyInput;
  /** Extra JVM flags for every member (e.g. SUPERUSER_JVM_FLAG for dynamic reconfig). */
  readonly jvmFlags?: string;
  /** RTO and RPO the drill holds the recovery to; each becomes a check at the end of the run. */
  readonly objectives?: Objectives;
  run(d: DrillContext): Promise<void>;
}

/** Declares a drill; the file in drills/ default-exports it. */
export function drill(def: DrillDefinition): DrillDefinition {
  return def;
}
