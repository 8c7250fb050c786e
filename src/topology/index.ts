export * from "./types";
export { parseTopology, loadTopology, TopologyError, type TopologyInput } from "./schema";
export { memberFiles, memberById, serversOf, rewrite, ZK_PATHS, type MemberFiles, type MemberChange } from "./zoocfg";
export { analyse, quorumOf, type Survivability, type Scenario } from "./survivability";
export { renderPlan } from "./render";
export { catalogTopologies, resolveTopologyPath, CATALOG_DIR } from "./catalog";
export { composeFile, type ComposeAssets } from "./compose";
export { lineOf, versionAtLeast, versionParts, EXTRA_CONFIG_KEYS, type ZkLine } from "./versions";
export * from "./brokers";
