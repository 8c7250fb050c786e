// The topology model: pure data, no Docker. Every other piece starts from it.
/** A ZooKeeper server id (`server.N`, `myid`), 1..255. */
export type MemberId = number;
export type ZoneName = string;
export type RegionName = string;

/** Kafka's broker.id. */
export type BrokerId = number;

export interface Broker {
  readonly id: BrokerId;
  readonly zone: ZoneName;
  /** -Xms and -Xmx of the broker's JVM. */
  readonly heapMb: number;
  /** This broker's own server.properties lines, over the cluster's. */
  readonly settings: Readonly<Record<string, string>>;
}

/** A KRaft controller (process.roles=controller) provisioned for the ZooKeeper-to-KRaft migration (src/topology/kraft.ts). */
export interface KraftController {
  /** Its node.id: brokers and controllers share one id space in KRaft, so never a broker's id. */
  readonly id: BrokerId;
  readonly zone: ZoneName;
  readonly heapMb: number;
}

export interface KafkaCluster {
  /** zookeeper.connect's chroot: Kafka's znodes live under it (/kafka/brokers/ids, /kafka/controller). */
  readonly chroot: string;
  /** server.properties lines every broker gets. */
  readonly settings: Readonly<Record<string, string>>;
  readonly brokers: readonly Broker[];
  /** KRaft controllers for the migration off ZooKeeper; empty when the drill runs none. */
  readonly controllers: readonly KraftController[];
}

export type Role = "participant" | "observer";
export type Membership = "static" | "dynamic";

export interface Zone {
  readonly name: ZoneName;
  readonly region: RegionName;
  /** The Docker engine its members run on (unix://, tcp://, ssh:// or a context name); absent: this machine's. */
  readonly host?: string;
}

export interface Member {
  readonly id: MemberId;
  readonly zone: ZoneName;
  readonly role: Role;
  /** Configured but not started (P1's phantom members, P2's powered-off standbys). */
  readonly standby: boolean;
  /**
   * The `server.N` lines this member's own zoo.cfg lists, when it differs from the ensemble's
   * (P2: the standbys carry server.3,4,5 while the running members carry server.1,2,3).
   */
  readonly servers?: readonly MemberId[];
  /**
   * This member's zoo.cfg marks only itself `:observer` and lists the others plainly (P5's joining
   * targets, as the seed writes them: server.4's config marks server.4 and lists 5 and 6 as voters).
   */
  readonly marksOnlyItself?: boolean;
  /** zoo.cfg lines added by hand in a recovery step (snapshot.trust.empty during an upgrade). */
  readonly extra?: Readonly<Record<string, string>>;
  /** dataLogDir on a filesystem of this many MB of its own (a disk that can fill), instead of the container's. */
  readonly datalogMb?: number;
}

/** Round trip between two zones (or within one when a === b). */
export interface Link {
  readonly zones: readonly [ZoneName, ZoneName];
  readonly rttMs: number;
  readonly jitterMs: number;
  /** Bandwidth limit in KB/s, each direction; undefined = unlimited. */
  readonly bandwidthKBps?: number;
}

export interface ZkSettings {
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly membership: Membership;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
}

export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly zones: readonly Zone[];
  readonly members: readonly Member[];
  readonly links: readonly Link[];
  readonly settings: ZkSettings;
  /** Kafka brokers on the ensemble (src/topology/brokers.ts); absent when the drill runs none. */
  readonly kafka?: KafkaCluster;
  /** Independent copies of this ensemble in other regions, kept in step outside ZooKeeper (P8 scheme 6). */
  readonly copies?: ReadonlyArray<{ readonly region: string; readonly sync: string }>;
}

export const DEFAULT_SETTINGS: ZkSettings = {
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  membership: "static",
  clientPort: 2181,
  quorumPort: 2888,
  electionPort: 3888,
};

/** The hostname a member runs under; the same on every member's zoo.cfg, as an operator writes it. */
export function hostnameOf(id: MemberId): string {
  return `zk${id}`;
}
