import { expect } from "chai";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as tar from "tar";
import { variantRun } from "../../test/support/runs";
import { REPORT_FORMATS, verifyReportDir, writeReports } from ".";
import { packRunFolder } from "./archive";

const NO_PDF = REPORT_FORMATS.filter((f) => f !== "pdf");

async function renderedRun(): Promise<string> {
  const dir = variantRun({}, join(mkdtempSync(join(tmpdir(), "zkdrill-pack-")), "quickstart-run"));
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "logs", "zk1.log"), "a member log\n");
  await writeReports(dir, NO_PDF);
  return dir;
}

describe("run folder archive (report pack / verify)", () => {
  it("packs deterministically: the same folder, anywhere, any time, gives the same SHA-256", async () => {
    const dir = await renderedRun();
    const a = await packRunFolder(dir);
    expect(a.archive).to.equal(`${dir}.tar.gz`);
    expect(a.sha256).to.match(/^[0-9a-f]{64}$/);
    // A copy elsewhere (new inodes, new mtimes) with the same folder name.
    const copy = join(mkdtempSync(join(tmpdir(), "zkdrill-pack-copy-")), "quickstart-run");
    cpSync(dir, copy, { recursive: true });
    const b = await packRunFolder(copy, join(tmpdir(), `zkdrill-pack-${process.pid}.tar.gz`));
    expect(b.sha256).to.equal(a.sha256);
    // Entries sorted, one top folder, owner 0, mtimes the run's start.
    const entries: Array<{ path: string; mtime: number; uid: number; mode: number }> = [];
    tar.t({ file: a.archive, sync: true, onReadEntry: (e) => entries.push({ path: e.path, mtime: e.mtime?.getTime() ?? -1, uid: e.uid ?? -1, mode: e.mode ?? -1 }) });
    expect(entries.map((e) => e.path)).to.deep.equal(["quickstart-run/", ...["SHA256SUMS", "history.jsonl", "journal.jsonl", "junit.xml", "logs/", "logs/zk1.log", "metrics.prom", "report.html", "report.json", "report.md"].map((p) => `quickstart-run/${p}`)]);
    expect(new Set(entries.map((e) => e.mtime))).to.deep.equal(new Set([Date.parse("2026-11-23T10:27:41.000Z")]));
    expect(entries.every((e) => e.uid === 0 && (e.mode === 0o644 || e.mode === 0o755))).to.equal(true);
    const gz = readFileSync(a.archive);
    expect(gz.readUInt32LE(4), "gzip header time").to.equal(0);
    expect(gunzipSync(gz).length % 512).to.equal(0);
  });

  it("verify takes the archive as it takes the folder, and names the archive's SHA-256", async () => {
    const { archive, sha256 } = await packRunFolder(await renderedRun());
    const v = verifyReportDir(archive);
    expect(v).to.include({ ok: true, archiveSha256: sha256, filesChecked: 8 });
  });

  it("a doctored file inside the archive fails verification, named against the archive", async () => {
    const dir = await renderedRun();
    writeFileSync(join(dir, "logs", "zk1.log"), "edited\n");
    const { archive } = await packRunFolder(dir);
    const v = verifyReportDir(archive);
    expect(v.ok).to.equal(false);
    expect(v.problems.join("\n")).to.include("logs/zk1.log: SHA-256 differs");
  });

  it("refuses links in an archive, and says what a non-archive is", async () => {
    const dir = await renderedRun();
    symlinkSync("/etc/hostname", join(dir, "link"));
    const out = join(mkdtempSync(join(tmpdir(), "zkdrill-evil-")), "evil.tar.gz");
    tar.c({ file: out, gzip: true, sync: true, cwd: join(dir, ".."), portable: true }, ["quickstart-run"]);
    const v = verifyReportDir(out);
    expect(v.ok).to.equal(false);
    expect(v.problems[0]).to.match(/^archive: quickstart-run\/link: a SymbolicLink entry/);

    const junk = join(mkdtempSync(join(tmpdir(), "zkdrill-junk-")), "junk.tar.gz");
    writeFileSync(junk, "not gzip");
    expect(() => verifyReportDir(junk)).to.throw(/junk\.tar\.gz is not a readable \.tar\.gz .*give an archive `zkdrill report pack` wrote/);
  });
});
