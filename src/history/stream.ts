// history.jsonl read back as operations, streamed: the file is read a chunk at a time and each invoke is paired
// with its completion as the lines go by, so a soak's million operations never exist as events too (an array
// of 2.5 million parsed lines and the whole text cost gigabytes). The result is operations(readHistory(path)).
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { CompletionEvent, HistoryEvent, InvokeEvent, Operation, ProcessEvent } from "./model";

/** A history as the checks take it: its operations in invoke order, and the processes it declared. */
export interface RecordedHistory {
  readonly ops: readonly Operation[];
  readonly processes: readonly ProcessEvent[];
  readonly lines: number;
}

const CHUNK_BYTES = 4 << 20;

/** Every line of the file that ends in a newline, parsed, to `each` (a last line without one was never anchored). */
export function eachHistoryLine(path: string, each: (e: HistoryEvent, line: number) => void): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let line = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
        if (end > start) {
          let e: HistoryEvent;
          try {
            e = JSON.parse(text.slice(start, end)) as HistoryEvent;
          } catch {
            throw new Error(`history.jsonl line ${line + 1} is not JSON`);
          }
          each(e, line++);
        }
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
  return line;
}

/** The operations of history.jsonl (see operations() in model.ts: the same pairing, the same errors), streamed. */
export function readOperations(path: string): RecordedHistory {
  const ops: Operation[] = [];
  const processes: ProcessEvent[] = [];
  const open = new Map<number, Mutable<Operation>>();
  const busy = new Map<number, number>();
  // One string per path: a soak's million operations name a few hundred thousand paths.
  const paths = new Map<string, string>();
  const lines = eachHistoryLine(path, (e, index) => {
    if (e.type === "process") {
      processes.push(e);
      return;
    }
    if (e.type === "invoke") {
      const at = busy.get(e.process);
      if (at !== undefined) throw new Error(`history line ${index}: process ${e.process} invokes while its operation at line ${at} is still open`);
      busy.set(e.process, index);
      let p = paths.get(e.path);
      if (p === undefined) paths.set(e.path, (p = e.path));
      const op = invoked(e, index, p);
      open.set(index, op);
      ops.push(op);
      return;
    }
    const op = open.get(e.invoke);
    if (!op) throw new Error(`history line ${index}: ${e.type} completes line ${e.invoke}, which is not an open invoke`);
    if (op.process !== e.process) throw new Error(`history line ${index}: completes line ${e.invoke} of process ${op.process} from process ${e.process}`);
    open.delete(e.invoke);
    busy.delete(e.process);
    complete(op, e);
  });
  return { ops, processes, lines };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The operation as its invoke leaves it: unknown (info) until a completion says otherwise. Every field present: one shape. */
function invoked(inv: InvokeEvent, id: number, path: string): Mutable<Operation> {
  return {
    id,
    process: inv.process,
    f: inv.f,
    path,
    outcome: "info",
    value: inv.f === "read" || inv.f === "children" || inv.f === "exists" ? undefined : inv.value,
    expectedVersion: inv.version,
    version: undefined,
    zxid: undefined,
    serverZxid: undefined,
    created: undefined,
    sequential: inv.sequential,
    ephemeral: inv.ephemeral,
    syncedBy: inv.syncedBy,
    prev: inv.prev,
    server: undefined,
    error: undefined,
    call: inv.mono,
    ret: Infinity,
    calledAt: inv.time,
    returnedAt: null,
  };
}

function complete(op: Mutable<Operation>, c: CompletionEvent): void {
  op.outcome = c.type;
  if (op.f === "read" || op.f === "children" || op.f === "exists") op.value = c.value;
  op.version = c.version;
  op.zxid = c.zxid;
  op.serverZxid = c.serverZxid;
  op.created = c.created;
  op.server = c.server;
  op.error = c.error;
  op.ret = c.type === "info" ? Infinity : c.mono;
  op.returnedAt = c.time;
}
