// The flake gate: every catalog drill N times in quick mode, one after the other (two drills at once
// on two cores would make timings, and so verdicts, lie). Prints passes per drill, each run's status
// and wall time, and exits 1 if any run did not pass.
// Run: npm run flake-gate -- [N] [drill...]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { catalogDrills, loadDrill } from "../src/cli/run";
import { runDrill } from "../src/drill/runner";

async function main(): Promise<number> {
  const [nArg, ...only] = process.argv.slice(2);
  const n = Number(nArg ?? 5);
  if (!Number.isInteger(n) || n < 1 || n > 50) {
    console.error(`flake-gate: N must be a whole number from 1 to 50 (got ${JSON.stringify(nArg)}); e.g. npm run flake-gate -- 5`);
    return 2;
  }
  const drills = only.length > 0 ? only : catalogDrills();
  const root = join("reports", "flake-gate", new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z"));
  mkdirSync(root, { recursive: true });
  const started = Date.now();
  const rows: Array<{ drill: string; statuses: string[]; seconds: number[]; reasons: string[] }> = [];
  for (const name of drills) {
    const row = { drill: name, statuses: [] as string[], seconds: [] as number[], reasons: [] as string[] };
    rows.push(row);
    for (let i = 1; i <= n; i++) {
      const t0 = Date.now();
      // A different seed each round: the verdict must not depend on which follower the seed picks.
      const r = await runDrill(loadDrill(name), { quick: true, seed: 1000 + i, reportDir: join(root, `${name}-${i}`) });
      row.statuses.push(r.status);
      row.seconds.push((Date.now() - t0) / 1000);
      if (r.status !== "passed") row.reasons.push(`run ${i}: ${r.report.statusReason} (${r.reportDir})`);
      console.log(`${name} ${i}/${n}: ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  console.log("");
  console.log(`${"drill".padEnd(34)} passed   wall time per run (s)`);
  for (const r of rows) console.log(`${r.drill.padEnd(34)} ${`${r.statuses.filter((s) => s === "passed").length}/${n}`.padEnd(8)} ${r.seconds.map((s) => s.toFixed(1)).join(" ")}`);
  for (const r of rows) for (const reason of r.reasons) console.log(`  ${r.drill}: ${reason}`);
  const bad = rows.reduce((a, r) => a + r.statuses.filter((s) => s !== "passed").length, 0);
  console.log(`\n${rows.length} drills x ${n} runs: ${bad === 0 ? "no failure" : `${bad} run(s) did not pass`}; total ${((Date.now() - started) / 60000).toFixed(1)} min; reports in ${root}`);
  return bad === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
