// Debian's headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
// JSON messages on fds 3 and 4, no port, no extra package): an exact viewport (a phone's 390x844 with
// touch and the page's viewport meta, or a 1366x768 desktop), a measure of the laid-out page, and a
// screenshot of exactly what that viewport shows. No network: the pages are local files.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { chromiumArgs, findChromium } from "../../src/report/pdf";

interface Reply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
  readonly mobile: boolean;
}

export class Browser {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    let buffer = "";
    (child.stdio[4] as Readable).on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let end: number;
      while ((end = buffer.indexOf("\0")) >= 0) {
        const msg = JSON.parse(buffer.slice(0, end)) as Reply;
        buffer = buffer.slice(end + 1);
        const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
        if (!w) continue;
        this.waiting.delete(msg.id!);
        if (msg.error) w.reject(new Error(msg.error.message));
        else w.resolve(msg.result ?? {});
      }
    });
  }

  static launch(): Browser {
    const bin = findChromium();
    if (!bin) throw new Error("chromium is missing: install Debian's chromium package (apt-get install -y --no-install-recommends chromium)");
    const profile = mkdtempSync(join(tmpdir(), "zkdrill-cdp-"));
    const child = spawn(bin, [...chromiumArgs(profile), "--remote-debugging-pipe", "about:blank"], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
    return new Browser(child, profile);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.next++;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      setTimeout(() => this.waiting.has(id) && (this.waiting.delete(id), reject(new Error(`${method}: no answer from Chromium within 30 s`))), 30_000).unref();
    });
    (this.child.stdio[3] as Writable).write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    return reply;
  }

  /** A tab with this viewport, showing `url` once it has loaded. */
  async open(url: string, v: Viewport): Promise<Page> {
    const { targetId } = (await this.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
    const { sessionId } = (await this.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    await this.send("Emulation.setDeviceMetricsOverride", { width: v.width, height: v.height, deviceScaleFactor: 1, mobile: v.mobile }, sessionId);
    if (v.mobile) await this.send("Emulation.setTouchEmulationEnabled", { enabled: true }, sessionId);
    await this.send("Page.navigate", { url }, sessionId);
    const page = new Page(this, sessionId);
    const until = Date.now() + 30_000;
    while ((await page.evaluate<string>("document.readyState")) !== "complete") {
      if (Date.now() > until) throw new Error(`${url} did not finish loading within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return page;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
    await this.send("Browser.close").catch(() => this.child.kill("SIGKILL"));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    private readonly session: string,
  ) {}

  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send("Runtime.evaluate", { expression, returnByValue: true }, this.session)) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** What the viewport shows (not the whole page): what a person sees on that screen. */
  async screenshot(path: string): Promise<void> {
    const { data } = (await this.browser.send("Page.captureScreenshot", { format: "png" }, this.session)) as { data: string };
    writeFileSync(path, Buffer.from(data, "base64"));
  }
}
