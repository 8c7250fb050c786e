// report.html in a real browser: Debian's headless Chromium opens the file with no network and
// the three charts are in the page it rendered; a screenshot is kept as a test artifact.
import { expect } from "chai";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { exec } from "../src/common";
import { writeReports } from "../src/report";

const ARTIFACTS = resolve(__dirname, "..", "reports", "test-artifacts");

describe("report.html in headless Chromium", function () {
  this.timeout(120_000);
  let html: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-html-"));
    copyFileSync(join(__dirname, "fixtures", "runs", "quickstart", "journal.jsonl"), join(dir, "journal.jsonl"));
    copyFileSync(join(__dirname, "fixtures", "runs", "quickstart", "history.jsonl"), join(dir, "history.jsonl"));
    await writeReports(dir);
    html = join(dir, "report.html");
  });

  const chromium = (args: string[]) =>
    // No network for the page: a self-contained report needs none.
    exec("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", ...args, `file://${html}`], { timeoutMs: 90_000 });

  it("renders the page with its three charts", async () => {
    const dom = await chromium(["--dump-dom"]);
    expect(dom.stdout.match(/<svg/g) ?? []).to.have.length(3);
    expect(dom.stdout).to.include("quickstart-leader-failover: PASSED");
  });

  it("takes a screenshot of it (kept under reports/test-artifacts)", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = join(ARTIFACTS, "report.png");
    await chromium(["--window-size=1000,1600", `--screenshot=${png}`]);
    expect(existsSync(png)).to.equal(true);
    expect(statSync(png).size).to.be.greaterThan(20_000);
  });
});
