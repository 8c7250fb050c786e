// Mutation tests of the catalog: a real run's evidence doctored so that the outcome a check protects
// is broken (acknowledged writes dropped from the final reads, the restored znodes removed, the outage
// stretched past the objective, the latency taken off the wire...), then every check recomputed as
// `zkdrill report verify` does. A check whose kind a mutation breaks must come out failed or
// inconclusive, never passed: otherwise it could not fail, and it proves nothing.
import { type CompletionEvent, type HistoryEvent, SET_ROOT } from "../../src/history";
import type { JournalEvent } from "../../src/journal";

export interface RunFiles {
  readonly events: JournalEvent[];
  readonly history: HistoryEvent[];
}

type Json = Record<string, unknown>;

export interface Mutation {
  /** What the mutation breaks, in words. */
  readonly breaks: string;
  readonly mutate: (run: RunFiles) => RunFiles;
}

const clone = (r: RunFiles): RunFiles => JSON.parse(JSON.stringify(r)) as RunFiles;

/** Each recorded check of `kind` (a drill step's) with its input rewritten. */
function inputs(kind: string, edit: (input: Json) => Json): (r: RunFiles) => RunFiles {
  return (run) => {
    const r = clone(run);
    for (const e of r.events) if (e.type === "check" && e.data.kind === kind && e.data.auto !== true) (e.data as Json).input = edit(e.data.input as Json);
    return r;
  };
}

/** Every answer's srvr without a leader (the leader says follower). */
const noLeader = (answers: Json) => Object.fromEntries(Object.entries(answers ?? {}).map(([id, a]) => [id, String(a).replace(/Mode: leader/g, "Mode: follower")]));

const syncedReaders = (h: readonly HistoryEvent[]) => new Set(h.filter((e) => e.type === "process" && e.role.startsWith("synced read")).map((e) => e.process));
const invokeAt = (h: readonly HistoryEvent[], i: number) => h[i] as Extract<HistoryEvent, { type: "invoke" }>;

/** The `n` oldest acknowledged creates of the set dropped from every synced read (lost on every member). */
function dropOldestCreates(n: number): (r: RunFiles) => RunFiles {
  return (run) => {
    const r = clone(run);
    const h = r.history;
    const acked = h.filter((e): e is CompletionEvent => e.type === "ok" && invokeAt(h, e.invoke).f === "create" && invokeAt(h, e.invoke).sequential === true && invokeAt(h, e.invoke).path.startsWith(`${SET_ROOT}/`));
    const oldest = acked.sort((a, b) => a.mono - b.mono).slice(0, n).map((e) => String(invokeAt(h, e.invoke).value));
    const readers = syncedReaders(h);
    for (const e of h) {
      if (e.type !== "ok" || !readers.has(e.process) || invokeAt(h, e.invoke).f !== "children" || !Array.isArray(e.value)) continue;
      (e as unknown as Json).value = (e.value as string[]).filter((name) => !oldest.some((v) => name.includes(v)));
    }
    return r;
  };
}

/** Every named znode a synced read found, read as `value` instead (null: gone). */
function namedReadsAs(value: string | null): (r: RunFiles) => RunFiles {
  return (run) => {
    const r = clone(run);
    const readers = syncedReaders(r.history);
    for (const e of r.history) if (e.type === "ok" && readers.has(e.process) && invokeAt(r.history, e.invoke).f === "read") (e as unknown as Json).value = value;
    return r;
  };
}

/**
 * The clients' outage stretched past the RTO objective: after the longest judged outage, the workload's
 * acknowledgements for the objective's length and 2 s more become unknown outcomes.
 */
function stretchOutage(run: RunFiles): RunFiles {
  const r = clone(run);
  const objective = Number((r.events.find((e) => e.type === "run-start")?.data.objectives as Json | undefined)?.rtoMs);
  const note = r.events.find((e) => e.type === "note" && e.data.what === "recovery");
  const rows = ((note?.data.perFault ?? []) as Array<{ rtoMs: number | null; within: string | null; expectOutage: string | null; outage: { to: number } | null }>).filter((f) => f.rtoMs !== null && !f.within && !f.expectOutage && f.outage);
  if (!Number.isFinite(objective) || rows.length === 0) throw new Error("no judged outage or no RTO objective to stretch");
  const workload = new Set(r.history.filter((e) => e.type === "process" && e.role.startsWith("workload")).map((e) => e.process));
  const writes = new Set(["create", "cas", "write"]);
  for (const row of rows) {
    const from = row.outage!.to - 1;
    for (const e of r.history) {
      if (e.type === "ok" && workload.has(e.process) && writes.has(invokeAt(r.history, e.invoke).f) && e.time >= from && e.time <= from + objective + 2_000) (e as unknown as Json).type = "info";
    }
  }
  return r;
}

