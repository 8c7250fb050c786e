// Every check a drill records names its kind and keeps its input; this table turns the two back
// into the verdict, so `zkdrill report verify` recomputes each one from the run folder alone.
import type { Operation } from "../history";
import { connectionsCapped, leaderHeld, oversizedWriteRefused, sessionAlive, sessionExpired, sessionKept } from "./clients";
import { converged, epochRose, leaderIn, plannedQuorum, quorumLost, ruokWithoutQuorum } from "./ensemble";
import { clockMoved, dynamicConfig, logMentions, memberAnswers, memberExited, readsServed, memberOutOfService, notRestarted, roles, runVersion, znodesAbsent } from "./procedures";
import type { CheckResult } from "./result";
import { RateSample, throughputHolds } from "./throughput";
import { setSurvives, znodesHold } from "./writes";
import { restoredAtBackup } from "./restore";
import { cutHolds, roundTripHolds } from "./wire";
import { p99Below, writesAcknowledged } from "./steady";
import { KAFKA_JUDGES } from "./kafka-registry";
import { reconciled } from "./reconcile";
import { RECIPE_CHECK_KINDS } from "./recipes";
import { readOnlyServes } from "./read-only";
import { memberRejoins, quorumAfterHeal, writeCommits } from "./service";
import { ephemeralEnds } from "./ephemerals";
import { fsyncSlow } from "./disk";

export interface RecomputeContext {
  readonly ops: readonly Operation[];
  readonly samples: readonly (RateSample & { p99Ms?: number })[];
}

type Judge = (input: never, ctx: RecomputeContext) => CheckResult;

const JUDGES = {
  "leader-in": (i: Parameters<typeof leaderIn>[0]) => leaderIn(i),
  "quorum-lost": (i: Parameters<typeof quorumLost>[0]) => quorumLost(i),
  "ruok-without-quorum": (i: Parameters<typeof ruokWithoutQuorum>[0]) => ruokWithoutQuorum(i),
  converged: (i: { srvr: Parameters<typeof converged>[0] }) => converged(i.srvr),
  "epoch-rose": (i: Parameters<typeof epochRose>[0]) => epochRose(i),
  "planned-quorum": (i: Parameters<typeof plannedQuorum>[0]) => plannedQuorum(i),
  roles: (i: Parameters<typeof roles>[0]) => roles(i),
  "dynamic-config": (i: Parameters<typeof dynamicConfig>[0]) => dynamicConfig(i),
  "log-mentions": (i: Parameters<typeof logMentions>[0]) => logMentions(i),
  "fsync-slow": (i: Parameters<typeof fsyncSlow>[0]) => fsyncSlow(i),
  "reads-served": (i: Parameters<typeof readsServed>[0]) => readsServed(i),
  "member-answers": (i: Parameters<typeof memberAnswers>[0]) => memberAnswers(i),
  "not-restarted": (i: Parameters<typeof notRestarted>[0]) => notRestarted(i),
  "member-exited": (i: Parameters<typeof memberExited>[0]) => memberExited(i),
  "member-out-of-service": (i: Parameters<typeof memberOutOfService>[0]) => memberOutOfService(i),
  "clock-moved": (i: Parameters<typeof clockMoved>[0]) => clockMoved(i),
  "run-version": (i: Parameters<typeof runVersion>[0]) => runVersion(i),
  "session-kept": (i: Parameters<typeof sessionKept>[0]) => sessionKept(i),
  "session-alive": (i: Parameters<typeof sessionAlive>[0]) => sessionAlive(i),
  "session-expired": (i: Parameters<typeof sessionExpired>[0]) => sessionExpired(i),
  "connections-capped": (i: Parameters<typeof connectionsCapped>[0]) => connectionsCapped(i),
  "oversized-write-refused": (i: Parameters<typeof oversizedWriteRefused>[0]) => oversizedWriteRefused(i),
  "leader-held": (i: Parameters<typeof leaderHeld>[0]) => leaderHeld(i),
  "read-only-serves": (i: Parameters<typeof readOnlyServes>[0]) => readOnlyServes(i),
  "quorum-after-heal": (i: Parameters<typeof quorumAfterHeal>[0]) => quorumAfterHeal(i),
  "write-commits": (i: Parameters<typeof writeCommits>[0]) => writeCommits(i),
  "member-rejoins": (i: Parameters<typeof memberRejoins>[0]) => memberRejoins(i),
  "ephemeral-ends": (i: Parameters<typeof ephemeralEnds>[0]) => ephemeralEnds(i),
  throughput: (i: Parameters<typeof throughputHolds>[1], ctx: RecomputeContext) => throughputHolds(ctx.samples, i),
  "set-survives": (i: Parameters<typeof setSurvives>[1], ctx: RecomputeContext) => setSurvives(ctx.ops, i),
  "znodes-hold": (i: Parameters<typeof znodesHold>[1], ctx: RecomputeContext) => znodesHold(ctx.ops, i),
  "znodes-absent": (i: Parameters<typeof znodesAbsent>[1], ctx: RecomputeContext) => znodesAbsent(ctx.ops, i),
  "round-trip": (i: Parameters<typeof roundTripHolds>[0]) => roundTripHolds(i),
  "cut-holds": (i: Parameters<typeof cutHolds>[0]) => cutHolds(i),
  "restored-at-backup": (i: Parameters<typeof restoredAtBackup>[1], ctx: RecomputeContext) => restoredAtBackup(ctx.ops, i),
  "writes-acknowledged": (i: Parameters<typeof writesAcknowledged>[0]) => writesAcknowledged(i),
  reconciled: (i: Parameters<typeof reconciled>[0]) => reconciled(i),
  "p99-below": (i: Parameters<typeof p99Below>[1], ctx: RecomputeContext) => p99Below(ctx.samples, i),
  ...KAFKA_JUDGES,
} satisfies Record<string, Judge>;

export type CheckKind = keyof typeof JUDGES;

/** The verdict of a recorded check, recomputed; undefined for a kind this version does not know. */
export function judge(kind: string, input: unknown, ctx: RecomputeContext): CheckResult | undefined {
  const fn = (JUDGES as Record<string, Judge>)[kind];
  return fn ? fn(input as never, ctx) : undefined;
}

/** Type-checked construction of a check's kind and input, for the drill words. */
export function judged<K extends CheckKind>(kind: K, input: Parameters<(typeof JUDGES)[K]>[0], ctx: RecomputeContext): { kind: K; input: typeof input; result: CheckResult } {
  return { kind, input, result: (JUDGES[kind] as Judge)(input as never, ctx) };
}

/** The checks every run gets at its end (src/checks/analysis.ts), by kind. */
export const END_OF_RUN_KINDS = [
  "linearizable",
  "session-order",
  "no-two-leaders",
  "one-lineage",
  "rto-objective",
  "rpo-objective",
  "writes-lost-objective",
  "throughput-floor",
  ...Object.values(RECIPE_CHECK_KINDS),
] as const;

/** Every check kind a run can record: a drill step's (recomputed from its input) or the run's end. */
export const CHECK_KINDS: readonly string[] = [...Object.keys(JUDGES), ...END_OF_RUN_KINDS];
