// Run folders for report tests, made from the recorded quickstart run (no containers): the same
// journal re-chained with a change (a record, other objectives, another date, another drill name), so
// each still verifies; or doctored on purpose (a check turned, an RTO made worse), so it does not.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENESIS, JournalEvent, lineHash } from "../../src/journal/journal";
import type { RecordInput } from "../../src/report";

export const QUICKSTART = join(__dirname, "..", "fixtures", "runs", "quickstart");

export interface RunVariant {
  readonly record?: RecordInput;
  readonly objectives?: Readonly<Record<string, number>>;
  /** Every event's time moved by this many days (the figures stay: they are measured on the monotonic clock). */
  readonly shiftDays?: number;
  readonly drill?: string;
  /** The drill's declared headline outcome (the fixture predates headlines). */
  readonly headline?: { readonly outcome: string; readonly checks: readonly string[] };
  readonly runId?: string;
  readonly zookeeperVersion?: string;
  /** A known-bug drill's issue as run-start declares it (with its `run`: version and stance). */
  readonly knownBug?: Readonly<Record<string, unknown>>;
  readonly gitCommit?: string;
  /** Doctored, so the folder no longer verifies: these checks (by index) recorded as failed. */
  readonly failChecks?: readonly number[];
  /** Doctored: these checks recorded as inconclusive. */
  readonly inconclusiveChecks?: readonly number[];
  /** Doctored: every fault's recorded recovery time replaced by this figure. */
  readonly rtoMs?: number;
  /** Doctored: the run ends without run-end (killed). */
  readonly noEnd?: boolean;
}

function change(e: JournalEvent, v: RunVariant, checkIndex: number): Record<string, unknown> {
  const data: Record<string, unknown> = { ...e.data };
  if (e.type === "run-start") {
    if (v.record) data.record = v.record;
    if (v.objectives) data.objectives = { ...(data.objectives as object), ...v.objectives };
    if (v.drill) data.drill = v.drill;
    if (v.headline) data.headline = v.headline;
    if (v.runId) data.runId = v.runId;
    if (v.zookeeperVersion) data.zookeeperVersion = v.zookeeperVersion;
    if (v.knownBug) data.knownBug = v.knownBug;
    if (v.gitCommit) data.audit = { ...(data.audit as object), gitCommit: v.gitCommit };
  }
  if (e.type === "check" && v.failChecks?.includes(checkIndex)) Object.assign(data, { status: "failed", summary: `doctored: ${String(data.summary)}` });
  if (e.type === "check" && v.inconclusiveChecks?.includes(checkIndex)) Object.assign(data, { status: "inconclusive", summary: `inconclusive: doctored` });
  if (e.type === "run-end" && v.failChecks?.length) data.status = "failed";
  if (e.type === "note" && e.data.what === "recovery" && v.rtoMs !== undefined) {
    data.perFault = (data.perFault as Array<Record<string, unknown>>).map((f) => ({ ...f, rtoMs: v.rtoMs }));
  }
  return data;
}

/** A run folder (journal.jsonl re-chained, history.jsonl as recorded), not yet rendered. */
export function variantRun(v: RunVariant = {}, dir = mkdtempSync(join(tmpdir(), "zkdrill-variant-"))): string {
  mkdirSync(dir, { recursive: true });
  const shift = (v.shiftDays ?? 0) * 86_400_000;
  let prev = GENESIS;
  let checks = 0;
  const lines: string[] = [];
  for (const line of readFileSync(join(QUICKSTART, "journal.jsonl"), "utf8").split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as JournalEvent;
    if (e.type === "run-end" && v.noEnd) break;
    const data = change(e, v, e.type === "check" ? checks++ : -1);
    const out = JSON.stringify({ seq: e.seq, ts: new Date(Date.parse(e.ts) + shift).toISOString(), mono: e.mono, type: e.type, data, prev });
    lines.push(out);
    prev = lineHash(out);
  }
  writeFileSync(join(dir, "journal.jsonl"), lines.join("\n") + "\n");
  copyFileSync(join(QUICKSTART, "history.jsonl"), join(dir, "history.jsonl"));
  return dir;
}
