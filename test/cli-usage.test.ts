// The CLI's usage errors, --version, and the ways npm installs it: real processes, no engine needed.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "zkdrill");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const VERSION_LINE = new RegExp(`^zkdrill ${VERSION.replace(/\./g, "\\.")} \\(node v\\d+\\.\\d+\\.\\d+\\)\\n$`);

// A guard, not a need: a usage error stops before any action, so none of these may reach an engine. Were one
// to slip through (a regression), it fails on this socket instead of starting containers beside other runs.
const ENV = { ...process.env, DOCKER_HOST: "unix:///nonexistent/zkdrill-cli-usage-test.sock" };

interface Result {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function exec(file: string, args: string[], cwd = ROOT, timeout = 30_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: ENV, timeout });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

// Each CLI start costs about a second of CPU (tsx, then every command's imports); running them a few at a time,
// all queued at once, keeps the file well under a minute on a 2-core machine.
const slots = Math.min(4, Math.max(2, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
const started = new Map<string, Promise<Result>>();
/** The CLI's result for these arguments, started at most once (all are queued in before()). */
function zkdrill(...args: string[]): Promise<Result> {
  const key = JSON.stringify(args);
  if (!started.has(key)) started.set(key, limited(() => exec(BIN, args)));
  return started.get(key)!;
}

/** One usage mistake per command (nested ones included), and what commander must say about it. */
const USAGE_CASES: { command: string; args: string[]; usage: string; says: RegExp }[] = [
  { command: "list", args: ["list", "extra"], usage: "Usage: zkdrill list [options]", says: /error: too many arguments for 'list'/ },
  { command: "plan", args: ["plan"], usage: "Usage: zkdrill plan [options] <topology>", says: /error: missing required argument 'topology'/ },
  { command: "run", args: ["run", "quickstart-leader-failover", "--no-such-flag"], usage: "Usage: zkdrill run [options] <drill>", says: /error: unknown option '--no-such-flag'/ },
  { command: "images build", args: ["images", "build", "--no-such-flag"], usage: "Usage: zkdrill images build [options]", says: /error: unknown option '--no-such-flag'/ },
  { command: "images list", args: ["images", "list", "extra"], usage: "Usage: zkdrill images list [options]", says: /error: too many arguments for 'list'/ },
  { command: "images", args: ["images"], usage: "Usage: zkdrill images [options] [command]", says: /error: give one of the commands listed above/ },
  { command: "up", args: ["up"], usage: "Usage: zkdrill up [options] <topology>", says: /error: missing required argument 'topology'/ },
  { command: "down", args: ["down", "run-a", "run-b"], usage: "Usage: zkdrill down [options] [run-id]", says: /error: too many arguments for 'down'/ },
  { command: "report render", args: ["report", "render", "--format", "docx", "some-run"], usage: "Usage: zkdrill report render [options] <dir>", says: /error: option '--format <format>' argument 'docx' is invalid\. Allowed choices are/ },
  { command: "report pack", args: ["report", "pack"], usage: "Usage: zkdrill report pack [options] <dir>", says: /error: missing required argument 'dir'/ },
  { command: "trend", args: ["trend"], usage: "Usage: zkdrill trend|history [options] <reports-dir>", says: /error: missing required argument 'reports-dir'/ },
  { command: "trend (as history, its alias)", args: ["history"], usage: "Usage: zkdrill trend|history [options] <reports-dir>", says: /error: missing required argument 'reports-dir'/ },
  { command: "report (render by default)", args: ["report"], usage: "Usage: zkdrill report render [options] <dir>", says: /error: missing required argument 'dir'/ },
  { command: "report verify", args: ["report", "verify"], usage: "Usage: zkdrill report verify [options] <dir>", says: /error: missing required argument 'dir'/ },
  { command: "compose", args: ["compose", "--no-such-flag"], usage: "Usage: zkdrill compose [options] [topology]", says: /error: unknown option '--no-such-flag'/ },
  { command: "doctor", args: ["doctor", "extra"], usage: "Usage: zkdrill doctor [options]", says: /error: too many arguments for 'doctor'/ },
  { command: "hosts init", args: ["hosts", "init"], usage: "Usage: zkdrill hosts init [options] <engines...>", says: /error: missing required argument 'engines'/ },
  { command: "hosts show", args: ["hosts", "show", "extra"], usage: "Usage: zkdrill hosts show [options]", says: /error: too many arguments for 'show'/ },
  { command: "generate", args: ["generate", "extra"], usage: "Usage: zkdrill generate [options]", says: /error: too many arguments for 'generate'/ },
  { command: "version", args: ["version", "extra"], usage: "Usage: zkdrill version [options]", says: /error: too many arguments for 'version'/ },
];

describe("zkdrill CLI usage (no engine)", function () {
  this.timeout(60_000);

  before(() => {
    // Queue every CLI run now; each test awaits its own.
    for (const args of [["--version"], ["version"], ["--help"], [], ["no-such-command"], ...USAGE_CASES.map((c) => c.args)]) void zkdrill(...args);
  });

  it("--version prints zkdrill's version from package.json and Node's, exit 0", async () => {
    const r = await zkdrill("--version");
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(VERSION_LINE);
    expect(r.err).to.equal("");
  });

  it("version (the command) prints the same line", async () => {
    const r = await zkdrill("version");
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.equal((await zkdrill("--version")).out);
  });

  it("--help exits 0 and lists exactly the commands these tests cover", async () => {
    const r = await zkdrill("--help");
    expect(r.code, r.err).to.equal(0);
    const listed = r.out.split("Commands:\n")[1].split("\n").flatMap((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1] ?? []);
    const covered = new Set(USAGE_CASES.map((c) => c.command.split(" ")[0]));
    expect(listed.filter((c) => c !== "help").sort(), "a new command needs a case in USAGE_CASES").to.deep.equal([...covered].sort());
  });

  it("no command at all prints the help and exits 2 (a usage error, not a request for help)", async () => {
    const r = await zkdrill();
    expect(r.code).to.equal(2);
    expect(r.err).to.include("Usage: zkdrill [options] [command]").and.include("error: give one of the commands listed above");
    expect(r.out).to.equal("");
  });

  it("an unknown command exits 2 and lists the commands", async () => {
    const r = await zkdrill("no-such-command");
    expect(r.code).to.equal(2);
    expect(r.err).to.include("error: unknown command 'no-such-command'").and.include("Usage: zkdrill [options] [command]");
    for (const c of ["list", "plan", "run", "images", "up", "down", "report", "compose", "generate", "doctor"]) expect(r.err).to.match(new RegExp(`^ {2}${c}\\b`, "m"));
  });

  for (const c of USAGE_CASES) {
    it(`${c.command}: \`zkdrill ${c.args.join(" ")}\` exits 2 with what is wrong and ${c.command.split(" (")[0]}'s help`, async () => {
      const r = await zkdrill(...c.args);
      expect(r.code, r.err).to.equal(2);
      expect(r.err).to.match(c.says);
      expect(r.err).to.include(c.usage);
      expect(r.out).to.equal("");
    });
  }
});

describe("zkdrill installed the npm way", function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "zkdrill-install-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("runs through a symlink to bin/zkdrill (what npm link and npm install -g make), from another folder", async () => {
    mkdirSync(join(tmp, "link"));
    symlinkSync(BIN, join(tmp, "link", "zkdrill"));
    const r = await exec(join(tmp, "link", "zkdrill"), ["--version"], tmp);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(VERSION_LINE);
  });

  it("npm install -g <checkout> links the checkout (offline, no copy) and its zkdrill runs", async () => {
    const prefix = join(tmp, "prefix");
    // A folder installs as a symlink to the checkout, whose node_modules it uses: nothing to fetch, so --offline;
    // its own cache keeps npm's log out of the user's; --ignore-scripts: installing must not need any.
    const npm = await exec("npm", ["install", "-g", ROOT, "--prefix", prefix, "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--cache", join(tmp, "npm-cache")], tmp);
    expect(npm.code, npm.err).to.equal(0);
    expect(realpathSync(join(prefix, "lib", "node_modules", "zkdrill"))).to.equal(realpathSync(ROOT));
    const r = await exec(join(prefix, "bin", "zkdrill"), ["--version"], tmp);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(VERSION_LINE);
  });

  it("npx --no-install zkdrill runs the checkout's own bin", async function () {
    // npx links the checkout into its cache and runs its prepare (the TypeScript build) first: on a
    // loaded 2-core machine that took over 30 s, and a kill mid-link left npx's cache unreadable.
    this.timeout(180_000);
    const r = await exec("npx", ["--no-install", "zkdrill", "--version"], ROOT, 170_000);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(VERSION_LINE);
  });
});
