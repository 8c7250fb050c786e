import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { variantRun } from "../../test/support/runs";
import { REPORT_FORMATS, writeReports } from "../report";
import { trendCommand } from "./trend";

/** Runs `zkdrill trend ...args` in-process; its printed lines and the exit code it set. */
async function trend(args: string[]): Promise<{ out: string[]; code: number | undefined; error?: Error }> {
  const out: string[] = [];
  const log = console.log;
  const before = process.exitCode;
  console.log = (line: string) => out.push(line);
  try {
    await trendCommand().exitOverride().parseAsync([...args, "--quiet"], { from: "user" });
    return { out, code: process.exitCode === undefined ? undefined : Number(process.exitCode) };
  } catch (err) {
    return { out, code: undefined, error: err as Error };
  } finally {
    console.log = log;
    process.exitCode = before;
  }
}

describe("zkdrill trend", () => {
  it("writes history.md, .html and .json; exits 1 when a drill is overdue, naming it", async () => {
    const root = mkdtempSync(join(tmpdir(), "zkdrill-history-cli-"));
    await writeReports(variantRun({}, join(root, "quickstart")), REPORT_FORMATS.filter((f) => f !== "pdf"));
    const out = join(root, "site");
    const late = await trend([root, "--out", out, "--today", "2027-01-15"]);
    expect(late.code).to.equal(1);
    expect(late.out.join("\n")).to.include("flag: not run for 53 days (last 2026-11-23");
    for (const f of ["history.md", "history.html", "history.json"]) expect(existsSync(join(out, f)), f).to.equal(true);
    expect(JSON.parse(readFileSync(join(out, "history.json"), "utf8")).flagged).to.equal(1);
    const fine = await trend([root, "--out", out, "--today", "2026-11-30"]);
    expect(fine.code).to.equal(undefined);
    expect(fine.out.at(-1)).to.match(/^0 flag\(s\); wrote /);
  });

  it("refuses bad input with what to give instead", async () => {
    const root = mkdtempSync(join(tmpdir(), "zkdrill-history-cli-"));
    expect((await trend([join(root, "nope")])).error?.message).to.match(/is not a folder; give the folder holding the run folders/);
    expect((await trend([root])).error?.message).to.match(/holds no run folder .* give the folder runs were written to/);
    expect((await trend([root, "--tolerance", "half"])).error?.message).to.equal('--tolerance: "half" is not a number; give e.g. --tolerance 0.5');
    expect((await trend([root, "--today", "23/11/2026"])).error).to.have.property("name", "InputError");
  });
});
