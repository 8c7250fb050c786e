// What a drill will do to a topology, worked out without containers: who each selector names (when
// that is knowable before the run), which members run after each step, where the network is cut, and
// what the planner (src/topology analyse) says of the quorum then.
import type { CutSpec } from "../../network";
import { analyse, MemberChange, MemberId, rewrite, Topology, ZoneName } from "../../topology";
import type { MemberSelector } from "./schema";
import { parseRef } from "./selectors";

/** A selector as the dry run knows it: the exact members, or how many and a description. */
export interface Sketch {
  readonly text: string;
  /** Exactly these members, when knowable before the run. */
  readonly ids?: readonly MemberId[];
  /** How many members, when the ids are not knowable but the count is. */
  readonly count?: number;
}

const list = (ids: readonly MemberId[]) => ids.join(", ");
const exact = (text: string, ids: readonly MemberId[]): Sketch => ({ text: `${text} (${list(ids)})`, ids, count: ids.length });

export type SavedSketch = { readonly kind: "quorum"; readonly of: Sketch; readonly name: string } | { readonly kind: "members"; readonly sketch: Sketch } | { readonly kind: "backup"; readonly text: string };

export interface Survival {
  readonly configuredVoters: number;
  readonly aliveVoters: number;
  readonly quorum: number;
  /** The most voters a leader could reach directly, cuts considered. */
  readonly reachable: number;
  readonly survives: boolean;
  /** Zones whose members can serve: a leader with a quorum is reachable from them. */
  readonly servingZones: readonly ZoneName[];
  /** Running voters a leader could be: those that reach a quorum themselves, cuts considered. */
  readonly couldLead: readonly MemberId[];
  readonly text: string;
}

export class DryRun {
  topology: Topology;
  /** Members running, as far as the steps' known selectors tell. */
  readonly up = new Set<MemberId>();
  /** Running members stopped by selectors named only at run time (the leader): how many. */
  unknownDown = 0;
  /** A step touched members nobody can name before the run, and how many is unknown too. */
  uncertain = false;
  readonly cuts: CutSpec[] = [];
  readonly saved = new Map<string, SavedSketch>();

  constructor(topology: Topology) {
    this.topology = topology;
    for (const m of topology.members) if (!m.standby) this.up.add(m.id);
  }

  private zoneOf(id: MemberId): ZoneName | undefined {
    return this.topology.members.find((m) => m.id === id)?.zone;
  }

  private runningVoters(): MemberId[] {
    return this.topology.members.filter((m) => m.role === "participant" && this.up.has(m.id)).map((m) => m.id);
  }

  /** Who a selector names before the run: ids where knowable, else a description of the moment. */
  sketch(sel: MemberSelector): Sketch {
    if (typeof sel === "number") return { text: `member ${sel}`, ids: [sel], count: 1 };
    if (Array.isArray(sel)) {
      const ids = [...(sel as readonly number[])];
      return { text: `${ids.length === 1 ? "member" : "members"} ${list(ids)}`, ids, count: ids.length };
    }
    if (typeof sel === "string") return sel.startsWith("$") ? this.savedSketch(sel) : this.keyword(sel);
    if ("zone" in sel) return exact(`zone ${sel.zone}'s members`, this.topology.members.filter((m) => m.zone === sel.zone).map((m) => m.id));
    if ("except" in sel) {
      const of = sel.of === undefined ? this.keyword("running") : this.sketch(sel.of);
      const except = this.sketch(sel.except);
      if (of.ids && except.ids && this.unknownDown === 0) {
        const ids = of.ids.filter((id) => !except.ids!.includes(id));
        return exact(`${stripIds(of.text)} except ${stripIds(except.text)}`, ids);
      }
      const count = of.count !== undefined && except.count !== undefined ? Math.max(0, of.count - except.count) : undefined;
      // "2 of 1, 2, 3": how many, among whom, when the excepted ones are named only at run time.
      const among = of.ids && count !== undefined ? ` (${count} of ${list(of.ids)})` : "";
      return { text: `${of.ids ? stripIds(of.text) : of.text} except ${except.text}${among}`, count };
    }
    return { text: JSON.stringify(sel) };
  }

  private keyword(word: string): Sketch {
    const voters = this.runningVoters().length - this.unknownDown;
    switch (word) {
      case "leader":
        return { text: "the leader at that moment", count: 1 };
      case "followers":
        return { text: "the followers at that moment", count: Math.max(0, voters - 1) };
      case "observers": {
        const ids = this.topology.members.filter((m) => m.role === "observer" && this.up.has(m.id)).map((m) => m.id);
        return ids.length === 0 ? { text: "the observers at that moment (none expected)", ids: [], count: 0 } : exact("the observers at that moment", ids);
      }
      case "running": {
        const ids = [...this.up].sort((a, b) => a - b);
        if (this.unknownDown === 0 && !this.uncertain) return exact("the running members", ids);
        return { text: `the running members (${this.uncertain ? "some" : ids.length - this.unknownDown} of ${list(ids)}, which ones known at run time)`, count: this.uncertain ? undefined : ids.length - this.unknownDown };
      }
      case "all":
        return exact("all members", this.topology.members.map((m) => m.id));
      case "random-follower":
        return { text: "a follower picked at random (seeded)", count: 1 };
      case "leader-zone-mate":
        return { text: "a member of the leader's zone other than the leader", count: 1 };
      default:
        return { text: word };
    }
  }

