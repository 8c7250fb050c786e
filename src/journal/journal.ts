// The append-only journal: the single source of truth of a run (Jepsen's history, Chaos Toolkit's
// journal). Each line carries the hash of the one before, so an edit anywhere breaks the chain.
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";

export type EventType =
  | "run-start"
  | "step-start"
  | "step-end"
  /** A fault begins (kill, stop, pause, start, restart, rewrite, partition, heal, restore, promotion). */
  | "fault"
  | "fault-end"
  /** A runbook step that starts a new lineage (a new ensemble from what survived). */
  | "lineage"
  | "check"
  /** A measured figure ZooKeeper does not guarantee, stated with a severity. */
  | "finding"
  | "sample"
  /** A figure of another series than the ZooKeeper workload's samples (Kafka's producer perf tool lines). */
  | "metric"
  | "phase"
  /** The history so far: its line count and SHA-256 (the history is anchored here). */
  | "history"
  /** An election a member logged ("LEADER ELECTION TOOK - N MS"). */
  | "election"
  /** Another moment a member logged that a figure is read from (a leader serving: the RTO's parts). */
  | "zk-log"
  /** A rollback the runner ran (heal, start what was stopped), whatever the outcome. */
  | "rollback"
  | "note"
  | "run-end";

export interface JournalEvent {
  readonly seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly ts: string;
  /** Monotonic ms (the history's clock), to order events against client operations. */
  readonly mono?: number;
  readonly type: EventType;
  readonly data: Record<string, unknown>;
  /** SHA-256 of the previous line ("" for the first). */
  readonly prev: string;
}

export const GENESIS = "";

export function lineHash(line: string): string {
  return createHash("sha256").update(line).digest("hex");
}

export interface JournalClock {
  /** Ms since the epoch. */
  wall(): number;
  /** Monotonic ms (the history's clock). */
  mono(): number;
}

const REAL_CLOCK: JournalClock = { wall: () => Date.now(), mono: () => performance.now() };

export class Journal {
  private seq = 0;
  private prev = GENESIS;
  private closed = false;
  private readonly listeners: Array<(e: JournalEvent) => void> = [];
  readonly events: JournalEvent[] = [];

  /** `clock`: the wall and monotonic time each line carries (a generated run's journal keeps its simulated time). */
  constructor(
    readonly path: string,
    private readonly clock: JournalClock = REAL_CLOCK,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(type: EventType, data: Record<string, unknown>): JournalEvent {
    if (this.closed) throw new Error(`journal ${this.path} is closed; nothing may be appended after run-end`);
    const event: JournalEvent = { seq: this.seq++, ts: new Date(this.clock.wall()).toISOString(), mono: Math.round(this.clock.mono() * 1000) / 1000, type, data, prev: this.prev };
    const line = JSON.stringify(event, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
    // Written line by line, synchronously: a run killed mid-way still leaves every line it made.
    appendFileSync(this.path, line + "\n");
    this.prev = lineHash(line);
    const written = JSON.parse(line) as JournalEvent;
    this.events.push(written);
    if (type === "run-end") this.closed = true;
    // What watches the run live (the metrics endpoint) hears each line once written; it never breaks the journal.
    for (const fn of this.listeners) {
      try {
        fn(written);
      } catch {
        // A listener's failure is its own: the journal is the run's record and goes on.
      }
    }
    return event;
  }

  /** Called with every event once it is written (the live metrics endpoint). */
  onAppend(fn: (e: JournalEvent) => void): void {
    this.listeners.push(fn);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** For what may still unwind after the run ended (a step interrupted mid-way): recorded while open, dropped after. */
  appendIfOpen(type: EventType, data: Record<string, unknown>): JournalEvent | undefined {
    return this.closed ? undefined : this.append(type, data);
  }

  /** The SHA-256 of the last line written: with the line count, the journal's tail anchor. */
  get lastHash(): string {
    return this.prev;
  }
}

/** The journal's tail: report.json carries it, so a journal cut after any line no longer matches. */
export interface JournalAnchor {
  readonly lines: number;
  readonly lastHash: string;
}

export function anchorOf(path: string): JournalAnchor {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
  return { lines: lines.length, lastHash: lines.length ? lineHash(lines[lines.length - 1]) : GENESIS };
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly lines: number;
  readonly problem?: string;
}

/** Checks the hash chain and the sequence of a journal file. */
export function verifyJournal(path: string): VerifyResult {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    let e: JournalEvent;
    try {
      e = JSON.parse(lines[i]) as JournalEvent;
    } catch {
      return { ok: false, lines: lines.length, problem: `line ${i + 1} is not JSON` };
    }
    if (e.seq !== i) return { ok: false, lines: lines.length, problem: `line ${i + 1} has seq ${e.seq}, expected ${i} (a line was removed or inserted)` };
    if (e.prev !== prev) return { ok: false, lines: lines.length, problem: `line ${i + 1} does not chain to line ${i} (line ${i} was edited)` };
    prev = lineHash(lines[i]);
  }
  return { ok: true, lines: lines.length };
}

export function readJournal(path: string): JournalEvent[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JournalEvent);
}
