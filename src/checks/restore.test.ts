// P3's headline: the restore holds what the backup held (to its zxid), nothing written after it, no hole.
import { expect } from "chai";
import { HistoryBuilder } from "../history/builder";
import { restoredAtBackup, RestoreInput } from "./restore";

const SET = "/config/changes/b0000";
const BACKUP = { member: 2, zxid: "0x100000003", startedMono: 50, endedMono: 60, startedAt: 1_000_050 };

/** Creates a..f acknowledged at zxids 0x100000001.. (a, b, c at or below the backup's zxid; e, f invoked after the copy). */
function history(restored: string[], after: Record<string, string | null> = {}) {
  const h = new HistoryBuilder();
  h.process(1, "workload");
  const zx = (n: number) => `0x10000000${n}`;
  const creates: Array<[string, number, number]> = [["a", 0, 1], ["b", 10, 2], ["c", 20, 3], ["d", 55, 4], ["e", 70, 5], ["f", 80, 6]];
  for (const [v, call, n] of creates) {
    h.op({ process: 1, f: "create", path: `${SET}/config_change_${v}_`, value: v, sequential: true, call, ret: call + 2, result: { created: `${SET}/config_change_${v}_000000000${n}`, serverZxid: zx(n) } });
  }
  h.process(2, "synced read on member 4", [4]);
  const sync = h.op({ process: 2, f: "write", path: "/zkdrill/sync/m4", value: "s", call: 200, ret: 201, result: { version: 1 } });
  h.op({ process: 2, f: "children", path: "/config/changes", syncedBy: sync, call: 202, ret: 203, result: { value: ["b0000"] } });
  h.op({ process: 2, f: "children", path: SET, syncedBy: sync, call: 204, ret: 205, result: { value: restored.map((v) => `config_change_${v}_0000000001`) } });
  let t = 206;
  for (const [path, value] of Object.entries(after)) h.op({ process: 2, f: "read", path, syncedBy: sync, call: t++, ret: t++, result: { value } });
  return { ops: h.ops(), input: (extra: Partial<RestoreInput> = {}): RestoreInput => ({ backup: BACKUP, reads: [{ member: 4, process: 2 }], ...extra }) };
}

describe("restoredAtBackup (P3's headline)", () => {
  it("passes when the restore holds a prefix up to at least the backup's zxid and nothing invoked after the copy", () => {
    const { ops, input } = history(["a", "b", "c", "d"]);
    const r = restoredAtBackup(ops, input());
    expect(r.status, r.summary).to.equal("passed");
    expect(r.summary).to.include("recovery point zxid 0x100000004");
  });

  it("fails when a create acknowledged at or below the backup's zxid is missing", () => {
    const { ops, input } = history(["a", "c"]);
    const r = restoredAtBackup(ops, input());
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/1 create\(s\) acknowledged at or below 0x100000003 missing \(.*config_change_b/);
  });

  it("fails when nothing at all was restored (an empty backup that started an empty ensemble)", () => {
    const { ops, input } = history([]);
    expect(restoredAtBackup(ops, input()).status).to.equal("failed");
  });

  it("fails when a write invoked after the copy ended is there, or a named znode written after the backup", () => {
    const { ops, input } = history(["a", "b", "c", "d", "e"]);
    expect(restoredAtBackup(ops, input()).summary).to.match(/invoked after the backup restored/);
    const h = new HistoryBuilder();
    h.process(9, "drill");
    h.op({ process: 9, f: "create", path: "/written-after-the-backup", value: "w", call: 65, ret: 66, result: { serverZxid: "0x100000009" } });
    const named = history(["a", "b", "c"], { "/written-after-the-backup": "w" });
    const ops2 = [...named.ops, ...h.ops().map((op) => ({ ...op, id: op.id + 10_000 }))];
    const r = restoredAtBackup(ops2, named.input({ after: ["/written-after-the-backup"] }));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("/written-after-the-backup written after the backup, present");
  });

  it("fails on a hole: a create below the highest zxid restored is missing (not one moment's copy)", () => {
    const { ops, input } = history(["a", "b", "c", "e"]);
    const r = restoredAtBackup(ops, input({ backup: { ...BACKUP, endedMono: 75 } }));
    expect(r.status).to.equal("failed");
    expect(r.summary).to.match(/below the restored zxid 0x100000005 missing \(.*config_change_d/);
  });

  it("judges only the old ensemble's writes: what the restored ensemble takes after the restore began is its own", () => {
    const { ops, input } = history(["a", "b", "c", "d", "f"]);
    expect(restoredAtBackup(ops, input()).status).to.equal("failed");
    // e was the old ensemble's after the copy (absent: right); f was invoked after the restore began at 75: the new ensemble's.
    expect(restoredAtBackup(ops, input({ until: 75 })).status).to.equal("passed");
  });

  it("is inconclusive without a read, without a create at the backup, or with nothing written after it", () => {
    const { ops, input } = history(["a", "b", "c"]);
    expect(restoredAtBackup(ops, input({ reads: [] })).status).to.equal("inconclusive");
    expect(restoredAtBackup(ops, input({ backup: { ...BACKUP, zxid: "0x0" } })).summary).to.match(/nothing proves the backup was restored/);
    expect(restoredAtBackup(ops, input({ backup: { ...BACKUP, endedMono: 1_000 } })).summary).to.match(/nothing proves later writes are not restored/);
  });
});
