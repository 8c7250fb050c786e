// The images a drill needs, and the versions zkdrill knows how to build.

export interface ZookeeperRelease {
  /** The logback release the ZooKeeper line was built against (its parent pom's logback-version). */
  readonly logback: string;
  /** Its dropwizard metrics-core and snappy-java ("provided" scope: the release tarball ships them). */
  readonly metrics: string;
  readonly snappy: string;
  /** commons-cli, which zkCli needs (also "provided"). */
  readonly cli: string;
}

/** Pinned releases: Maven Central serves them; each is tested to start and elect. */
export const ZOOKEEPER_RELEASES: Readonly<Record<string, ZookeeperRelease>> = {
  "3.9.5": { logback: "1.3.15", metrics: "4.1.12.1", snappy: "1.1.10.5", cli: "1.5.0" },
  "3.8.6": { logback: "1.3.15", metrics: "4.1.12.1", snappy: "1.1.10.5", cli: "1.5.0" },
};

export const DEFAULT_ZOOKEEPER_VERSION = "3.9.5";
export const TOXIPROXY_VERSION = "2.12.0";
export const TOXIPROXY_GO_MODULE = "github.com/Shopify/toxiproxy/v2/cmd/server";

export const BASE_IMAGE = "zkdrill/base:bookworm";
export const BASE_PACKAGES = ["openjdk-17-jre-headless", "iproute2", "netcat-openbsd", "iptables", "iputils-ping", "procps"] as const;

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
