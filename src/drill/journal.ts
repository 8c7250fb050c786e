// The append-only journal: the single source of truth of a run (Jepsen's history, Chaos Toolkit's
// journal). Each line carries the hash of the one before, so an edit anywhere breaks the chain.
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export type EventType =
  | "run-start"
  | "step-start"
  | "step-end"
  | "fault"
  | "check"
  | "sample"
  | "phase"
  | "note"
  | "run-end";

export interface JournalEvent {
  readonly seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly ts: string;
  readonly type: EventType;
  readonly data: Record<string, unknown>;
  /** SHA-256 of the previous line ("" for the first). */
  readonly prev: string;
}

export const GENESIS = "";

export function lineHash(line: string): string {
  return createHash("sha256").update(line).digest("hex");
}

export class Journal {
  private seq = 0;
  private prev = GENESIS;
  private closed = false;
  readonly events: JournalEvent[] = [];

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(type: EventType, data: Record<string, unknown>): JournalEvent {
    if (this.closed) throw new Error(`journal ${this.path} is closed; nothing may be appended after run-end`);
    const event: JournalEvent = { seq: this.seq++, ts: new Date().toISOString(), type, data, prev: this.prev };
    const line = JSON.stringify(event, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
    // Written line by line, synchronously: a run killed mid-way still leaves every line it made.
    appendFileSync(this.path, line + "\n");
    this.prev = lineHash(line);
    this.events.push(JSON.parse(line) as JournalEvent);
    if (type === "run-end") this.closed = true;
    return event;
  }

  get isClosed(): boolean {
    return this.closed;
  }
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
