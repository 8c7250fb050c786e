// A promotion: a runbook step forming a new ensemble from what survived (promote observers or
// standbys, restore a backup). Journaled as a recovery through the one path (Faults.inject) by the
// drill word newLineage; its YAML verb (new-lineage) is a group of steps, not a fault of its own.
import type { FaultClass } from "./spec";

export const promotion: FaultClass<"promotion"> = { kinds: ["promotion"], effect: "recovery" };
