// scripts/steps.sh, which setup.sh runs its steps with: side by side, each line named, each step timed,
// a failure reported by its own step after the others ended, an interrupt stopping every step whole.
// No engine needed: the steps here are sleeps and echoes.
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

function bash(script: string) {
  const started = Date.now();
  const r = spawnSync("bash", ["-c", `set -euo pipefail\n. scripts/steps.sh\n${script}`], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
  return { code: r.status, err: r.stderr, out: r.stdout, ms: Date.now() - started };
}

/** Running: a process killed but not yet reaped (a zombie, reparented to an init that reaps late) is not. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return existsSync("/proc") ? false : true;
  }
};

describe("setup's steps (scripts/steps.sh)", function () {
  this.timeout(20_000);

  it("runs two steps side by side, names each line and times each step", () => {
    const r = bash(`quick() { echo "one"; echo "[own] two"; sleep 0.6; }\nstart a quick\nstart b quick\nawait_all\necho after`);
    expect(r.code, r.err).to.equal(0);
    expect(r.ms, "side by side, not 1.2 s one after the other").to.be.below(1100);
    expect(r.err).to.include("[a] one\n").and.include("[b] one\n").and.include("[own] two\n");
    expect(r.err).to.match(/^\[setup\] a: done in 0\.[5-9] s$/m).and.match(/^\[setup\] b: done in 0\.[5-9] s$/m);
    expect(r.out).to.equal("after\n");
  });

  it("a failing line ends its step, which says so; the caller fails with its code once the other step ended", () => {
    const r = bash(`slow() { sleep 0.5; echo "slow done"; }\nfailing() { echo "about to fail"; false; echo never; }\nstart slow slow\nstart bad failing\nawait_all\necho after`);
    expect(r.code).to.equal(1);
    expect(r.err).to.include("[bad] about to fail").and.not.include("never");
    expect(r.err).to.match(/^\[setup\] bad: failed \(exit 1\) after \d+\.\d s; its lines above say why$/m);
    expect(r.err).to.include("[slow] slow done").and.match(/^\[setup\] slow: done in/m);
    expect(r.err).to.match(/^\[setup\] failed: bad$/m);
    expect(r.out).to.equal("");
  });

  it("an interrupt stops every step in flight, the processes it started included, and exits 130", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkdrill-steps-"));
    try {
      const pidFile = join(dir, "pid");
      // The step's own process (sleep) writes nothing itself: the subshell writes its pid, then becomes it.
      const script = `set -euo pipefail\n. scripts/steps.sh\nlong() { echo started; sh -c 'echo $$ > ${pidFile}; exec sleep 30'; }\nstart long long\nawait_all`;
      const child = spawn("bash", ["-c", script], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
      const deadline = Date.now() + 5_000;
      while (!err.includes("[long] started") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      const sleeper = Number(readFileSync(pidFile, "utf8"));
      expect(alive(sleeper)).to.equal(true);
      child.kill("SIGINT");
      expect(await exited).to.equal(130);
      expect(err).to.match(/^\[setup\] interrupted: stopping long$/m);
      expect(alive(sleeper), "the step's sleep is gone").to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
