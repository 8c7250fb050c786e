// Zones on the wire: gateways, cuts and degraded links.
export { describeDegradation, type Degradation } from "./degrade";
export { CutError, describeCut, isolate, memberContainerName, validateCut, type CutMode, type CutSpec } from "./wiring";
export { ZoneNetwork } from "./zone-network";
export { ClientLink, type LinkTarget } from "./client-link";
