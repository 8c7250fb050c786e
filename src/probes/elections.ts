// What ZooKeeper itself logged about its elections: "LEADER ELECTION TOOK - N MS" and the leader
// serving ("Have quorum of supporters ... starting up"), each with the line's time, so the report can
// set ZooKeeper's own figures beside the clients' outage of each fault.
import type { Election, ServingMark } from "../checks";

// The ISO8601 log pattern (UTC inside the containers): "2026-11-23 09:40:01,234 ... LEADER ELECTION TOOK - 212 MS";
// 3.4 prints the number without its unit (milliseconds all the same). A collected log line starts with
// the engine's own receipt time (the host's clock, whatever a clock fault did to the member): that
// time is the one read when present.
const TIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)[,.](\d{3})/;
const ELECTION = /LEADER ELECTION TOOK\s*-\s*(\d+)(?:\s*MS)?/i;
// Leader.lead, 3.4 to 3.9: "Have quorum of supporters, sids: [ 1,2 ]; starting up and setting last processed zxid: 0x...".
const SERVING = /Have quorum of supporters/;

const timeOf = (line: string): number | null => {
  const m = TIME.exec(line);
  return m ? Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`) : null;
};

export function electionsInLog(member: number, log: string): Election[] {
  const out: Election[] = [];
  for (const line of log.split("\n")) {
    const m = ELECTION.exec(line);
    const at = m ? timeOf(line) : null;
    if (m && at !== null) out.push({ member, at, tookMs: Number(m[1]) });
  }
  return out;
}

/** The moments member `member` started serving as leader, with a quorum of synced followers. */
export function servingInLog(member: number, log: string): ServingMark[] {
  const out: ServingMark[] = [];
  for (const line of log.split("\n")) {
    const at = SERVING.test(line) ? timeOf(line) : null;
    if (at !== null) out.push({ member, at });
  }
  return out;
}

/**
 * The lines of a member's log from `sinceMs` on (wall clock; the engine's receipt time where the line
 * carries it) that match any of `patterns`, the engine's own timestamp taken off for reading.
 */
export function logLinesSince(log: string, sinceMs: number, patterns: readonly RegExp[]): string[] {
  return log
    .split("\n")
    .filter((line) => {
      const at = timeOf(line);
      return at !== null && at >= sinceMs && patterns.some((p) => p.test(line));
    })
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT\S+Z /, ""));
}
