// Runs a drill: prepare (src/drill/prepare.ts), start the ensemble, run the runbook's steps, then one
// ordered ending whatever happened (stop the load, roll back, read the members' elections, anchor the
// history, judge, record the end, render, tear down). The same path for the CLI and for mocha.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorText } from "../common";
import { electionsInLog, servingInLog } from "../probes";
import { LeadershipWatch } from "../probes";
import { Journal, readJournal } from "../journal";
import { buildReport, deriveStatus, DrillReport, RunStatus } from "../report";
import { writeReports } from "../report";
import { isHurried, onInterrupt, reap } from "../docker";
import { docker, holderOf } from "../docker";
import { hostTrouble, onFreshSocket } from "../docker";
import { StartedEnsemble } from "../runtime";
import { hostnameOf, remoteHosts } from "../topology";
import { DrillContext, drillContext } from "./context";
import { CheckFailed, RunCore } from "./core";
import { reconcileAtTheEnd } from "./expect-reconciled";
import { judgeRun } from "./judge-run";
import { memberJvmFlags, type DrillDefinition } from "./definition";
import { prepare, Prepared, RunOptions } from "./prepare";

/** How long an engine may be silent (pings unanswered, not refused) before the run counts it gone. */
const ENGINE_SILENCE_MS = 30_000;

export { drill, oneZoneTopology, type DrillDefinition } from "./definition";
export { preflight, resolveDrillTopology, type LiveUpdate, type RunOptions } from "./prepare";

export interface RunResult {
  readonly status: RunStatus;
  /** It failed on the host (engine gone, disk full, port taken): the CLI's exit code 2, not 1. */
  readonly environment: boolean;
  readonly reportDir: string;
  readonly report: DrillReport;
  readonly runId: string;
}

/** A drill run: prepare -> start -> run -> end; the same path for the CLI and for mocha. */
export async function runDrill(def: DrillDefinition, opts: RunOptions = {}): Promise<RunResult> {
  const prepared = await prepare(def, opts);
  return new DrillRun(def, opts, prepared).go();
}

/** A stage of the ending; `canWait`: skipped when a second interrupt hurries the run. */
interface Stage {
  readonly what: string;
  readonly work: () => unknown;
  readonly canWait?: boolean;
}

class DrillRun {
  private ensemble?: StartedEnsemble;
  private starting?: Promise<StartedEnsemble>;
  private readonly startAbort = new AbortController();
  private ctx?: DrillContext;
  private watch?: LeadershipWatch;
  private error: string | null = null;
  /** The run failed on the host (engine gone, disk full, port taken), not on a check. */
  private environment = false;
  private ending?: Promise<RunStatus>;
  private readonly timers: NodeJS.Timeout[] = [];
  private leaderSeen = Date.now();
  private readonly progress: (line: string) => void;

  constructor(
    private readonly def: DrillDefinition,
    private readonly opts: RunOptions,
    private readonly p: Prepared,
  ) {
    this.progress = opts.progress ?? (() => {});
  }

  async go(): Promise<RunResult> {
    // An interrupt ends the run at once: the drill's step in flight is not waited for (it unwinds
    // against removed containers), and no further step starts.
    let interrupted: () => void = () => {};
    const interruption = new Promise<void>((resolve) => (interrupted = resolve));
    const offInterrupt = onInterrupt(async (why) => {
      this.ctx?.abort(why);
      interrupted();
      await this.end(why);
    });
    try {
      const ctx = await this.start();
      await Promise.race([this.runSteps(ctx), interruption]);
    } catch (err) {
      const trouble = hostTrouble(err);
      if (trouble) this.environment = true;
      // When the engine went away first, that is the error; what failed after it is its echo.
      if (!(this.environment && this.error)) this.error = err instanceof CheckFailed ? err.message : trouble ?? `${errorText(err)}${err instanceof Error && err.stack ? `\n${err.stack.split("\n").slice(1, 6).join("\n")}` : ""}`;
    }
    const status = await this.end(null);
    offInterrupt();
    return { status, environment: this.environment, reportDir: this.p.reportDir, report: buildReport(readJournal(this.p.journal.path)), runId: this.p.runId };
  }

