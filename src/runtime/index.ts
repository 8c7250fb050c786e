// The started ensemble and its assets.
export { ASSETS_DIR, readAsset } from "./assets";
export { newRunId, StartedEnsemble, type QuorumView, type StartOptions } from "./ensemble";
