// What a client is opened with: its timeouts and where its operations are recorded. Apart from
// client.ts so the session (session.ts) reads them without importing the client back.
import type { HistoryRecorder } from "../history";

/** Where a client's operations go in the run's history, and who it is there. */
export interface Recording {
  readonly history: HistoryRecorder;
  /** e.g. "workload broker 1", "drill", "synced read on member 3". */
  readonly role: string;
  /** The members the connect string names, in its order (to tell which one answered). */
  readonly members: readonly number[];
}

export interface ZkClientOptions {
  readonly sessionTimeoutMs?: number;
  /** Bound on each operation; a stuck call fails as TIMEOUT. */
  readonly opTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** The session may be served by a read-only server (ZooKeeper's canBeReadOnly; src/zk/read-only.ts). */
  readonly canBeReadOnly?: boolean;
  /** Record every operation (invoke, then ok / fail / info) in the run's history. */
  readonly record?: Recording;
}
