// Checks of slow disks, in ZooKeeper's own words: the warning FileTxnLog logs when forcing the
// transaction log took longer than fsync.warningthresholdms (1000 ms by default), the same line on 3.4 to 3.9.
import type { MemberId } from "../topology";
import { CheckResult, inconclusive, verdict } from "./result";

/** "fsync-ing the write ahead log in SyncThread:1 took 1202ms which will adversely effect operation latency..." */
export const FSYNC_WARNING = /fsync-ing the write ahead log in (\S+) took (\d+)\s*ms/;

export interface FsyncSlowInput {
  readonly member: MemberId;
  /** The slowest fsync the warning must report, at least (the fault's delay). */
  readonly minMs: number;
  /** The member's log (its tail). */
  readonly log: string;
}

/** The member itself says its transaction log's fsyncs were slow: at least one warning of `minMs` or more. */
export function fsyncSlow(input: FsyncSlowInput): CheckResult {
  const name = `member ${input.member} warns its transaction-log fsync took ${input.minMs} ms or more`;
  if (input.log.trim().length === 0) return inconclusive(name, `member ${input.member}'s log is empty`, { minMs: input.minMs });
  const warnings = input.log
    .split("\n")
    .map((line) => ({ line: line.trim(), m: FSYNC_WARNING.exec(line) }))
    .filter((w): w is { line: string; m: RegExpExecArray } => w.m !== null)
    .map((w) => ({ line: w.line, ms: Number(w.m[2]) }));
  const slow = warnings.filter((w) => w.ms >= input.minMs);
  const slowestMs = warnings.length ? Math.max(...warnings.map((w) => w.ms)) : null;
  const evidence = { minMs: input.minMs, warnings: warnings.length, slowWarnings: slow.length, slowestMs, line: slow[0]?.line.slice(0, 300) ?? null };
  if (slow.length === 0) {
    const seen = warnings.length ? `${warnings.length} warning(s), the slowest ${slowestMs} ms` : "no fsync warning in its log";
    return verdict(name, false, `${seen}: the disk fault did not slow its fsyncs past ${input.minMs} ms`, evidence);
  }
  return verdict(name, true, `${slow.length} warning(s), the slowest ${slowestMs} ms: ${slow[0].line.slice(0, 200)}`, evidence);
}
