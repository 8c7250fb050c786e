// Histories written by hand, for unit tests and benches: say each operation's call and return
// times and outcome; the builder lays out invoke and completion lines in time order, as a run would.
import type { CompletionEvent, HistoryEvent, InvokeEvent, OpKind, ProcessId } from "./model";
import { operations } from "./model";

export interface PlannedOp {
  readonly process: ProcessId;
  readonly f: OpKind;
  readonly path: string;
  readonly call: number;
  /** Omitted: never completed (info at the end of the history). */
  readonly ret?: number;
  readonly outcome?: "ok" | "fail" | "info";
  /** Invoke fields (value written, expected version, prev, sequential, syncedBy as an op handle). */
  readonly value?: string;
  readonly version?: number;
  readonly prev?: string | null;
  readonly sequential?: boolean;
  readonly ephemeral?: boolean;
  readonly syncedBy?: OpHandle;
  /** Completion fields. */
  readonly result?: Partial<Omit<CompletionEvent, "type" | "process" | "invoke" | "time" | "mono">>;
}

/** A planned operation; its invoke index is known once the history is built. */
export interface OpHandle {
  readonly n: number;
}

export class HistoryBuilder {
  private readonly planned: PlannedOp[] = [];
  private readonly processes: Array<{ process: ProcessId; role: string; members: number[]; session: string }> = [];

  process(process: ProcessId, role = `process ${process}`, members: number[] = [1, 2, 3], session = `0xs${process}`): ProcessId {
    this.processes.push({ process, role, members, session });
    return process;
  }

  op(p: PlannedOp): OpHandle {
    this.planned.push(p);
    return { n: this.planned.length - 1 };
  }

  events(): HistoryEvent[] {
    type Line = { t: number; order: number; make: (index: (n: number) => number) => HistoryEvent; n?: number; invokeOf?: number };
    const lines: Line[] = this.processes.map((p, i) => ({ t: -Infinity, order: i, make: () => ({ type: "process", ...p, time: 0, mono: 0 }) }));
    this.planned.forEach((p, n) => {
      lines.push({
        t: p.call,
        order: lines.length,
        n,
        make: (index) => {
          const e: InvokeEvent = {
            type: "invoke",
            process: p.process,
            f: p.f,
            path: p.path,
            ...(p.value !== undefined ? { value: p.value } : {}),
            ...(p.version !== undefined ? { version: p.version } : {}),
            ...(p.prev !== undefined ? { prev: p.prev } : {}),
            ...(p.sequential ? { sequential: true } : {}),
            ...(p.ephemeral ? { ephemeral: true } : {}),
            ...(p.syncedBy ? { syncedBy: index(p.syncedBy.n) } : {}),
            time: 1_000_000 + p.call,
            mono: p.call,
          };
          return e;
        },
      });
      if (p.ret !== undefined) {
        lines.push({
          t: p.ret,
          order: lines.length,
          invokeOf: n,
          make: (index) => ({ type: p.outcome ?? "ok", process: p.process, invoke: index(n), ...(p.result ?? {}), time: 1_000_000 + p.ret!, mono: p.ret! }) as CompletionEvent,
        });
      }
    });
    lines.sort((a, b) => a.t - b.t || a.order - b.order);
    const at = new Map<number, number>();
    lines.forEach((l, i) => l.n !== undefined && at.set(l.n, i));
    return lines.map((l) => l.make((n) => at.get(n)!));
  }

  ops() {
    return operations(this.events());
  }
}
