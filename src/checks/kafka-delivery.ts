// Kafka's promise to a producer with acks=all and min.insync.replicas: an acknowledged record
// survives while an in-sync replica survives. Judged as Jepsen's set check is: every record the
// verifiable producer saw acknowledged must be read back by the verifiable consumer at the end; lost =
// acknowledged minus consumed, each named; duplicates counted (at-least-once delivery allows them).
import { CheckResult, inconclusive, some, verdict } from "./result";

/** [partition, offset, value]: compact, since a run acknowledges thousands. */
export type RecordRef = readonly [number, number, string];

export interface DeliveryInput {
  readonly topic: string;
  readonly acked: readonly RecordRef[];
  readonly consumed: readonly RecordRef[];
  /** Sends the producer saw fail (not acknowledged: no promise, not judged). */
  readonly sendErrors: number;
  /** Why the consumer stopped (caught up with every acknowledged offset, or its deadline). */
  readonly consumerStopped: string;
}

export interface DeliveryFigure {
  readonly lost: readonly RecordRef[];
  /** Acknowledged, not read, at an offset the consumer never got to: neither proven kept nor lost. */
  readonly unread: number;
  /** Extra copies read (a value read n times adds n - 1). */
  readonly duplicates: number;
  /** Read but never acknowledged (a send whose acknowledgement was lost). */
  readonly unacknowledgedRead: number;
}

export function deliveryFigure(input: Pick<DeliveryInput, "acked" | "consumed">): DeliveryFigure {
  const seen = new Map<string, number>();
  const reached = new Map<number, number>();
  for (const [p, o, value] of input.consumed) {
    seen.set(value, (seen.get(value) ?? 0) + 1);
    reached.set(p, Math.max(reached.get(p) ?? -1, o));
  }
  const ackedValues = new Set(input.acked.map(([, , v]) => v));
  // Lost only where the consumer read past the record's offset; beyond that it is not known (a consumer stopped by its deadline).
  const missing = input.acked.filter(([, , v]) => !seen.has(v));
  const lost = missing.filter(([p, o]) => o <= (reached.get(p) ?? -1));
  const unread = missing.length - lost.length;
  let duplicates = 0;
  let unacknowledgedRead = 0;
  for (const [value, n] of seen) {
    duplicates += n - 1;
    if (!ackedValues.has(value)) unacknowledgedRead++;
  }
  return { lost, unread, duplicates, unacknowledgedRead };
}

const describe = ([p, o, v]: RecordRef) => `value ${v} (partition ${p}, offset ${o})`;

export function everyAckedRecordConsumed(input: DeliveryInput): CheckResult {
  const name = `every acknowledged record of ${input.topic} is consumed (acks=all)`;
  const f = deliveryFigure(input);
  const evidence = { topic: input.topic, acknowledged: input.acked.length, consumed: input.consumed.length, sendErrors: input.sendErrors, consumerStopped: input.consumerStopped, lost: f.lost.slice(0, 500), lostCount: f.lost.length, unread: f.unread, duplicates: f.duplicates, unacknowledgedRead: f.unacknowledgedRead };
  if (input.acked.length === 0) return inconclusive(name, "the producer saw no record acknowledged", evidence);
  const tail = `${f.duplicates} duplicate(s), ${f.unacknowledgedRead} read but never acknowledged, ${input.sendErrors} send error(s)`;
  if (f.lost.length > 0) return verdict(name, false, `${f.lost.length} of ${input.acked.length} acknowledged record(s) lost: ${some(f.lost.map(describe), 5)}; ${tail}`, evidence);
  if (f.unread > 0) return inconclusive(name, `${f.unread} of ${input.acked.length} acknowledged record(s) not read: the consumer stopped first (${input.consumerStopped}); ${tail}`, evidence);
  return verdict(name, true, `${input.acked.length} acknowledged, all consumed; ${tail}`, evidence);
}
