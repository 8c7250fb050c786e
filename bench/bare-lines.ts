// bench/bare's reading of what setup and the drill print, and its summary: pure, so it is unit-tested
// (test/bench-bare.test.ts) without an engine.

/** The goal of issue 28: a bare machine to the first verdict in under two minutes, on 2 cores. */
export const GOAL_SECONDS = 120;

export interface StepTime {
  /** Whose line it is: "setup" (a step of scripts/setup.sh), "images" (a stage of `images build`). */
  readonly who: string;
  readonly what: string;
  readonly seconds: number;
  readonly failed: boolean;
}

// "[setup] npm: done in 18.4 s", "[setup] engine: failed (exit 2) after 0.3 s; ...",
// "[images] zkdrill/base:bookworm: docker import: done in 7.1 s", "[images] zookeeper:3.9.5: docker pull: failed in 0.4 s (...)".
const TIMED = /^\[([\w-]+)\] (.+?): (?:(done) in|failed(?: \(exit \d+\))? (?:in|after)) (\d+(?:\.\d+)?) s\b/;

/** Every timed line, in the order printed. Heartbeats ("...: 20 s, ...") and other lines are not steps. */
export function stepTimes(lines: readonly string[]): StepTime[] {
  const out: StepTime[] = [];
  for (const line of lines) {
    const m = TIMED.exec(line);
    if (m) out.push({ who: m[1], what: m[2], seconds: Number(m[4]), failed: m[3] !== "done" });
  }
  return out;
}

/** The drill's verdict line ("verdict: PASSED  (9/9 checks passed, ...)"), or what stands for it. */
export function verdictOf(lines: readonly string[], exitCode: number | null): string {
  for (const line of lines) {
    const m = /^verdict: (\w+)/.exec(line.trim());
    if (m) return m[1];
  }
  return `none (exit ${exitCode ?? "killed"})`;
}

export interface BareRun {
  readonly cores: number;
  readonly drill: string;
  readonly setup: { readonly ms: number; readonly exitCode: number | null; readonly lines: readonly string[] };
  /** Absent when setup failed: the drill was not started. */
  readonly run?: { readonly ms: number; readonly exitCode: number | null; readonly lines: readonly string[] };
}

const WIDTH = 78;
const fit = (label: string) => (label.length > WIDTH ? `${label.slice(0, WIDTH - 1)}…` : label.padEnd(WIDTH));
const row = (label: string, seconds: number, note = "") => `${fit(label)} ${seconds.toFixed(1).padStart(6)} s${note ? `  ${note}` : ""}`;

/** The table: setup and each of its steps (the images' stages under "images"), the drill, the total beside the goal. */
export function summary(r: BareRun): string {
  const out = [`bare machine to first verdict: ${r.drill}, ${r.cores} cores (goal: under ${GOAL_SECONDS} s)`];
  const steps = stepTimes(r.setup.lines);
  out.push(row("setup (bash scripts/setup.sh)", r.setup.ms / 1000, r.setup.exitCode === 0 ? "" : `FAILED (exit ${r.setup.exitCode ?? "killed"})`));
  for (const s of steps.filter((x) => x.who === "setup" && x.what !== "total")) {
    out.push(row(`  ${s.what}`, s.seconds, s.failed ? "failed" : ""));
    if (s.what === "images") for (const i of steps.filter((x) => x.who === "images")) out.push(row(`    ${i.what}`, i.seconds, i.failed ? "failed" : ""));
  }
  let total = r.setup.ms;
  if (r.run) {
    total += r.run.ms;
    const again = stepTimes(r.run.lines).find((s) => s.who === "setup" && s.what === "total");
    out.push(row(`drill (npm run drill -- ${r.drill})`, r.run.ms / 1000, `verdict: ${verdictOf(r.run.lines, r.run.exitCode)}`));
    if (again) out.push(row("  of which setup --no-images", again.seconds));
  } else {
    out.push("drill: not started (setup failed)");
  }
  const secs = total / 1000;
  const met = secs < GOAL_SECONDS;
  out.push(row("total", secs, `goal under ${GOAL_SECONDS} s: ${met ? `met, ${(GOAL_SECONDS - secs).toFixed(1)} s to spare` : `NOT met, ${(secs - GOAL_SECONDS).toFixed(1)} s over`}`));
  return out.join("\n");
}
