import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { preflight, runDrill, type RunOptions } from "../drill/runner";
import { explainDrill } from "../drill/explain";
import { LiveView } from "./live-view";
import { installCrashReaper, verdictIs } from "../docker";
import { InputError } from "./catalog";
import { drillPath, loadDrill } from "./drills";
import { EXIT, exitNow } from "./errors";
import { removeStaleRuns } from "./down";
import { DEFAULT_TEST_TYPE, loadRunFile, recordInput } from "../report";
import { parseHostsOption } from "../topology";

export { catalogDrills, loadDrill } from "./drills";

/** What a run writes in its folder, in the order the summary names them. */
const REPORT_FILES = ["report.md", "report.html", "report.pdf", "junit.xml", "metrics.prom", "journal.jsonl"];

interface RunFlags {
  zkVersion?: string;
  hosts?: string;
  fromVersion?: string;
  toVersion?: string;
  seed?: string;
  reportDir?: string;
  quick?: boolean;
  keep?: boolean;
  topology?: string;
  rtoSeconds?: string;
  rpoSeconds?: string;
  minOpsPerSec?: string;
  maxWritesLost?: string;
  minThroughputRatio?: string;
  dryRun?: boolean;
  operator?: string;
  observer?: string[];
  ticket?: string;
  scenario?: string;
  testType?: string;
  runFile?: string;
  metricsPort?: string;
}

/** A throughput floor given on the command line (ops/s). */
function opsPerSec(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InputError(`--min-ops-per-sec: "${value}" is not a number of operations per second; give e.g. --min-ops-per-sec 20`);
  return Number(value);
}

/** A share of the baseline's throughput, more than 0 and at most 10. */
function share(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0 && Number(value) <= 10)) throw new InputError(`--min-throughput-ratio: "${value}" is not a share of the baseline above 0; give e.g. --min-throughput-ratio 0.5`);
  return Number(value);
}

/** A whole number (a port), or bad input naming the flag. */
function whole(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new InputError(`${flag}: "${value}" is not a whole number up to ${max}; give e.g. ${flag} 9464`);
  return Number(value);
}

/** An objective given on the command line, in seconds, as the drill's ms field. */
function seconds(flag: string, value: string | undefined, field: "rtoMs" | "rpoMs"): Record<string, number> {
  if (value === undefined) return {};
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InputError(`${flag}: "${value}" is not a number of seconds; give e.g. ${flag} 30`);
  return { [field]: Math.round(Number(value) * 1000) };
}

