// The recipe workloads: the patterns applications build on ZooKeeper (unique ids, a multi() counter,
// a lock, a leader election, a queue), each client its own session and its own process in the history,
// judged afterwards by src/checks/recipes.ts. A client whose call ends unknown (a lost connection, a
// timeout, an expiry) closes its session and opens a new one: it never goes on with a session whose
// state it does not know, as Curator's recipes do not.
import { errorText, SeededRandom } from "../../common";
import { type HistoryRecorder, type Recipe, RECIPE_PATHS, RECIPES_ROOT } from "../../history";
import { errorKind, ZkClient } from "../../zk";
import { incrementCounter } from "./counter";
import { issueIds } from "./ids";
import { contend } from "./mutex";
import { consume, produce } from "./queue";
import { between, RecipeRun, RecipeWork } from "./run";

export interface RecipeOptions {
  readonly connectString: string;
  /** The members `connectString` names, in its order. */
  readonly members: readonly number[];
  readonly history: HistoryRecorder;
  readonly seed: number;
  readonly recipes: readonly Recipe[];
  /** Clients per recipe (the queue: this many producers and this many consumers). Default 3. */
  readonly clientsPerRecipe?: number;
  readonly sessionTimeoutMs?: number;
}

export interface RecipeSummary {
  readonly recipes: readonly Recipe[];
  /** What the clients saw succeed, by name ("lock acquisitions"); the checks count from the history. */
  readonly counts: Readonly<Record<string, number>>;
  /** Errors that ended a session, by ZooKeeper's name. */
  readonly errors: Readonly<Record<string, number>>;
  readonly sessions: { readonly opened: number; readonly expirations: number; readonly disconnects: number };
  /** The final reads the checks judge what is left by (the counter's value, the queue's items); null when they were read. */
  readonly finalReadError: string | null;
}

/** A client opens at most this many sessions over the run. */
const MAX_SESSIONS = 1_000;
const OP_TIMEOUT_MS = 10_000;

interface ClientPlan {
  readonly role: string;
  readonly work: RecipeWork;
}

function plansOf(recipe: Recipe, n: number): ClientPlan[] {
  const each = (what: string, work: RecipeWork) => Array.from({ length: n }, (_, i) => ({ role: `recipe ${recipe} ${what} ${i + 1}`, work }));
  switch (recipe) {
    case "ids":
      return each("client", issueIds);
    case "counter":
      return each("client", incrementCounter);
    case "lock":
    case "election":
      return each("client", contend(recipe));
    case "queue":
      return [...each("producer", produce), ...each("consumer", consume)];
  }
}

export class RecipeWorkload {
  private connectString: string;
  private members: readonly number[];
  private running = false;
  /** Bumped by moveTo and stop: sessions opened before it close. */
  private generation = 0;
  private wake: Array<() => void> = [];
  private loops: Promise<void>[] = [];
  private readonly counts: Record<string, number> = {};
  private readonly errors: Record<string, number> = {};
  private readonly sessions = { opened: 0, expirations: 0, disconnects: 0 };
  /** Each client's generation: the one its current session was opened in. */
  private readonly onGeneration: number[] = [];
  private summary?: RecipeSummary;

  constructor(private readonly opts: RecipeOptions) {
    if (opts.recipes.length === 0) throw new Error("a recipe workload needs at least one recipe: ids, counter, lock, election or queue");
    this.connectString = opts.connectString;
    this.members = opts.members;
  }

  private connect(role: string): Promise<ZkClient> {
    return ZkClient.connect(this.connectString, {
      opTimeoutMs: OP_TIMEOUT_MS,
      sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 10_000,
      record: { history: this.opts.history, role, members: this.members },
    });
  }

  /** Starts every client; a first session proves the ensemble answers (it throws when none can open). */
  async start(): Promise<void> {
    await ZkClient.with(this.connectString, (c) => c.mkdirp(RECIPES_ROOT), {
      opTimeoutMs: OP_TIMEOUT_MS,
      record: { history: this.opts.history, role: "recipe setup", members: this.members },
    });
    this.running = true;
    const plans = [...new Set(this.opts.recipes)].flatMap((r) => plansOf(r, this.opts.clientsPerRecipe ?? 3));
    plans.forEach((p, i) => this.loops.push(this.client(i, p, new SeededRandom(this.opts.seed + i))));
  }