  /** The ensemble, the leadership watch, the drill's words, the abort condition and the engine's watch. */
  private async start(): Promise<DrillContext> {
    const { def, opts, p } = this;
    this.starting = StartedEnsemble.start({ runId: p.runId, topology: p.topology, fakeClock: def.clockFaults, diskFaults: def.diskFaults, image: p.images.zookeeper, version: p.zkVersion, toxiproxyImage: p.images.toxiproxy, logDir: join(p.reportDir, "logs"), jvmFlags: memberJvmFlags(def), keep: opts.keep, signal: this.startAbort.signal });
    const ensemble = (this.ensemble = await this.starting);
    if (this.ending) throw new Error("interrupted while the ensemble started");
    this.watch = new LeadershipWatch(ensemble, p.journal, (leader) => {
      if (leader !== null) this.leaderSeen = Date.now();
      opts.live?.({ leader });
    });
    this.watch.start();
    const run = new RunCore(ensemble, p.journal, p.history, p.seed, opts.quick ?? false, this.progress, opts.live, p.objectives);
    const ctx = (this.ctx = drillContext(run, { images: p.byVersion, upgradeTo: p.upgradeTo }));
    const steady = def.steadyState;
    if (steady) ctx.machinery.faults.beforeFirst = () => ctx.expect.steadyState("before the first fault", steady);
    this.watchAbortCondition(ctx);
    this.watchEngine(ctx);
    p.journal.append("note", {
      what: "ensemble started",
      members: await ensemble.running(),
      versions: ensemble.versions(),
      ports: Object.fromEntries(p.topology.members.map((m) => [m.id, ensemble.endpoint(m.id).port])),
      network: ensemble.network.describe(),
      // Which engine holds each member's container (this machine's: "local").
      placement: Object.fromEntries(ensemble.members.createdIds().map(({ id, containerId }) => [id, holderOf(containerId)])),
    });
    return ctx;
  }

  /** The latency proven on the wire, brokers (when the topology has them), the runbook, the steady state after. */
  private async runSteps(ctx: DrillContext): Promise<void> {
    await ctx.proveLatency();
    // Brokers start after the ensemble and go with it (reaped by the run's label).
    await ctx.kafka.startBrokers();
    await this.def.run(ctx);
    if (this.def.steadyState) await ctx.expect.steadyState("after recovery", this.def.steadyState);
  }

