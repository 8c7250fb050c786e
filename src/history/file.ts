// Reading history.jsonl back, and proving it is the one the run wrote: each anchor the journal holds
// (line count, byte count, SHA-256 of that prefix) must match, and the last one must cover the file.
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import type { HistoryEvent } from "./model";
import type { HistoryAnchor } from "./recorder";

export function readHistory(path: string): HistoryEvent[] {
  if (!existsSync(path)) return [];
  return parseHistory(readFileSync(path, "utf8"));
}

export function parseHistory(text: string): HistoryEvent[] {
  // A process killed mid-write may leave a last line without its newline: it was never anchored.
  const whole = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  return whole
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l, i) => {
      try {
        return JSON.parse(l) as HistoryEvent;
      } catch {
        throw new Error(`history.jsonl line ${i + 1} is not JSON`);
      }
    });
}

/**
 * Problems with the history against its anchors (empty: it is the file the run wrote). `final`: the
 * run ended normally, so its last anchor must cover every byte (nothing cut, nothing appended).
 */
export function verifyHistory(path: string, anchors: readonly HistoryAnchor[], final: boolean): string[] {
  if (anchors.length === 0) return existsSync(path) ? ["history.jsonl exists but the journal anchors none of it"] : [];
  if (!existsSync(path)) return ["history.jsonl is missing, but the journal anchors it"];
  const size = statSync(path).size;
  const problems: string[] = [];
  // One pass, a chunk at a time: the hash grows through the file, and each anchor is checked where it points.
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  try {
    for (const a of [...anchors].sort((x, y) => x.bytes - y.bytes)) {
      if (a.bytes > size) {
        problems.push(`history.jsonl: the journal anchors ${a.bytes} bytes (${a.lines} lines) but the file has ${size}: it was cut`);
        continue;
      }
      while (at < a.bytes) {
        const n = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, a.bytes - at), at);
        if (n === 0) break;
        hash.update(chunk.subarray(0, n));
        at += n;
      }
      if (hash.copy().digest("hex") !== a.sha256) problems.push(`history.jsonl: its first ${a.lines} lines do not match the SHA-256 the journal anchored: it was edited`);
    }
  } finally {
    closeSync(fd);
  }
  const last = anchors[anchors.length - 1];
  if (final && last.bytes !== size) problems.push(`history.jsonl: ${size - last.bytes} byte(s) after the final anchor: lines were added after the run`);
  return problems;
}

const CHUNK_BYTES = 4 << 20;