/** The journal's workload samples inside each throughput check's phase set to nothing acknowledged. */
function emptyPhase(run: RunFiles): RunFiles {
  const r = clone(run);
  const phases = r.events.filter((e) => e.type === "check" && e.data.kind === "throughput").map((e) => (e.data.input as { phase: { start: number; end: number } }).phase);
  for (const e of r.events) if (e.type === "sample" && phases.some((p) => Number(e.data.at) >= p.start && Number(e.data.at) < p.end)) (e.data as Json).ok = 0;
  return r;
}

/** The workload's per-second p99 in each p99-below check's window raised past its bound. */
function slowPhase(run: RunFiles): RunFiles {
  const r = clone(run);
  const windows = r.events.filter((e) => e.type === "check" && e.data.kind === "p99-below").map((e) => e.data.input as { from: number; to: number; boundMs: number });
  for (const e of r.events) {
    const w = e.type === "sample" ? windows.find((w) => Number(e.data.at) >= w.from && Number(e.data.at) < w.to) : undefined;
    if (w) (e.data as Json).p99Ms = w.boundMs * 2;
  }
  return r;
}

const NOT_VERSION = "Zookeeper version: 0.0.0-mutant, built on 1970-01-01\nMode: follower\n";

/** A mutation per check kind the catalog's headlines name. */
export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  "set-survives": { breaks: "the oldest acknowledged creates dropped from the final reads", mutate: dropOldestCreates(3) },
  "writes-lost-objective": { breaks: "the oldest acknowledged creates dropped from the final reads", mutate: dropOldestCreates(3) },
  "rpo-objective": { breaks: "the oldest acknowledged creates dropped from the final reads (a recovery point at the run's start)", mutate: dropOldestCreates(3) },
  "restored-at-backup": { breaks: "the restored znodes removed (the backup's oldest creates missing on the restored members)", mutate: dropOldestCreates(3) },
  "znodes-hold": { breaks: "the named znodes read back as gone", mutate: namedReadsAs(null) },
  "znodes-absent": { breaks: "the znodes that must be gone read back as present", mutate: namedReadsAs("mutant") },
  "rto-objective": { breaks: "the clients' outage stretched past the objective", mutate: stretchOutage },
  throughput: { breaks: "nothing acknowledged during the fault's phase", mutate: emptyPhase },
  "kafka-throughput": { breaks: "no record sent during the fault's phase", mutate: inputs("kafka-throughput", (i) => ({ ...i, windows: (i.windows as Json[]).map((w) => ({ ...w, records: 0 })) })) },
  "kafka-delivery": { breaks: "no acknowledged record read back", mutate: inputs("kafka-delivery", (i) => ({ ...i, consumed: [] })) },
  "kafka-metadata": { breaks: "every topic lost on the way to KRaft (or back)", mutate: inputs("kafka-metadata", (i) => ({ ...i, after: { ...(i.after as Json), topics: [] } })) },
  "kafka-migration-state": {
    breaks: "the migration where the drill says it is not: no copy recorded and a broker controlling when migrated, a KRaft controller still in /controller when reverted",
    mutate: inputs("kafka-migration-state", (i) => {
      const migrated = i.expect === "migrated";
      const reading = { ...(i.reading as Json), migration: null, controller: migrated ? (i.brokers as number[])[0] : (i.controllers as number[])[0], kraftControllerEpoch: migrated ? null : 7 };
      return { ...i, reading };
    }),
  },
  "kafka-controller-epoch": { breaks: "the controller epoch did not rise", mutate: inputs("kafka-controller-epoch", (i) => ({ ...i, after: i.before })) },
  "kafka-registration-expired": { breaks: "the registration vanished at the kill, before the session could expire", mutate: inputs("kafka-registration-expired", (i) => ({ ...i, vanishedAt: i.killedAt })) },
  "round-trip": { breaks: "the latency taken off the wire (the link as fast as no link)", mutate: inputs("round-trip", (i) => ({ ...i, samplesMs: i.baselineMs ?? [0.2] })) },
  "cut-holds": { breaks: "a probe answered across the cut", mutate: inputs("cut-holds", (i) => ({ ...i, probes: (i.probes as Json[]).map((p, n) => (n === 0 ? { ...p, outcome: "answered" } : p)) })) },
  "leader-in": { breaks: "no member leads", mutate: inputs("leader-in", (i) => ({ ...i, srvr: noLeader(i.srvr as Json) })) },
  roles: { breaks: "no member leads", mutate: inputs("roles", (i) => ({ ...i, srvr: noLeader(i.srvr as Json) })) },
  "quorum-lost": { breaks: "the write through the survivors was acknowledged", mutate: inputs("quorum-lost", (i) => ({ ...i, write: { outcome: "ok" } })) },
  "ruok-without-quorum": { breaks: "ruok unanswered", mutate: inputs("ruok-without-quorum", (i) => ({ ...i, ruok: Object.fromEntries(Object.keys(i.ruok as Json).map((id) => [id, ""])) })) },
  "member-answers": { breaks: "the member refused the connection", mutate: inputs("member-answers", (i) => ({ ...i, ruok: "error: ECONNREFUSED" })) },
  "dynamic-config": { breaks: "/zookeeper/config read empty", mutate: inputs("dynamic-config", (i) => ({ ...i, config: "" })) },
  "planned-quorum": { breaks: "the planner and the leader count other voters", mutate: inputs("planned-quorum", (i) => ({ ...i, voters: Number(i.voters) + 2 })) },
  "not-restarted": { breaks: "every member restarted", mutate: inputs("not-restarted", (i) => ({ ...i, after: Object.fromEntries(Object.keys(i.before as Json).map((id) => [id, "restarted"])) })) },
  "reads-served": { breaks: "the observer served no read", mutate: inputs("reads-served", (i) => ({ ...i, servedBy: {} })) },
  "epoch-rose": { breaks: "the epoch did not rise", mutate: inputs("epoch-rose", (i) => ({ ...i, after: i.before })) },
  "log-mentions": { breaks: "the member's log holds no such line", mutate: inputs("log-mentions", (i) => ({ ...i, log: "nothing of the kind\n" })) },
  "member-exited": { breaks: "the member kept running", mutate: inputs("member-exited", (i) => ({ ...i, state: "running" })) },
  "member-out-of-service": { breaks: "the member kept serving", mutate: inputs("member-out-of-service", (i) => ({ ...i, state: "running", serving: true })) },
  "run-version": { breaks: "the members run another version", mutate: inputs("run-version", (i) => ({ ...i, srvr: Object.fromEntries(Object.keys(i.srvr as Json).map((id) => [id, NOT_VERSION])) })) },
  "session-kept": { breaks: "the client was told its session expired", mutate: inputs("session-kept", (i) => ({ ...i, expired: true })) },
  "session-alive": { breaks: "the client was told its session expired", mutate: inputs("session-alive", (i) => ({ ...i, expired: true })) },
  "session-expired": { breaks: "the ephemeral was gone at the fault, before the session could expire", mutate: inputs("session-expired", (i) => ({ ...i, goneAt: i.faultAt })) },
  "read-only-serves": {
    breaks: "the read-only server accepted the write",
    mutate: inputs("read-only-serves", (i) => ({ ...i, replies: (i.replies as Json[]).map((x) => (x.op === "write" ? { ...x, outcome: "ok" } : x)) })),
  },
  "leader-held": { breaks: "another epoch after the fault", mutate: inputs("leader-held", (i) => ({ ...i, after: { ...(i.after as Json), epoch: Number((i.after as Json).epoch) + 1 } })) },
  "fsync-slow": { breaks: "the member's log without its fsync warning", mutate: inputs("fsync-slow", (i) => ({ ...i, log: String(i.log).replace(/fsync-ing the write ahead log/g, "wrote the log") })) },
  "p99-below": { breaks: "the clients' p99 in the phase twice the bound", mutate: slowPhase },
  "clock-moved": { breaks: "the mtime showed no offset", mutate: inputs("clock-moved", (i) => ({ ...i, seenSeconds: 0 })) },
};
