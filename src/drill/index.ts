// The drill interface: all a drill file imports. `drill` declares one; `Drill` is the words its
// steps are written in (src/drill/context.ts); the topology's ids name members and zones.
export { drill, oneZoneTopology, READ_ONLY_MODE_JVM_FLAG, type DrillDefinition, type KnownBug } from "./definition";
export type { Drill } from "./context";
export { SUPERUSER_JVM_FLAG } from "./superuser";
export type { MemberId, ZoneName } from "../topology";
// The recipe workloads a drill may start (d.startRecipes), as the history names them.
export { RECIPES, type Recipe } from "../history";
/** A client the drill watches (d.openClient): d.clientCrash, d.clientPartition and the session verdicts take it. */
export type { ProbeSession as WatchedClient } from "../probes";
export { KRAFT_TOPICS, kraftDrillUnderLoad } from "./kraft-load";
