// Live probes: synced reads, members' whole trees, leadership, elections, round trips and the wire across a cut.
export { electionsInLog, logLinesSince, servingInLog } from "./elections";
export { LeadershipWatch } from "./leadership";
export { ephemeralOwner, OwnerReader, ProbeSession } from "./probe-session";
export { syncedReads, type ReadPlan } from "./reads";
export { readTree, syncThrough, TREE_CAP, treeReader, type TreeRead } from "./tree";
export { measureRoundTrips, sessionRoundTripMs } from "./round-trips";
export { latencyPairs, measurePair, MEMBER_LINK_CHAIN, probeMemberLinks, probeZoneCut } from "./wire";
export { READ_ONLY_WRITE_PATH, readOnlyService } from "./read-only";
