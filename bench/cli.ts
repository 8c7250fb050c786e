// bench/cli: what a command costs before it does anything, compiled (dist/, as installed) beside tsx (the
// sources, as before the build): CPU-seconds (user + system) and peak RSS of the whole process, median of rounds.
// Run: npm run build && node --import tsx bench/cli.ts [rounds]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "bin", "zkdrill");
/** GNU time: the child's rusage, which Node does not give for a child process. */
const TIME = "/usr/bin/time";
/** The targets (#28): --version under 0.3 CPU-s, list and plan under 1. */
const COMMANDS: { args: string[]; target: number }[] = [
  { args: ["--version"], target: 0.3 },
  { args: ["list"], target: 1 },
  { args: ["plan", "p2-two-az-standby"], target: 1 },
];

interface Cost {
  cpu: number;
  rssMiB: number;
}

function once(args: string[], tsx: boolean): Cost {
  // No engine is reached by these commands; a socket that does not exist makes sure of it.
  const env = { ...process.env, ZKDRILL_TSX: tsx ? "1" : "0", DOCKER_HOST: "unix:///nonexistent/zkdrill-bench-cli.sock" };
  const r = spawnSync(TIME, ["-f", "zkdrill-bench %U %S %M", BIN, ...args], { env, encoding: "utf8", timeout: 60_000 });
  const m = /zkdrill-bench ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`zkdrill ${args.join(" ")} (${tsx ? "tsx" : "compiled"}) exited ${r.status}: ${(r.stderr ?? "").slice(-400)}`);
  return { cpu: Number(m[1]) + Number(m[2]), rssMiB: Number(m[3]) / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(args: string[], tsx: boolean, rounds: number): Cost {
  once(args, tsx); // warm: tsx's transform cache and the page cache, as on any second run
  const runs = Array.from({ length: rounds }, () => once(args, tsx));
  return { cpu: median(runs.map((r) => r.cpu)), rssMiB: median(runs.map((r) => r.rssMiB)) };
}

function main(): void {
  const rounds = Math.max(1, Math.min(20, Number(process.argv[2] ?? 3) || 3));
  if (!existsSync(TIME)) {
    console.error(`bench/cli: ${TIME} (GNU time) is needed to read a child's CPU time and RSS; apt-get install time, then retry`);
    process.exit(2);
  }
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) {
    console.error("bench/cli: no dist/ to measure; run `npm run build` first");
    process.exit(2);
  }
  console.log(`zkdrill startup, median of ${rounds} (CPU-s = user + system; RSS = peak)`);
  console.log(`${"command".padEnd(26)} ${"compiled".padStart(18)} ${"tsx".padStart(18)}  target`);
  let missed = 0;
  for (const c of COMMANDS) {
    const compiled = measure(c.args, false, rounds);
    const viaTsx = measure(c.args, true, rounds);
    const ok = compiled.cpu < c.target;
    if (!ok) missed++;
    const cell = (x: Cost) => `${x.cpu.toFixed(2)} s ${x.rssMiB.toFixed(0).padStart(4)} MiB`.padStart(18);
    console.log(`${c.args.join(" ").padEnd(26)} ${cell(compiled)} ${cell(viaTsx)}  < ${c.target} s ${ok ? "ok" : "MISSED"}`);
  }
  process.exit(missed === 0 ? 0 : 1);
}

main();