export function runCommand(): Command {
  return new Command("run")
    .description("run a drill on real containers and write its journal and report.json")
    .argument("<drill>", "a catalog drill name (zkdrill list) or a path to a drill file")
    .option("--zk-version <version>", "ZooKeeper version")
    .option("--from-version <version>", "an upgrade drill's starting ZooKeeper version")
    .option("--to-version <version>", "an upgrade drill's target ZooKeeper version")
    .option("--seed <n>", "seed for every random choice (replays a run)")
    .option("--report-dir <dir>", "where to write the report (default ./reports/<drill>-<UTC time> under the working directory)")
    .option("--quick", "shorter measurement windows")
    .option("--keep", "leave the ensemble up for inspection")
    .option("--topology <file>", "run the drill on your topology (a file or catalog name) instead of its own, if it has what the drill needs")
    .option("--hosts <zone=engine,...>", "place zones on other hosts' Docker engines (unix://, tcp://, ssh://USER@HOST or a context), joined by a swarm (zkdrill hosts init)")
    .option("--rto-seconds <s>", "override the drill's RTO objective for this run")
    .option("--rpo-seconds <s>", "override the drill's RPO objective for this run")
    .option("--min-ops-per-sec <n>", "a throughput floor for this run: the lowest phase's mean acknowledged ops/s reaches it")
    .option("--max-writes-lost <n>", "override the drill's data-loss objective: at most n acknowledged writes lost (0: zero data loss)")
    .option("--min-throughput-ratio <r>", "override the drill's throughput objective: a fault's phase keeps at least this share of the baseline (e.g. 0.5)")
    .option("--operator <name>", "who leads the test (the DR test record's lead)")
    .option("--observer <name>", "who observes the test (once per observer)", (v: string, all: string[] = []) => [...all, v])
    .option("--ticket <id>", "the change or incident ticket the test runs under")
    .option("--scenario <text>", "the scenario in the team's words (default: the drill's description)")
    .option("--test-type <text>", `the record's test type (default: ${DEFAULT_TEST_TYPE})`)
    .option("--run-file <file>", "a YAML or JSON run file: operator, observers, ticket, scenario, type, objectives (flags win)")
    .option("--metrics-port <port>", "serve OpenMetrics on 127.0.0.1:<port> during the run (0: any free port)")
    .option("--dry-run", "print the steps, the members they touch, the survivability and the expected outcome; start nothing")
    .action(async (ref: string, opts: RunFlags) => {
      if (opts.seed !== undefined && !/^\d+$/.test(opts.seed)) throw new InputError(`--seed: "${opts.seed}" is not a whole number; give e.g. --seed 42`);
      const file = opts.runFile === undefined ? undefined : loadRunFile(opts.runFile);
      const record = recordInput({ operator: opts.operator, observer: opts.observer, ticket: opts.ticket, scenario: opts.scenario, testType: opts.testType }, file);
      const floor = opts.minOpsPerSec === undefined ? {} : { minOpsPerSec: opsPerSec(opts.minOpsPerSec) };
      const lost = whole("--max-writes-lost", opts.maxWritesLost, 1_000_000_000);
      const ratio = opts.minThroughputRatio === undefined ? undefined : share(opts.minThroughputRatio);
      const objectives = {
        ...file?.objectives,
        ...seconds("--rto-seconds", opts.rtoSeconds, "rtoMs"),
        ...seconds("--rpo-seconds", opts.rpoSeconds, "rpoMs"),
        ...floor,
        ...(lost !== undefined ? { maxWritesLost: lost } : {}),
        ...(ratio !== undefined ? { minThroughputRatio: ratio } : {}),
      };
      const metricsPort = whole("--metrics-port", opts.metricsPort, 65535);
      const drillFile = drillPath(ref);
      const def = loadDrill(drillFile, { typeCheck: true });
      const runOpts: RunOptions = { zkVersion: opts.zkVersion, fromVersion: opts.fromVersion, toVersion: opts.toVersion, seed: opts.seed ? Number(opts.seed) : undefined, reportDir: opts.reportDir, quick: opts.quick, keep: opts.keep, topology: opts.topology, hosts: opts.hosts === undefined ? undefined : parseHostsOption(opts.hosts), objectives, record, metricsPort, drillFile };
      if (opts.dryRun) {
        // What the run would refuse, refused here the same way (exit 2, the same message), then the plan.
        const checked = preflight(def, runOpts);
        process.stdout.write(explainDrill({ ...def, objectives: { ...def.objectives, ...objectives } }, checked.topology, checked.upgradeTo ?? checked.zkVersion));
        return;
      }
      installCrashReaper();
      const started = Date.now();
      const view = new LiveView(started);
      const log = (line: string) => view.line(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
      log(`drill ${def.name} (${def.procedure})`);
      // Stale runs are removed once this run's record is open: nothing touches the engine before run-start.
      const r = await runDrill(def, { ...runOpts, beforeEngine: removeStaleRuns, progress: log, live: (u) => view.update(u) }).finally(() => view.stop());
      const code = r.status === "passed" ? EXIT.passed : r.status === "aborted" ? EXIT.interrupted : r.environment ? EXIT.badInput : EXIT.failed;
      verdictIs(code);
      const failed = r.report.checks.filter((c) => c.status === "failed");
      console.log("");
      console.log(`verdict: ${r.status.toUpperCase()}  (${r.report.checks.length - failed.length}/${r.report.checks.length} checks passed, seed ${r.report.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (r.report.metrics.rtoMs !== null) console.log(`RTO (longest over ${r.report.faults.length} fault(s), fault to the first acknowledged write): ${(r.report.metrics.rtoMs / 1000).toFixed(2)} s`);
      for (const f of r.report.findings.filter((x) => x.severity !== "info")) console.log(`finding (${f.severity}): ${f.name}: ${f.text.slice(0, 300)}`);
      console.log(`why: ${r.report.statusReason}`);
      if (r.report.metrics.rpo) console.log(`RPO: ${r.report.metrics.rpo}`);
      if (r.report.error) console.log(`error: ${r.report.error}`);
      // Only what was written: report.pdf is absent without Chromium, and the renderer said why.
      const written = REPORT_FILES.filter((f) => existsSync(join(r.reportDir, f)));
      console.log(`report: ${r.reportDir}  (${written.join(", ")}; verify: zkdrill report verify <dir>; archive: zkdrill report pack <dir>)`);
      if (opts.keep) console.log(`ensemble kept: run id ${r.runId}; remove it with: zkdrill down ${r.runId}`);
      // The verdict is out and the containers are gone: exit now, not when the last socket drains.
      exitNow(code);
    });
}
