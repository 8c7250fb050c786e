// Writes the history as it happens: history.jsonl beside the journal, one event a line, buffered a
// moment and flushed in order. Its SHA-256 over every byte so far is what the journal anchors
// (checkpoints while the run goes, the whole file at the end), so a cut or an edit anywhere shows.
import { createHash, Hash } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import type { CompletionEvent, HistoryEvent, InvokeEvent, OpKind, ProcessId } from "./model";

/** The journal's record of the history so far: its line count and the SHA-256 of those lines. */
export interface HistoryAnchor {
  readonly file: string;
  readonly lines: number;
  readonly bytes: number;
  readonly sha256: string;
}

const FLUSH_MS = 100;
const FLUSH_LINES = 512;

/** Monotonic milliseconds with microseconds, shared by the history and the journal's faults. */
export const monoNow = (): number => Math.round(performance.now() * 1000) / 1000;

export interface InvokeFields {
  readonly value?: string;
  readonly prev?: string | null;
  readonly version?: number;
  readonly sequential?: boolean;
  readonly ephemeral?: boolean;
  readonly syncedBy?: number;
}

export type CompletionFields = Omit<CompletionEvent, "type" | "process" | "invoke" | "time" | "mono">;

export class HistoryRecorder {
  /** Every event in order, for the checks at the end of the run. */
  readonly events: HistoryEvent[] = [];
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private buffer: string[] = [];
  private bytes = 0;
  private lines = 0;
  private nextProcess = 1;
  private writes = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;

  /** `nonce` makes every value written in this run unique against data from any other run. */
  constructor(
    readonly path: string,
    readonly nonce: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A new process (one client session): who it is and the members it may talk to. */
  process(role: string, members: readonly number[]): ProcessId {
    const process = this.nextProcess++;
    this.append({ type: "process", process, role, members: [...members], time: Date.now(), mono: monoNow() });
    return process;
  }

  /** The session id a process got (recorded once it is known). */
  session(process: ProcessId, role: string, members: readonly number[], session: string): void {
    this.append({ type: "process", process, role, members: [...members], session, time: Date.now(), mono: monoNow() });
  }

  /** A value no other write of any run carries (the run's nonce, the process, a counter). */
  uniqueValue(process: ProcessId): string {
    return `${this.nonce}.${process}.${++this.writes}`;
  }

  /** Records an invoke; returns its line index, which the completion names. */
  invoke(process: ProcessId, f: OpKind, path: string, fields: InvokeFields = {}): number {
    const e: InvokeEvent = { type: "invoke", process, f, path, ...fields, time: Date.now(), mono: monoNow() };
    return this.append(e);
  }

  complete(process: ProcessId, invoke: number, type: CompletionEvent["type"], fields: CompletionFields = {}): void {
    this.append({ type, process, invoke, ...fields, time: Date.now(), mono: monoNow() });
  }

  private append(e: HistoryEvent): number {
    // After close (a late answer to a workload call) nothing is written: the anchor is final.
    if (this.closed) return -1;
    const index = this.lines++;
    this.events.push(e);
    const line = JSON.stringify(e) + "\n";
    this.buffer.push(line);
    if (this.buffer.length >= FLUSH_LINES) this.flush();
    return index;
  }

  /** Writes what is buffered; the hash covers exactly the bytes on disk. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    writeSync(this.fd, chunk);
    this.hash.update(chunk);
    this.bytes += Buffer.byteLength(chunk);
  }

  /** Flushes and returns the anchor for the journal. */
  anchor(): HistoryAnchor {
    this.flush();
    return { file: "history.jsonl", lines: this.lines, bytes: this.bytes, sha256: this.hash.copy().digest("hex") };
  }

  /** The final anchor; nothing is recorded after it. Idempotent. */
  close(): HistoryAnchor {
    if (this.closed) return this.finalAnchor!;
    const a = this.anchor();
    this.closed = true;
    clearInterval(this.timer);
    closeSync(this.fd);
    this.finalAnchor = a;
    return a;
  }

  private finalAnchor?: HistoryAnchor;
}
