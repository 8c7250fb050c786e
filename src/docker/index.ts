// The Docker engine, container files, loopback ports, the loop-mounted disks and the reaper.
export { archiveOf, containerLog, entryNames, execIn, filesOf, putFiles, readFileOf, underPrefix, type ExecResult, type FileToPut } from "./container-io";
export { checkEngine, configureTestcontainers, docker, EngineError, RUN_LABEL, runLabels } from "./engine";
export { containerAt, engineAt, engineFacts, enginesInUse, forgetEngines, holdContainer, holderOf, isLocal, LOCAL_ENGINE, type EngineFacts } from "./engines";
export { hostTrouble, onFreshSocket } from "./host-trouble";
export { hostsFile, knownEngines, rememberEngines } from "./known-hosts";
export { checkRunEngines, formSwarm, leaveSwarm, type SwarmMember } from "./swarm";
export { diskPath, diskUsage, ensureDisk, fillDisk, freeDisk } from "./loop-disks";
export { freeLoopbackPort, LoopbackContainer, RESOLVER_OPTIONS } from "./loopback";
export { installCrashReaper, isHurried, onInterrupt, reap, reapStale, trackRun, untrackRun, verdictIs } from "./reaper";
