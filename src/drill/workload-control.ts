// The drill's hold on the workload: start it in a zone, move its clients, mark phases, measure,
// wait for writes as a condition, stop it; its samples go to the journal, its calls to the history.
// The recipe workloads (issue 26) run beside it, started, moved and stopped with it.
import { waitFor } from "../common";
import { Phase, phaseThroughput } from "../checks";
import type { MemberId, ZoneName } from "../topology";
import { RECIPES, type Recipe } from "../history";
import { KafkaShapedWorkload, partitionPath, RecipeSummary, RecipeWorkload, WorkloadOptions, WorkloadSummary } from "../workload";
import { ReadFigures, readLoad } from "../workload";
import type { RunCore } from "./core";

const PARTITIONS = 16;

export class WorkloadControl {
  #current?: KafkaShapedWorkload;
  private summary?: WorkloadSummary;
  #recipes?: RecipeWorkload;
  #recipeSummary?: RecipeSummary;
  readonly #phases: Phase[] = [];

  constructor(private readonly d: RunCore) {}

  /** The phases marked so far, each ending where the next begins. */
  get phases(): readonly Phase[] {
    return this.#phases;
  }

  get started(): boolean {
    return this.#current !== undefined || this.#recipes !== undefined;
  }

  /** A workload (Kafka-shaped or recipes) is started and not yet stopped: its writes move every member's zxid. */
  get workloadRuns(): boolean {
    return (this.#current !== undefined && this.summary === undefined) || (this.#recipes !== undefined && this.#recipeSummary === undefined);
  }

  /** The workload object, for what the drill words do not cover (benchmarks). */
  get running(): KafkaShapedWorkload | undefined {
    return this.#current;
  }

  /** Starts the Kafka-style load; `fromZone` places its clients in that zone (they see its latency to each member). */
  async startWorkload(opts: Partial<Omit<WorkloadOptions, "history" | "members" | "connectString">> & { fromZone?: ZoneName } = {}): Promise<void> {
    const { fromZone, ...rest } = opts;
    await this.d.step(`start the Kafka-style workload${fromZone ? ` from zone ${fromZone}` : ""}`, async () => {
      const members = await this.d.ensemble.running();
      const w = new KafkaShapedWorkload({
        connectString: this.d.ensemble.connectString(members, fromZone),
        members,
        history: this.d.history,
        seed: this.d.random.int(2 ** 31),
        inFlight: 8,
        partitions: PARTITIONS,
        ...rest,
        onSample: (s, line) => {
          // After an interrupt the journal is closed while the load winds down.
          if (this.d.journal.isClosed) return;
          this.d.journal.append("sample", { ...s });
          // The history so far, anchored: a run killed later still proves what it recorded.
          this.d.journal.append("history", { ...this.d.history.anchor() });
          this.d.say(`    ${line}`);
          this.d.live({ opsPerSec: s.ok });
        },
      });
      this.#current = w;
      await w.start();
      this.d.workloadPartitions = PARTITIONS;
    });
  }

  /**
   * Starts the recipe workloads (unique ids, a multi() counter, a lock, a leader election, a queue)
   * beside the Kafka-style one or alone, each judged at the run's end by its own check; `fromZone`
   * places their clients in that zone.
   */
  async startRecipes(recipes: readonly Recipe[], opts: { fromZone?: ZoneName; clientsPerRecipe?: number } = {}): Promise<void> {
    const unknown = recipes.filter((r) => !RECIPES.includes(r));
    if (recipes.length === 0 || unknown.length > 0) throw new Error(`startRecipes(${JSON.stringify(recipes)}): name recipes among ${RECIPES.join(", ")}`);
    if (this.#recipes) throw new Error("the recipe workloads already run; a drill starts them once (moveClients switches their members)");
    await this.d.step(`start the recipe workloads: ${recipes.join(", ")}${opts.fromZone ? ` from zone ${opts.fromZone}` : ""}`, async () => {
      const members = await this.d.ensemble.running();
      const w = new RecipeWorkload({
        connectString: this.d.ensemble.connectString(members, opts.fromZone),
        members,
        history: this.d.history,
        seed: this.d.random.int(2 ** 31),
        recipes,
        ...(opts.clientsPerRecipe !== undefined ? { clientsPerRecipe: opts.clientsPerRecipe } : {}),
      });
      this.#recipes = w;
      await w.start();
    });
  }

  /** The clients switch to `members` (P5 step 2, a DR cut-over; a rollback switches them back). */
  async moveClients(members: readonly MemberId[], fromZone?: ZoneName): Promise<void> {
    if (!this.#current && !this.#recipes) this.#require();
    await this.d.step(`switch the clients to member(s) ${members.join(", ")}`, async () => {
      const connectString = this.d.ensemble.connectString(members, fromZone);
      this.d.journal.append("note", { what: "clients moved", members, connectString });
      await this.#current?.moveTo(connectString, members);
      await this.#recipes?.moveTo(connectString, members);
    });
  }

  /** Marks the start of a named phase; it ends where the next begins. */
  phase(name: string): void {
    const now = Date.now();
    const last = this.#phases[this.#phases.length - 1];
    if (last) (last as { end: number }).end = now;
    this.#phases.push({ name, start: now, end: Number.MAX_SAFE_INTEGER });
    this.d.journal.append("phase", { name });
  }

  /**
   * A measurement window: the workload runs for `ms` under phase `name`; at most 3 s in quick mode,
   * unless it must `outlast` a ZooKeeper timeout (named): time passing is then the very evidence.
   * When `name` is the phase already open (marked with `phase` before a fault), the window goes on
   * measuring it: a phase that holds the fault, the election and what follows.
   */
  async measure(name: string, ms: number, o: { outlast?: string } = {}): Promise<void> {
    this.#require();
    const open = this.#phases[this.#phases.length - 1];
    if (open?.name !== name || open.end !== Number.MAX_SAFE_INTEGER) this.phase(name);
    await new Promise((r) => setTimeout(r, this.d.quick && !o.outlast ? Math.min(ms, 3_000) : ms));
  }

  /**
   * Reads/s that `members` serve to a read load of their own (P6: an observer's reads), for `ms` (3 s
   * at most in quick mode); the figures journaled. The workload's registers are what is read.
   */
  async measureReads(name: string, members: readonly MemberId[], ms: number): Promise<ReadFigures> {
    this.#require();
    // A phase of its own: the writes' figures while reads load the members are not the baseline's.
    this.phase(`reads: ${name}`);
    return this.d.step(`measure the reads ${members.join(", ")} serve (${name})`, async () => {
      const figures = await readLoad({
        connectString: this.d.ensemble.connectString(members),
        members,
        history: this.d.history,
        paths: Array.from({ length: PARTITIONS }, (_, p) => partitionPath(p)),
        durationMs: this.d.quick ? Math.min(ms, 3_000) : ms,
      });
      this.d.journal.append("note", { what: "reads served", name, ...figures });
      this.d.say(`    ${figures.reads} reads in ${(figures.durationMs / 1000).toFixed(1)} s: ${figures.perSec} reads/s, served by ${JSON.stringify(figures.servedBy)}`);
      return figures;
    });
  }

  /** Lets the workload run until `n` more writes are acknowledged (a condition, not a sleep). */
  async writesSucceed(n: number, timeoutMs = 30_000): Promise<void> {
    const w = this.#require();
    const target = w.writesAcked + n;
    await this.d.step(`${n} more writes acknowledged`, () =>
      waitFor(`${n} more acknowledged writes`, async () => (w.writesAcked >= target ? { done: true, value: undefined } : { done: false, seen: `${w.writesAcked}/${target}` }), { timeoutMs, intervalMs: 50 }),
    );
  }

  #require(): KafkaShapedWorkload {
    if (!this.#current) throw new Error("the workload is not running; call d.startWorkload() first");
    return this.#current;
  }

  /** Stops the workloads; the Kafka-style one's summary (undefined when only the recipes ran). */
  async stopWorkload(): Promise<WorkloadSummary | undefined> {
    return this.d.step("stop the workload", () => this.finish());
  }

  /** Stops the workloads that run (the drill's end, a failure, an interrupt); once each. */
  async finish(): Promise<WorkloadSummary | undefined> {
    if (!this.started) this.#require();
    if (this.#recipes && !this.#recipeSummary) {
      const r = await this.#recipes.stop();
      this.#recipeSummary = r;
      if (!this.d.journal.isClosed) this.d.journal.append("note", { what: "recipe workload summary", ...r });
    }
    const w = this.#current;
    if (!w || this.summary) return this.summary;
    const s = await w.stop();
    const last = this.#phases[this.#phases.length - 1];
    if (last) (last as { end: number }).end = Date.now();
    this.summary = s;
    if (!this.d.journal.isClosed) this.d.journal.append("note", { what: "workload summary", ...s });
    return s;
  }

  get throughputByPhase(): Record<string, number> {
    const w = this.#current;
    if (!w) return {};
    return Object.fromEntries(this.#phases.map((p) => [p.name, Math.round(phaseThroughput(w.samples, p) ?? 0)]));
  }
}
