// The images a drill needs, and the versions zkdrill knows how to build. What each ZooKeeper line
// understands (reconfig, whitelist...) is src/topology/versions.ts; this file is only what its image needs.

/** A jar on Maven Central: its coordinates, pinned. */
export interface MavenJar {
  readonly group: string;
  readonly artifact: string;
  readonly version: string;
}

/** The config file a line's SLF4J binding reads: log4j 1.2 and reload4j read log4j.properties. */
export type LogConfig = "log4j.properties" | "logback.xml";

export interface ZookeeperRelease {
  readonly version: string;
  /** "3.4", "3.5", ... */
  readonly line: string;
  readonly logConfig: LogConfig;
  /**
   * The SLF4J binding and its backend, pinned to what the release tarball ships. Declared even where
   * ZooKeeper's pom already pulls them (3.4, 3.5.8-9, 3.8): from 3.5.10 to 3.7 they are test-scope and
   * from 3.9 optional, so Maven alone would give a server that logs nothing.
   */
  readonly binding: readonly MavenJar[];
  /**
   * "provided"-scope jars the server or zkCli load at run time: the tarball ships them, Maven does not
   * pull them. commons-cli: zkCli's commands (3.5+). metrics-core: ServerMetrics' percentile counters
   * (3.6+, the server does not start without it). snappy-java: snapshot compression (3.6+).
   * Left out on purpose: jline (zkCli reads piped commands without it), Jetty and Jackson (AdminServer,
   * which the harness disables), json-simple (3.5.10-3.6 SnapshotFormatter -json only).
   */
  readonly provided: readonly MavenJar[];
}

const jar = (coordinates: string): MavenJar => {
  const [group, artifact, version] = coordinates.split(":");
  return { group, artifact, version };
};

// Versions from each release's parent pom on Maven Central (dependencyManagement), checked 2026-11.
const log4j12 = (slf4j: string) => [jar(`org.slf4j:slf4j-log4j12:${slf4j}`), jar("log4j:log4j:1.2.17")];
const reload4j = (slf4j: string, version: string) => [jar(`org.slf4j:slf4j-reload4j:${slf4j}`), jar(`ch.qos.reload4j:reload4j:${version}`)];
const logback = (version: string) => [jar(`ch.qos.logback:logback-classic:${version}`)];
const provided = (cli: string, metrics?: string, snappy?: string) => [
  jar(`commons-cli:commons-cli:${cli}`),
  ...(metrics ? [jar(`io.dropwizard.metrics:metrics-core:${metrics}`)] : []),
  ...(snappy ? [jar(`org.xerial.snappy:snappy-java:${snappy}`)] : []),
];

function release(version: string, logConfig: LogConfig, binding: readonly MavenJar[], extra: readonly MavenJar[]): ZookeeperRelease {
  return { version, line: version.split(".").slice(0, 2).join("."), logConfig, binding, provided: extra };
}

/**
 * Pinned releases, newest first (the order `use one of` lists them). 3.4 needs no provided jar: its pom
 * pulls jline 0.9 (zkCli) and netty 3 at compile scope, and its zkCli parses arguments itself.
 */
export const ZOOKEEPER_RELEASES: Readonly<Record<string, ZookeeperRelease>> = Object.fromEntries(
  [
    release("3.9.5", "logback.xml", logback("1.3.15"), provided("1.5.0", "4.1.12.1", "1.1.10.5")),
    release("3.8.6", "logback.xml", logback("1.3.15"), provided("1.5.0", "4.1.12.1", "1.1.10.5")),
    release("3.7.2", "log4j.properties", reload4j("1.7.35", "1.2.22"), provided("1.5.0", "4.1.12.1", "1.1.10.5")),
    release("3.6.4", "log4j.properties", reload4j("1.7.36", "1.2.24"), provided("1.4", "3.2.5", "1.1.8.4")),
    release("3.5.10", "log4j.properties", reload4j("1.7.36", "1.2.20"), provided("1.2")),
    release("3.5.9", "log4j.properties", log4j12("1.7.25"), provided("1.2")),
    release("3.5.8", "log4j.properties", log4j12("1.7.25"), provided("1.2")),
    release("3.4.14", "log4j.properties", log4j12("1.7.25"), []),
  ].map((r) => [r.version, r]),
);

