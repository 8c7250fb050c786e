// The elections ZooKeeper itself logged: "LEADER ELECTION TOOK - N MS" with the line's time, so the
// report can set ZooKeeper's own figure beside the client-side RTO of each fault.
import type { Election } from "../checks/availability";

// The ISO8601 log pattern (UTC inside the containers): "2026-11-23 09:40:01,234 ... LEADER ELECTION TOOK - 212 MS";
// 3.4 prints the number without its unit (milliseconds all the same).
const LINE = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)[,.](\d{3}).*LEADER ELECTION TOOK\s*-\s*(\d+)(?:\s*MS)?/i;

export function electionsInLog(member: number, log: string): Election[] {
  const out: Election[] = [];
  for (const line of log.split("\n")) {
    const m = LINE.exec(line);
    if (m) out.push({ member, at: Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`), tookMs: Number(m[4]) });
  }
  return out;
}