  private savedSketch(text: string): Sketch {
    const ref = parseRef(text);
    const saved = ref && this.saved.get(ref.name);
    if (!ref || !saved || saved.kind === "backup") return { text };
    if (saved.kind === "members") return { ...saved.sketch, text: `${stripIds(saved.sketch.text)} (saved as ${ref.name}${saved.sketch.ids ? `: ${list(saved.sketch.ids)}` : ""})` };
    if (ref.part === "leader") return { text: `the leader saved as ${ref.name}`, count: 1 };
    if (ref.part === "followers") return { text: `the followers saved as ${ref.name}` };
    if (ref.part === "observers") return { text: `the observers saved as ${ref.name}` };
    return { ...saved.of, text: `the members of the quorum saved as ${ref.name}${saved.of.ids ? ` (${list(saved.of.ids)})` : ""}` };
  }

  down(s: Sketch): void {
    if (s.ids) for (const id of s.ids) this.up.delete(id);
    else if (s.count !== undefined) this.unknownDown += s.count;
    else this.uncertain = true;
  }

  /** Members started: named ones are up; unnamed ones are taken to be the ones stopped unnamed. */
  upAgain(s: Sketch): void {
    if (s.ids) for (const id of s.ids) this.up.add(id);
    else if (s.count !== undefined) this.unknownDown = Math.max(0, this.unknownDown - s.count);
    else this.uncertain = true;
  }

  rewrite(ids: readonly MemberId[], change: MemberChange): void {
    this.topology = rewrite(this.topology, Object.fromEntries(ids.map((id) => [id, change])));
  }

  cut(spec: CutSpec): void {
    this.cuts.push(spec);
  }

  heal(spec?: CutSpec): void {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((z) => b.includes(z));
    const keep = spec ? this.cuts.filter((c) => !(same(c.from, spec.from) && same(c.to, spec.to))) : [];
    this.cuts.splice(0, this.cuts.length, ...keep);
  }

  private connected(a: ZoneName, b: ZoneName): boolean {
    // A one-way cut breaks the exchange a quorum needs as surely as a two-way one.
    return a === b || !this.cuts.some((c) => (c.from.includes(a) && c.to.includes(b)) || (c.from.includes(b) && c.to.includes(a)));
  }

  /** The planner's view now: the members not running marked standby, the cuts applied to who reaches whom. */
  survival(): Survival {
    if (this.up.size === 0) {
      return { configuredVoters: 0, aliveVoters: 0, quorum: 0, reachable: 0, survives: false, servingZones: [], couldLead: [], text: "no member runs: no quorum" };
    }
    const plan = analyse({ ...this.topology, members: this.topology.members.map((m) => ({ ...m, standby: !this.up.has(m.id) })) });
    const zones = this.topology.zones.map((z) => z.name);
    const votersIn = (zone: ZoneName) => plan.runningVoters.filter((id) => this.zoneOf(id) === zone).length;
    // A leader in zone z counts the voters it reaches directly; unnamed stopped members count against every side.
    const reach = (z: ZoneName) => zones.filter((y) => this.connected(z, y)).reduce((n, y) => n + votersIn(y), 0) - this.unknownDown;
    const reachable = Math.max(...zones.map(reach));
    const survives = reachable >= plan.quorum;
    const servingZones = zones.filter((z) => zones.some((y) => this.connected(z, y) && reach(y) >= plan.quorum));
    const couldLead = plan.runningVoters.filter((id) => reach(this.zoneOf(id) ?? "") >= plan.quorum);
    const alive = plan.runningVoters.length - this.unknownDown;
    const voters = `${alive} of ${plan.configuredVoters.length} voters running, quorum ${plan.quorum}`;
    const approx = this.uncertain ? " (approximate: a step touched members known only at run time)" : "";
    let text: string;
    if (this.cuts.length === 0) {
      text = survives ? `${voters}: a quorum remains, ${alive - plan.quorum} more failure(s) tolerated` : `${voters}: no quorum, the ensemble stops serving`;
    } else {
      const cut = this.cuts.map((c) => `${c.from.join("+")} | ${c.to.join("+")}${c.oneWay ? " (one way)" : ""}`).join("; ");
      text = survives
        ? `${voters}; cut ${cut}: a leader reaches at most ${reachable}: a quorum remains for zone(s) ${servingZones.join(", ")}`
        : `${voters}; cut ${cut}: a leader reaches at most ${reachable}: no side holds a quorum`;
    }
    return { configuredVoters: plan.configuredVoters.length, aliveVoters: alive, quorum: plan.quorum, reachable, survives, servingZones, couldLead, text: `${text}${approx}` };
  }

  /** Whether every member of `s` can serve by the plan (undefined: not knowable before the run). */
  serving(s: Sketch): { all: boolean; none: boolean } | undefined {
    if (!s.ids) return undefined;
    const survival = this.survival();
    const serves = s.ids.map((id) => this.up.has(id) && survival.servingZones.includes(this.zoneOf(id) ?? ""));
    return { all: serves.every(Boolean), none: !serves.some(Boolean) };
  }
}

/** "the running members (1, 2, 3)" -> "the running members", to compose descriptions. */
function stripIds(text: string): string {
  return text.replace(/ \([^()]*\)$/, "");
}
