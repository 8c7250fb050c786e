// What each ZooKeeper line understands, for the config the harness writes and the verbs it offers:
// 3.4 has no dynamic config file, no reconfig, no /zookeeper/config and no four-letter-word
// whitelist (every word answers); 3.5.3 brought the whitelist (only srvr by default), the AdminServer
// and reconfig; 3.5.6 the snapshot.trust.empty escape hatch for data from 3.4 (ZOOKEEPER-3056).

export interface ZkLine {
  readonly version: string;
  /** "3.4", "3.5", ... */
  readonly line: string;
  readonly dynamicConfig: boolean;
  readonly reconfig: boolean;
  readonly fourLetterWhitelist: boolean;
  readonly adminServer: boolean;
  /** `get /zookeeper/config` answers. */
  readonly configZnode: boolean;
  readonly snapshotTrustEmpty: boolean;
}

/** [major, minor, patch] of "3.5.9" (a suffix like "-beta" ignored). */
export function versionParts(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`"${version}" is not a ZooKeeper version like 3.9.5`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** a >= b, comparing "3.5.6"-style versions ("3.5" means 3.5.0). */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = versionParts(a);
  const pb = versionParts(/^\d+\.\d+$/.test(b) ? `${b}.0` : b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] > pb[i];
  return true;
}

export function lineOf(version: string): ZkLine {
  const [major, minor] = versionParts(version);
  const at = (v: string) => versionAtLeast(version, v);
  return {
    version,
    line: `${major}.${minor}`,
    dynamicConfig: at("3.5.0"),
    reconfig: at("3.5.0"),
    fourLetterWhitelist: at("3.5.3"),
    adminServer: at("3.5.0"),
    configZnode: at("3.5.0"),
    snapshotTrustEmpty: at("3.5.6"),
  };
}

/** The line zkdrill assumes when a caller names none (the default image's). */
export const LATEST_LINE = lineOf("3.9.5");

/**
 * zoo.cfg keys an operator may add to a member (a runbook's hand edit); anything else is refused,
 * since ZooKeeper turns an unknown key into a system property and says nothing.
 */
export const EXTRA_CONFIG_KEYS: Readonly<Record<string, { readonly since?: string; readonly what: string }>> = {
  "snapshot.trust.empty": { since: "3.5.6", what: "start from transaction logs with no snapshot (upgrading from 3.4, ZOOKEEPER-3056)" },
  maxClientCnxns: { what: "connections per client address (60 by default)" },
  "autopurge.snapRetainCount": { what: "snapshots kept by the purge task" },
  "autopurge.purgeInterval": { what: "hours between purges (0: never)" },
  globalOutstandingLimit: { what: "requests queued before the server throttles" },
  preAllocSize: { what: "transaction log preallocation, KB" },
  snapCount: { what: "transactions between snapshots" },
  "4lw.commands.whitelist": { since: "3.5.3", what: "four-letter words that answer" },
  localSessionsEnabled: { since: "3.5.0", what: "sessions a member keeps to itself until they need the quorum (read-only mode serves only these)" },
  localSessionsUpgradingEnabled: { since: "3.5.0", what: "a local session that creates an ephemeral becomes a global one" },
};
