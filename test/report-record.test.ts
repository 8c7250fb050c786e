// The DR test record as a person meets it: report.html in Debian's headless Chromium at a phone's
// and a desktop's size (the record on one desktop screen before the charts; nothing wider than the
// phone), screenshots kept under reports/test-artifacts/ to look at; report.pdf turned into page
// images with pdftoppm and read back with pdftotext; metrics.prom checked by Prometheus's promtool.
// Needs Debian's chromium, poppler-utils and prometheus (scripts/test.sh installs them); no containers.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { writeReports } from "../src/report";
import { NO_CHROMIUM } from "../src/report/pdf";
import { Browser } from "./support/chromium";
import { variantRun } from "./support/runs";

const ARTIFACTS = resolve(__dirname, "..", "reports", "test-artifacts");
const WHO = { operator: "Dana Ops", observers: ["Sam Audit", "Lee SRE"], ticket: "CHG-4711", scenario: "The leader's host is lost at peak load; the ensemble must elect a survivor and keep every acknowledged write." };
const SCREENS = { desktop: { width: 1366, height: 768, mobile: false }, phone: { width: 390, height: 844, mobile: true } } as const;

function tool(name: string, pkg: string): string {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "pipe" });
    return name;
  } catch {
    throw new Error(`${name} is missing: install Debian's ${pkg} (apt-get install -y --no-install-recommends ${pkg}); scripts/test.sh does`);
  }
}

interface Layout {
  recordBottom: number;
  chartTop: number;
  viewportHeight: number;
  scrollWidth: number;
  viewportWidth: number;
}

const MEASURE = `(() => { const r = document.getElementById("record").getBoundingClientRect(); const c = document.querySelector("main svg");
  return { recordBottom: r.bottom, chartTop: c ? c.getBoundingClientRect().top : Infinity, viewportHeight: innerHeight, scrollWidth: document.documentElement.scrollWidth, viewportWidth: innerWidth }; })()`;

describe("the DR test record in a real browser, in print and in monitoring", function () {
  this.timeout(180_000);
  let browser: Browser;
  const runs: Record<"passed" | "failed", string> = { passed: "", failed: "" };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    runs.passed = variantRun({ record: WHO });
    // The worst case for fitting one screen: failed and inconclusive checks, a missed floor, a pre-filled action.
    runs.failed = variantRun({ record: WHO, objectives: { minOpsPerSec: 35, rpoMs: 1000 }, failChecks: [0, 2], inconclusiveChecks: [3, 4] });
    for (const dir of Object.values(runs)) await writeReports(dir);
    browser = Browser.launch();
  });

  after(async () => browser?.close());

  for (const verdict of ["passed", "failed"] as const) {
    it(`${verdict} run: the record fits one 1366x768 screen above the charts, and reads on a 390x844 phone`, async () => {
      for (const [screen, viewport] of Object.entries(SCREENS)) {
        const page = await browser.open(pathToFileURL(join(runs[verdict], "report.html")).href, viewport);
        const l = await page.evaluate<Layout>(MEASURE);
        const shot = join(ARTIFACTS, `record-${verdict}-${screen}.png`);
        await page.screenshot(shot);
        expect(statSync(shot).size, shot).to.be.greaterThan(10_000);
        expect(l.viewportWidth, screen).to.equal(viewport.width);
        // Nothing wider than the screen: no sideways scrolling on a phone.
        expect(l.scrollWidth, `${screen}: page width`).to.be.at.most(viewport.width);
        expect(l.chartTop, `${screen}: charts after the record`).to.be.greaterThan(l.recordBottom);
        if (screen === "desktop") expect(l.recordBottom, "desktop: the whole record on the first screen").to.be.at.most(l.viewportHeight);
      }
    });
  }

  it("report.pdf: pages as images (pdftoppm), page 1 holds the record (pdftotext), and re-printing gives the same bytes", async () => {
    tool("pdftoppm", "poppler-utils");
    const pdf = join(runs.failed, "report.pdf");
    expect(readFileSync(pdf).subarray(0, 5).toString()).to.equal("%PDF-");
    const out = mkdtempSync(join(tmpdir(), "zkdrill-pdf-pages-"));
    execFileSync("pdftoppm", ["-png", "-r", "60", pdf, join(out, "page")]);
    const pages = readdirSync(out).filter((f) => f.endsWith(".png")).sort();
    expect(pages.length).to.be.greaterThan(0);
    for (const p of pages) expect(statSync(join(out, p)).size, p).to.be.greaterThan(5_000);
    copyFileSync(join(out, pages[0]), join(ARTIFACTS, "record-failed-pdf-page1.png"));
    const text = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-layout", pdf, "-"], { encoding: "utf8" });
    for (const words of ["DR test record", "quickstart-leader-failov-20261123102741-p5g1", "Dana Ops", "CHG-4711", "Objectives against measured", "MISSED", "Sign-off", "Approver", "2026-12-23"]) expect(text, words).to.include(words);
    // The dates inside are the run's, not the printing's: the same page prints to the same file.
    const before = readFileSync(pdf);
    await writeReports(runs.failed, ["pdf"]);
    expect(readFileSync(pdf).equals(before)).to.equal(true);
  });

  it("without Chromium the PDF is skipped with a line saying how to get it, never a crash", async () => {
    const dir = variantRun();
    const lines: string[] = [];
    const saved = process.env.ZKDRILL_CHROMIUM;
    process.env.ZKDRILL_CHROMIUM = "/nonexistent/chromium";
    try {
      await writeReports(dir, undefined, { progress: (l) => lines.push(l) });
    } finally {
      if (saved === undefined) delete process.env.ZKDRILL_CHROMIUM;
      else process.env.ZKDRILL_CHROMIUM = saved;
    }
    expect(lines).to.deep.equal([NO_CHROMIUM]);
    expect(readdirSync(dir)).to.include("report.html");
    expect(readdirSync(dir)).to.not.include("report.pdf");
  });

  it("metrics.prom passes Prometheus's own checker (promtool check metrics)", () => {
    tool("promtool", "prometheus");
    const out = execFileSync("promtool", ["check", "metrics"], { input: readFileSync(join(runs.failed, "metrics.prom")), encoding: "utf8" });
    expect(out.trim()).to.equal("");
  });
});
