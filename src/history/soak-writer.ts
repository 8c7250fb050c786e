// history.jsonl as a generated history writes it: events pushed out of order within a small jitter (calls
// and returns of concurrent lanes interleave), written in monotonic order with the line indexes completions
// name, and hashed as HistoryRecorder hashes them (the journal's anchor).
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import type { HistoryEvent } from "./model";
import type { HistoryAnchor } from "./recorder";

/** An event to write at `mono`; `invoke` learns its line, `completes` names the invoke's. */
export interface Pending {
  readonly mono: number;
  readonly seq: number;
  readonly event: HistoryEvent;
  readonly invoke?: { line: number };
  readonly completes?: { line: number };
}

/** Events in monotonic order (a min-heap: calls and returns interleave within the jitter), written and hashed. */
export class SoakWriter {
  private readonly heap: Pending[] = [];
  private seq = 0;
  private lines = 0;
  private bytes = 0;
  private chunk: string[] = [];
  private readonly hash = createHash("sha256");
  private readonly fd: number;

  /** `wallAtZero`: the wall clock (ms since the epoch) at monotonic 0. */
  constructor(
    readonly path: string,
    private readonly wallAtZero: number,
  ) {
    this.fd = openSync(path, "w");
  }

  push(p: Omit<Pending, "seq">): void {
    const h = this.heap;
    h.push({ ...p, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(h[i], h[up])) break;
      [h[i], h[up]] = [h[up], h[i]];
      i = up;
    }
  }

  /** The line the next invoke pushed will get, when nothing is pending (the sync write's, for syncedBy). */
  lineOfNextInvoke(): number {
    this.flushBefore(Infinity);
    return this.lines;
  }

  flushBefore(mono: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0].mono < mono) {
      const top = h[0];
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const [l, r] = [2 * i + 1, 2 * i + 2];
          let m = i;
          if (l < h.length && before(h[l], h[m])) m = l;
          if (r < h.length && before(h[r], h[m])) m = r;
          if (m === i) break;
          [h[i], h[m]] = [h[m], h[i]];
          i = m;
        }
      }
      this.write(top);
    }
  }

  private write(p: Pending): void {
    const e = p.event as { time: number; mono: number; invoke?: number };
    e.mono = Math.round(p.mono * 1000) / 1000;
    e.time = this.wallAtZero + Math.floor(e.mono);
    if (p.completes) e.invoke = p.completes.line;
    if (p.invoke) p.invoke.line = this.lines;
    this.lines++;
    this.chunk.push(JSON.stringify(e) + "\n");
    if (this.chunk.length >= 4096) this.flushChunk();
  }

  private flushChunk(): void {
    const text = this.chunk.join("");
    this.chunk = [];
    writeSync(this.fd, text);
    this.hash.update(text);
    this.bytes += Buffer.byteLength(text);
  }

  close(): HistoryAnchor {
    this.flushChunk();
    closeSync(this.fd);
    return { file: "history.jsonl", lines: this.lines, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

const before = (a: Pending, b: Pending): boolean => a.mono < b.mono || (a.mono === b.mono && a.seq < b.seq);
