// A member's container as testcontainers builds it: the image, its name and hostname in its zone's
// network, the files the harness writes (zoo.cfg, myid, the start script), loopback-only client port.
import type { Readable } from "node:stream";
import { Wait } from "testcontainers";
import { type FileToPut, LoopbackContainer } from "../docker";
import { hostnameOf, memberFiles, MemberId, Topology, ZK_PATHS, ZoneName } from "../topology";
import { zookeeperLogConfigs } from "../images";
import { readAsset } from "./assets";

export interface MemberContainerSpec {
  readonly image: string;
  readonly name: string;
  readonly id: MemberId;
  readonly zone: ZoneName;
  readonly network: string;
  readonly labels: Record<string, string>;
  readonly files: readonly FileToPut[];
  readonly jvmFlags: string;
  readonly clientPort: number;
  readonly hostPort: number;
  /** Backup archives staged under /zkdrill/restore (P3). */
  readonly restore: ReadonlyArray<{ tar: () => Readable; target: string }>;
  /** libfaketime preloaded (zk-run.sh), its offset in /zkdrill/faketime: the wall clock can be moved. */
  readonly fakeClock?: boolean;
  /** The disk shim preloaded (zk-run.sh), its mode in /zkdrill/disk: transaction-log fsyncs can be slowed or lie. */
  readonly diskFaults?: boolean;
  /** A host folder on a disk of its own, mounted as dataLogDir (a member whose disk can fill). */
  readonly datalogDisk?: string;
  /** Filled with the container's last log lines as it prints them: a container that fails its start is removed, its log with it. */
  readonly logTail?: string[];
}

const TAIL_LINES = 20;

/** What the harness writes into every member: its config files, the start script and the log configs. */
export function memberAssets(s: MemberContainerSpec): FileToPut[] {
  return [
    ...s.files,
    { content: readAsset("zk-run.sh"), path: "/zkdrill/zk-run.sh", mode: 0o755 },
    { content: readAsset("zk-cli.sh"), path: "/zkdrill/zk-cli.sh", mode: 0o755 },
    { content: readAsset("java.security"), path: "/zkdrill/java.security" },
    { content: readAsset("logback-quiet.xml"), path: "/zkdrill/logback-quiet.xml" },
    { content: readAsset("log4j-quiet.properties"), path: "/zkdrill/log4j-quiet.properties" },
    ...Object.entries(zookeeperLogConfigs()).map(([name, content]) => ({ content, path: `/zkdrill/${name}` })),
  ];
}

export function memberEnv(s: MemberContainerSpec): Record<string, string> {
  return { ZK_JVM_FLAGS: s.jvmFlags, ZK_CLIENT_PORT: String(s.clientPort), ...(s.fakeClock ? { ZK_FAKETIME: "1" } : {}), ...(s.diskFaults ? { ZK_DISK_FAULTS: "1" } : {}) };
}

/** The member's labels: the run's, and which member and zone it is. */
export function memberLabels(s: MemberContainerSpec): Record<string, string> {
  return { ...s.labels, "zkdrill.member": String(s.id), "zkdrill.zone": s.zone };
}

/** Printed by every ZooKeeper line once its client port listens (it may have no quorum yet). */
export const MEMBER_READY = /binding to port/i;
/** A JVM on a loaded 2-core machine (libfaketime preloaded makes it slower) can take most of a minute. */
export const MEMBER_START_MS = 120_000;

export function memberContainer(s: MemberContainerSpec): LoopbackContainer {
  return new LoopbackContainer(s.image)
    .withName(s.name)
    .withHostname(hostnameOf(s.id))
    .onNetworkAlone(s.network, hostnameOf(s.id))
    .withLabels(memberLabels(s))
    .withCopyContentToContainer(memberAssets(s).map((f) => ({ content: f.content as string, target: f.path, ...(f.mode ? { mode: f.mode } : {}) })))
    .withEnvironment(memberEnv(s))
    .withCopyArchivesToContainer(s.restore.map((a) => ({ tar: a.tar(), target: a.target })))
    // Member links are cut and degraded with iptables inside the member (src/faults/member-links.ts).
    .withAddedCapabilities("NET_ADMIN")
    .withBindMounts(s.datalogDisk ? [{ source: s.datalogDisk, target: ZK_PATHS.dataLogDir, mode: "rw" }] : [])
    .withEntrypoint(["sh", "/zkdrill/zk-run.sh"])
    .withCommand([])
    .withLoopbackPort(s.clientPort, s.hostPort)
    // The client port opens before any election, so a member without quorum still "starts".
    .withLogConsumer((stream) => {
      stream.on("data", (chunk: Buffer | string) => {
        if (!s.logTail) return;
        s.logTail.push(...chunk.toString().split("\n").filter(Boolean));
        s.logTail.splice(0, Math.max(0, s.logTail.length - TAIL_LINES));
      });
    })
    .withWaitStrategy(Wait.forLogMessage(MEMBER_READY))
    .withStartupTimeout(MEMBER_START_MS);
}

/** The files the harness writes into a member: zoo.cfg (and its dynamic file) and myid. */
export function configFiles(t: Topology, id: MemberId, version?: string): FileToPut[] {
  const files = memberFiles(t, id, version);
  const out: FileToPut[] = [
    { path: `${ZK_PATHS.confDir}/zoo.cfg`, content: files["zoo.cfg"] },
    { path: `${ZK_PATHS.dataDir}/myid`, content: files.myid },
  ];
  if (files["zoo.cfg.dynamic"] !== undefined) out.push({ path: `${ZK_PATHS.confDir}/zoo.cfg.dynamic`, content: files["zoo.cfg.dynamic"] });
  return out;
}

/** The config a member runs with, as one text (the dynamic file after zoo.cfg). */
export function configText(t: Topology, id: MemberId, version?: string): string {
  const files = memberFiles(t, id, version);
  return files["zoo.cfg.dynamic"] === undefined ? files["zoo.cfg"] : `${files["zoo.cfg"]}# zoo.cfg.dynamic\n${files["zoo.cfg.dynamic"]}`;
}
