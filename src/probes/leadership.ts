// Who leads, sampled through the whole run (not only when a drill asks): each change goes to the
// journal, so the report's leader timeline and its leaderless gaps are what was seen.
import { errorText } from "../common";
import type { StartedEnsemble } from "../runtime";
import { memberById, MemberId, serversOf } from "../topology";
import { srvr } from "../zk";
import type { Journal } from "../journal";

const INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 1_000;

export interface LeadershipState {
  /** The member reporting "leader" (null: none, or more than one: see `leaders`). */
  readonly leader: MemberId | null;
  readonly leaders: readonly MemberId[];
  readonly epoch: number | null;
  /** Each member reporting "leader", with the epoch it reports (two leaders in one epoch = split brain). */
  readonly leaderEpochs: Readonly<Record<string, number>>;
  /** Each running member's mode: leader, follower, observer, not-serving, or down. */
  readonly modes: Readonly<Record<string, string>>;
  /** Each leader's configured voters ("1,2,3"): two leaders in one epoch are a split brain only within one view. */
  readonly voters: Readonly<Record<string, string>>;
}

export class LeadershipWatch {
  private timer?: NodeJS.Timeout;
  private last = "";
  private inFlight?: Promise<void>;

  constructor(
    private readonly ensemble: StartedEnsemble,
    private readonly journal: Journal,
    private readonly onChange: (leader: MemberId | null) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      // Overlapping ticks are skipped: one probe round at a time.
      if (!this.inFlight) this.inFlight = this.sample().finally(() => (this.inFlight = undefined));
    }, INTERVAL_MS);
    this.timer.unref();
  }

  /** One sample; a change of leader, epoch or modes is journaled. */
  async sample(): Promise<void> {
    if (this.journal.isClosed) return;
    try {
      const ids = this.ensemble.topology.members.map((m) => m.id);
      const modes: Record<string, string> = {};
      const epochs = new Map<MemberId, number>();
      await Promise.all(
        ids.map(async (id) => {
          try {
            const s = await srvr(this.ensemble.endpoint(id), PROBE_TIMEOUT_MS);
            modes[id] = s.serving ? s.mode : "not-serving";
            if (s.serving) epochs.set(id, s.epoch);
          } catch {
            modes[id] = "down";
          }
        }),
      );
      const leaders = ids.filter((id) => modes[id] === "leader");
      const leaderEpochs = Object.fromEntries(leaders.filter((id) => epochs.has(id)).map((id) => [id, epochs.get(id)!]));
      const t = this.ensemble.topology;
      const voters = Object.fromEntries(leaders.map((id) => [id, serversOf(t, id).filter((s) => memberById(t, s).role === "participant").join(",")]));
      const state: LeadershipState = { leader: leaders.length === 1 ? leaders[0] : null, leaders, epoch: leaders.length === 1 ? (epochs.get(leaders[0]) ?? null) : null, leaderEpochs, modes, voters };
      const key = JSON.stringify(state);
      if (key !== this.last && !this.journal.isClosed) {
        this.last = key;
        this.journal.append("note", { what: "leadership", ...state });
        this.onChange(state.leader);
      }
    } catch (err) {
      if (!this.journal.isClosed) this.journal.append("note", { what: "leadership probe failed", error: errorText(err) });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    // A sample in flight finishes before the journal closes (each probe is bounded: 1 s).
    await this.inFlight;
  }
}