  private watchAbortCondition(ctx: DrillContext): void {
    const noLeaderForMs = this.def.abortIf?.noLeaderForMs;
    if (noLeaderForMs === undefined) return;
    const timer = setInterval(() => {
      if (Date.now() - this.leaderSeen > noLeaderForMs) ctx.abort(`the drill's abort condition: no leader for more than ${(noLeaderForMs / 1000).toFixed(0)} s`);
    }, 500);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * The engine itself: if it stops answering, the drill stops at once and says so (host trouble, exit 2),
   * instead of failing checks on containers the engine took down with it. A refused connection twice in
   * a row is an engine gone; a slow answer is a busy machine (2 cores under fifteen JVMs answer pings
   * late), so only a silence of ENGINE_SILENCE_MS counts as gone.
   */
  private watchEngine(ctx: DrillContext): void {
    let refused = 0;
    let answeredAt = Date.now();
    const timer = setInterval(() => {
      void Promise.race([docker().ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 3 s")), 3_000))]).then(
        () => {
          refused = 0;
          answeredAt = Date.now();
        },
        (err: Error) => {
          const gone = /no answer within/.test(err.message) ? Date.now() - answeredAt > ENGINE_SILENCE_MS : ++refused >= 2;
          if (!gone || this.environment) return;
          this.environment = true;
          this.error = `the Docker engine stopped answering during the run (${err.message}); the drill was stopped and its verdict stands for nothing about ZooKeeper; start the engine again (scripts/ensure-docker.sh), then: zkdrill down --stale`;
          ctx.abort("the Docker engine stopped answering");
        },
      );
    }, 2_000);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * The one ending, whatever the way there; a second call waits for the first. Each stage runs
   * whatever the one before did: a stage that fails is said in the journal, and teardown always runs.
   */
  private end(aborted: string | null): Promise<RunStatus> {
    return (this.ending ??= this.ended(aborted));
  }

  private async ended(aborted: string | null): Promise<RunStatus> {
    for (const t of this.timers) clearInterval(t);
    // Interrupted while the ensemble was starting: no further container is created, and what was is ours to remove.
    if (!this.ensemble && this.starting) {
      this.startAbort.abort(new Error(aborted ?? "the run ended"));
      this.ensemble = await this.starting.catch(() => undefined);
    }
    const { journal, history } = this.p;
    const ctx = this.ctx;
    const ensemble = this.ensemble;
    const keep = this.opts.keep ?? false;
    const before: Stage[] = [
      { what: "stopping the leadership watch", work: () => this.watch?.stop() },
      { what: "stopping the workload", work: () => ctx?.machinery.workload.started && ctx.machinery.workload.finish() },
      { what: "stopping Kafka's clients and collecting the brokers' logs", work: () => ctx?.kafka.finish() },
      { what: "closing the drill's clients", work: () => ctx?.closeClients() },
      { what: "rollbacks", work: () => ctx?.machinery.faults.runRollbacks() },
      // Issue 26: every drill ends with its members compared, the load stopped and the faults rolled back;
      // not when interrupted (the ensemble is being torn down) and, before the logs: their read is in them.
      { what: "reconciling the members", work: () => ctx && aborted === null && !this.environment && !ctx.machinery.run.abortedFor && reconcileAtTheEnd(ctx.machinery.run), canWait: true },
      // While the containers exist: their logs are evidence, hashed with the rest at the first rendering.
      { what: "collecting the members' logs", work: () => ensemble?.collectLogs() },
      // A second interrupt hurries: the members' elections and the history's judgement are what can wait.
      { what: "reading the members' elections", work: () => ensemble && recordElections(ensemble, journal), canWait: true },
      { what: "anchoring the history", work: () => journal.append("history", { ...history.close(), final: true }) },
      { what: "judging the history", work: () => judgeRun(journal, history.path), canWait: true },
    ];
    for (const s of before) if (!(s.canWait && isHurried())) await this.stage(s.what, s.work);
    const runEnd = { error: aborted ?? this.error, aborted: aborted !== null, ...(this.environment ? { environment: true } : {}), throughputByPhase: ctx?.machinery.workload.throughputByPhase ?? {}, kept: keep };
    const { status } = deriveStatus([...journal.events, { seq: -1, ts: "", type: "run-end", data: runEnd, prev: "" }]);
    journal.append("run-end", { status, ...runEnd });
    const after: Stage[] = [
      { what: "rendering the reports", work: () => writeReports(this.p.reportDir, undefined, { progress: this.progress }) },
      // After rendering: the verdict (set at run-end) stays on the endpoint for a scrape or two.
      { what: "closing the metrics endpoint", work: () => this.p.metrics?.close() },
      // Each tried again on a stale socket: after minutes of judging, the engine has closed the kept-alive ones.
      { what: "removing the containers and networks", work: () => ensemble && !keep && onFreshSocket(() => ensemble.remove()) },
      // Whatever was created while the run ended (a start in flight) goes too, by label.
      { what: "removing what is left", work: () => !keep && onFreshSocket(() => reap(this.p.runId, remoteHosts(this.p.topology))) },
    ];
    for (const s of after) await this.stage(s.what, s.work);
    return status;
  }

  private async stage(what: string, work: () => unknown): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.progress(`${what} failed: ${hostTrouble(err) ?? errorText(err)}`);
      if (!this.p.journal.isClosed) this.p.journal.append("note", { what: `${what} failed`, error: errorText(err) });
    }
  }
}

/** ZooKeeper's own election times, from each member's collected log. */
function recordElections(e: StartedEnsemble, journal: Journal): void {
  for (const m of e.topology.members) {
    const path = join(e.plan.logDir, `${hostnameOf(m.id)}.log`);
    if (!existsSync(path)) continue;
    const log = readFileSync(path, "utf8");
    for (const el of electionsInLog(m.id, log)) journal.append("election", { ...el });
    for (const s of servingInLog(m.id, log)) journal.append("zk-log", { what: "serving", ...s });
  }
}
