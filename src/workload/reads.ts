// A read load on chosen members (P6: "reads scale" with an observer): a few sessions read the
// workload's registers in a closed loop for a while, each read in the history, and say who served
// how many. ZooKeeper promises nothing about the rate: it is measured, and set beside another.
import type { HistoryRecorder } from "../history";
import { errorKind, ZkClient } from "../zk";

export interface ReadLoadOptions {
  readonly connectString: string;
  /** The members `connectString` names, in its order. */
  readonly members: readonly number[];
  readonly history: HistoryRecorder;
  readonly paths: readonly string[];
  readonly durationMs: number;
  /** Sessions reading at once, one read in flight each (default: two per member), spread over the members. */
  readonly sessions?: number;
}

export interface ReadFigures {
  readonly members: readonly number[];
  readonly durationMs: number;
  readonly reads: number;
  readonly perSec: number;
  /** Reads each member answered. */
  readonly servedBy: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
}

/** Bounded: the loops stop at the deadline, and a session that cannot connect fails the load. */
export async function readLoad(o: ReadLoadOptions): Promise<ReadFigures> {
  if (o.paths.length === 0) throw new Error("a read load needs registers to read: start the workload first");
  const servedBy: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let reads = 0;
  const lanes = o.sessions ?? 2 * o.members.length;
  // The sessions spread evenly over the members, one member each: every member named carries its share.
  const endpoints = o.connectString.split(",");
  const clients = await Promise.all(
    Array.from({ length: lanes }, (_, i) => ZkClient.connect(endpoints[i % endpoints.length], { record: { history: o.history, role: `reader ${i}`, members: [o.members[i % o.members.length]] } })),
  );
  const started = Date.now();
  const until = started + o.durationMs;
  try {
    await Promise.all(
      clients.map(async (c, lane) => {
        for (let i = 0; Date.now() < until && i < 10_000_000; i++) {
          try {
            await c.getData(o.paths[(lane + i) % o.paths.length]);
            reads++;
            const by = String(c.currentMember ?? "unknown");
            servedBy[by] = (servedBy[by] ?? 0) + 1;
          } catch (err) {
            const k = errorKind(err);
            errors[k] = (errors[k] ?? 0) + 1;
          }
        }
      }),
    );
  } finally {
    for (const c of clients) c.close();
  }
  const durationMs = Date.now() - started;
  return { members: [...o.members], durationMs, reads, perSec: Math.round((reads / durationMs) * 1000), servedBy, errors };
}
