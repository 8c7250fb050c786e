// report.pdf: report.html printed by headless Chromium (Debian's package), for the archive an
// auditor keeps. No network: the page is self-contained and the browser is pointed at a dead proxy.
// Where Chromium is missing the PDF is skipped with a line saying how to get it, never a crash.
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { exec } from "../common";

export const NO_CHROMIUM = "no PDF: install Debian's chromium (apt-get install chromium), or set ZKDRILL_CHROMIUM to a Chromium binary; then: zkdrill report <dir> --format pdf";

/** The browser: ZKDRILL_CHROMIUM, else the first of Debian's and other usual names on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.ZKDRILL_CHROMIUM) return executable(env.ZKDRILL_CHROMIUM) ? env.ZKDRILL_CHROMIUM : null;
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Flags every headless use here shares: no sandbox (root in CI), no GPU, no network, a profile of its own. */
export function chromiumArgs(profile: string): string[] {
  return ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", `--user-data-dir=${profile}`];
}

export type PdfOutcome = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * Prints `htmlPath` to `pdfPath`. The PDF's creation and modification dates become `stamp` (the run's
 * start): the same page then gives the same bytes, so re-rendering does not move SHA256SUMS.
 */
export async function renderPdf(htmlPath: string, pdfPath: string, stamp: string, env: NodeJS.ProcessEnv = process.env): Promise<PdfOutcome> {
  const chromium = findChromium(env);
  if (!chromium) return { ok: false, reason: NO_CHROMIUM };
  // A profile per print: two runs rendering at once never share (or lock) one.
  const profile = mkdtempSync(join(tmpdir(), "zkdrill-pdf-"));
  try {
    await exec(chromium, [...chromiumArgs(profile), "--no-pdf-header-footer", `--print-to-pdf=${pdfPath}`, pathToFileURL(htmlPath).href], { timeoutMs: 120_000, env: { ...env, TZ: "UTC" } });
    writeFileSync(pdfPath, fixDates(readFileSync(pdfPath), stamp));
    return { ok: true, path: pdfPath };
  } catch (err) {
    return { ok: false, reason: `no PDF: Chromium (${chromium}) failed: ${(err as Error).message.split("\n").slice(0, 3).join(" ")}` };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Rewrites /CreationDate and /ModDate in place, same length, so no byte offset in the file moves. */
export function fixDates(pdf: Buffer, stamp: string): Buffer {
  const t = new Date(Date.parse(stamp) || 0).toISOString();
  const date = `D:${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}`;
  const text = pdf.toString("latin1");
  // Only a date in Chromium's own format (local time, TZ=UTC given) is replaced: anything else stays as written.
  const fixed = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}[+-]\d\d'\d\d'\)/g, (_all, key: string) => `/${key} (${date}+00'00')`);
  return Buffer.from(fixed, "latin1");
}