export const DEFAULT_ZOOKEEPER_VERSION = "3.9.5";
export const TOXIPROXY_VERSION = "2.12.0";
export const TOXIPROXY_GO_MODULE = "github.com/Shopify/toxiproxy/v2/cmd/server";

/**
 * Kafka 3.9, the last line with ZooKeeper mode: the broker (kafka_2.13) and the tools (kafka-tools:
 * ProducerPerformance, VerifiableProducer/Consumer), with the reload4j binding kafka-tools brings,
 * reload4j itself pinned to what the 3.9.1 tarball ships (Maven's nearest-wins would pick 1.2.19).
 */
export const KAFKA_VERSION = "3.9.1";
export const KAFKA_JARS: readonly MavenJar[] = [
  jar(`org.apache.kafka:kafka_2.13:${KAFKA_VERSION}`),
  jar(`org.apache.kafka:kafka-tools:${KAFKA_VERSION}`),
  jar("org.slf4j:slf4j-reload4j:1.7.36"),
  jar("ch.qos.reload4j:reload4j:1.2.25"),
];

export const BASE_IMAGE = "zkdrill/base:bookworm";
// iptables: member links cut and degraded (src/faults/member-links.ts); libfaketime: clock faults.
export const BASE_PACKAGES = ["openjdk-17-jre-headless", "iproute2", "netcat-openbsd", "iptables", "iputils-ping", "procps", "libfaketime"] as const;

export class ImageInputError extends Error {
  override name = "ImageInputError";
}

/** Rejects a version zkdrill cannot provide, before anything starts. */
export function checkZookeeperVersion(version: string): ZookeeperRelease {
  const release = ZOOKEEPER_RELEASES[version];
  if (!release) {
    throw new ImageInputError(
      `zookeeper version "${version}" is not one zkdrill can build; use one of ${Object.keys(ZOOKEEPER_RELEASES).join(", ")} (--zk-version)`,
    );
  }
  return release;
}

/** The official image users pull, and the equivalent zkdrill builds when it cannot. */
export function zookeeperImageNames(version: string): { official: string; built: string } {
  checkZookeeperVersion(version);
  return { official: `zookeeper:${version}`, built: `zkdrill/zookeeper:${version}` };
}

export function toxiproxyImageNames(): { official: string; built: string } {
  return { official: `ghcr.io/shopify/toxiproxy:${TOXIPROXY_VERSION}`, built: `zkdrill/toxiproxy:${TOXIPROXY_VERSION}` };
}

export function kafkaImageNames(): { official: string; built: string } {
  return { official: `apache/kafka:${KAFKA_VERSION}`, built: `zkdrill/kafka:${KAFKA_VERSION}` };
}

export interface KnownImage {
  readonly name: string;
  /** "official": pulled when present or pullable; "built": zkdrill's equivalent from package registries. */
  readonly kind: "official" | "built";
  /** What it is, for listings: "zookeeper 3.9.5", "kafka 3.9.1", ... */
  readonly what: string;
}

/** Every image zkdrill may use, for `zkdrill images list`: adding a release here lists it. */
export function knownImages(): KnownImage[] {
  const pair = (what: string, names: { official: string; built: string }): KnownImage[] => [
    { name: names.official, kind: "official", what },
    { name: names.built, kind: "built", what },
  ];
  return [
    ...Object.keys(ZOOKEEPER_RELEASES).flatMap((v) => pair(`zookeeper ${v}`, zookeeperImageNames(v))),
    ...pair(`toxiproxy ${TOXIPROXY_VERSION}`, toxiproxyImageNames()),
    ...pair(`kafka ${KAFKA_VERSION}`, kafkaImageNames()),
    { name: BASE_IMAGE, kind: "built", what: "debian bookworm + JRE 17 (the base of the built ZooKeeper and Kafka images)" },
  ];
}
