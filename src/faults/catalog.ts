// Every fault a drill can inject, one row each (the family files hold the rows). The YAML format,
// the drill words, the dry run, the topology and flow checks and the report read this list: a new
// fault is a row in a family file and a line here.
import { corruptLog, fillDisk, freeDisk } from "./disk";
import { resetClock, skewClock } from "./clock";
import { healDisk, lyingFsync, powerCutFault, slowFsync } from "./fsync";
import { rewriteConfig, upgrade } from "./config";
import { loseHost } from "./host";
import { promotion } from "./lineage";
import { degradeLinks, heal, isolateZone, partition, restoreLinks } from "./links";
import { cutOneWay, flap, healMembers, isolateMember, packetLoss, partitionBridge, partitionHalves, partitionRing } from "./member-link-faults";
import { kill, pause, restart, start, stop, unpause } from "./process";
import type { AnyFaultSpec, FaultClass } from "./spec";

export const FAULT_SPECS = [
  // process
  kill,
  stop,
  start,
  restart,
  pause,
  unpause,
  // links between zones
  partition,
  isolateZone,
  heal,
  degradeLinks,
  restoreLinks,
  // links between members
  isolateMember,
  partitionHalves,
  partitionBridge,
  partitionRing,
  cutOneWay,
  healMembers,
  flap,
  packetLoss,
  // disks and logs
  fillDisk,
  freeDisk,
  corruptLog,
  slowFsync,
  lyingFsync,
  healDisk,
  powerCutFault,
  // clocks
  skewClock,
  resetClock,
  // hosts
  loseHost,
  // what members run
  rewriteConfig,
  upgrade,
] as const;

const FAULT_CLASSES = [...FAULT_SPECS, promotion] as const;

/** What kind of fault, as the journal, the report and the RTO table name it. */
export type FaultKind = (typeof FAULT_CLASSES)[number]["kinds"][number];
export type CatalogVerb = (typeof FAULT_SPECS)[number]["verb"];

/** Specs added outside the catalog (a test's throwaway fault); each removed by the function its registration returns. */
const registered: AnyFaultSpec[] = [];

export function registerFault(spec: AnyFaultSpec): () => void {
  if (faultSpecOf(spec.verb)) throw new Error(`fault verb ${spec.verb} is taken; choose another`);
  registered.push(spec);
  return () => void registered.splice(registered.indexOf(spec), 1);
}

export function faultSpecs(): readonly AnyFaultSpec[] {
  return [...FAULT_SPECS, ...registered];
}

export function faultSpecOf(verb: string): AnyFaultSpec | undefined {
  return faultSpecs().find((s) => s.verb === verb);
}

const classes = (): readonly FaultClass[] => [...FAULT_CLASSES, ...registered];

/** Whether a journaled kind breaks or mends (undefined: a kind no fault has). */
export function effectOf(kind: string): "fault" | "recovery" | undefined {
  return classes().find((c) => c.kinds.includes(kind))?.effect;
}

/** Whether a journaled kind can end the old ensemble (a new lineage dates its disaster from the last one). */
export function isDisaster(kind: string): boolean {
  return classes().some((c) => c.disaster === true && c.kinds.includes(kind));
}