  /** One client: a session at a time, a new one whenever the last ended; bounded in sessions. */
  private async client(index: number, plan: ClientPlan, rng: SeededRandom): Promise<void> {
    for (let n = 0; n < MAX_SESSIONS && this.running; n++) {
      const generation = this.generation;
      this.onGeneration[index] = generation;
      let c: ZkClient | undefined;
      try {
        c = await this.connect(plan.role);
        this.sessions.opened++;
        await plan.work(c, this.runFor(generation, rng));
        // Returned while it may go on: its work is done (a producer's quota), not interrupted.
        if (this.running && this.generation === generation) return;
      } catch (err) {
        const kind = errorKind(err);
        this.errors[kind] = (this.errors[kind] ?? 0) + 1;
      } finally {
        if (c) {
          this.sessions.expirations += c.counters.expirations;
          this.sessions.disconnects += c.counters.disconnects;
          c.close();
        }
      }
      // After a failure, a moment before the next session (never a tight loop against a down ensemble).
      if (this.running && this.generation === generation) await this.pause(between(rng, 100, 500));
    }
  }

  private runFor(generation: number, rng: SeededRandom): RecipeRun {
    return {
      rng,
      live: () => this.running && this.generation === generation,
      pause: (ms, until) => this.pause(ms, until),
      count: (what) => void (this.counts[what] = (this.counts[what] ?? 0) + 1),
    };
  }

  private pause(ms: number, until?: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.push(done);
      until?.then(done, done);
    });
  }

  /** Ends every session opened before now: their work returns at its next look. */
  private interrupt(): void {
    this.generation++;
    for (const w of [...this.wake]) w();
  }

  /**
   * Points the clients at other members (P5: clients switch to the target hosts): each closes its
   * session and opens a new one on `connectString`. Returns once every client has (bounded).
   */
  async moveTo(connectString: string, members: readonly number[]): Promise<void> {
    this.connectString = connectString;
    this.members = members;
    this.interrupt();
    const target = this.generation;
    // A client's call in flight ends within its op timeout, then a connect within the connect timeout.
    const boundMs = OP_TIMEOUT_MS + 15_000 + 1_000;
    const deadline = Date.now() + boundMs;
    while (this.running && this.onGeneration.some((g) => g < target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const behind = this.onGeneration.filter((g) => g < target).length;
    if (this.running && behind > 0) throw new Error(`${behind} recipe client(s) did not open a session on ${connectString} within ${boundMs} ms`);
  }

  /**
   * Stops the clients (each closes its session), then reads what the checks judge what is left by:
   * the counter's value and the queue's items, synced. Idempotent.
   */
  async stop(): Promise<RecipeSummary> {
    if (this.summary) return this.summary;
    this.running = false;
    this.interrupt();
    // Bounded: each call in flight has its op timeout, each pause ends at the interrupt.
    await Promise.allSettled(this.loops);
    let finalReadError: string | null = null;
    try {
      await this.finalReads();
    } catch (err) {
      finalReadError = errorText(err);
    }
    this.summary = { recipes: [...this.opts.recipes], counts: { ...this.counts }, errors: { ...this.errors }, sessions: { ...this.sessions }, finalReadError };
    return this.summary;
  }

  private async finalReads(): Promise<void> {
    const counter = this.opts.recipes.includes("counter");
    const queue = this.opts.recipes.includes("queue");
    if (!counter && !queue) return;
    await ZkClient.with(
      this.connectString,
      async (c) => {
        // zkdrill's sync: reads after this write on its session see every write acknowledged before it.
        const syncedBy = await c.syncWrite(`${RECIPES_ROOT}/sync`);
        if (counter) await c.getData(RECIPE_PATHS.counter.value, undefined, { syncedBy });
        if (queue) await c.getChildren(RECIPE_PATHS.queue.root, undefined, { syncedBy });
      },
      { opTimeoutMs: OP_TIMEOUT_MS, sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 10_000, record: { history: this.opts.history, role: "recipe final read", members: this.members } },
    );
  }
}
