// The faults a drill injects, in the operator's words: processes (kill, stop, pause), links (zones cut
// or degraded, member shapes, packet loss, flapping), disks, logs and clocks. Each is a journaled step
// through src/faults; the operator's other words (configs, upgrades, backups) build on these in
// src/drill/context.ts.
import { ProbeSession } from "../probes";
import { FaultOptions, Faults } from "../faults/faults";
import { IncidentFaults, LogDamage } from "../faults/incidents";
import { describeShape, LinkMode, linksOf, Shape } from "../faults/shapes";
import type { CutProbe } from "../checks";
import { latencyPairs, measurePair, probeMemberLinks, probeZoneCut } from "../probes";
import type { Degradation } from "../network";
import { describeDegradation } from "../network";
import { CutMode, CutSpec, isolate } from "../network";
import type { MemberId, ZoneName } from "../topology";
import type { RunCore } from "./core";

const ids = (x: MemberId | readonly MemberId[]) => (Array.isArray(x) ? [...x] : [x as MemberId]);

export class FaultWords {
  /** Client sessions the drill watches (openClient), closed when the run ends. */
  readonly #probes: ProbeSession[] = [];

  constructor(
    private readonly run: RunCore,
    private readonly faults: Faults,
    private readonly incidents: IncidentFaults,
  ) {}

  /** `outageExpected`: the outage is the point (a quorum lost on purpose), and why; it is not held to the RTO objective. */
  kill(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    return this.run.step(`kill -9 member(s) ${ids(members).join(", ")}${o.outageExpected ? ` (outage expected: ${o.outageExpected})` : ""}`, () => this.faults.kill(members, o));
  }

  /** Graceful stop (SIGTERM), one after the other in the order given (P2: followers first, leader last). */
  stop(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    return this.run.step(`stop member(s) ${ids(members).join(", ")} in this order${o.outageExpected ? ` (outage expected: ${o.outageExpected})` : ""}`, () => this.faults.stop(members, o));
  }

  start(members: MemberId | readonly MemberId[], opts: { wipeData?: boolean } = {}): Promise<void> {
    return this.run.step(`start member(s) ${ids(members).join(", ")}${opts.wipeData ? " with empty version-2 folders" : ""}`, () => this.faults.start(members, opts));
  }

  restart(id: MemberId): Promise<void> {
    return this.run.step(`restart member ${id}`, () => this.faults.restart(id));
  }

  /** SIGSTOP (cgroup freeze) for `forMs`, then SIGCONT; or until `unpause` when no duration is given. */
  async pause(members: MemberId | readonly MemberId[], forMs?: number): Promise<void> {
    await this.run.step(`pause member(s) ${ids(members).join(", ")}${forMs ? ` for ${(forMs / 1000).toFixed(1)} s` : ""}`, async () => {
      await this.faults.pause(members);
      if (forMs) {
        await new Promise((r) => setTimeout(r, forMs)); // the pause's length is the fault itself
        await this.faults.unpause(members);
      }
    });
  }

  unpause(members: MemberId | readonly MemberId[]): Promise<void> {
    return this.run.step(`unpause member(s) ${ids(members).join(", ")}`, () => this.faults.unpause(members));
  }

  partition(cut: CutSpec): Promise<void> {
    return this.#cutZones(`partition ${cut.from.join(",")} from ${cut.to.join(",")} (${cut.mode})`, cut);
  }

  isolateZone(zone: ZoneName, mode: CutMode = "reset"): Promise<void> {
    return this.#cutZones(`cut zone ${zone} off from every other (${mode})`, isolate(this.run.ensemble.topology, zone, mode));
  }

  #cutZones(name: string, cut: CutSpec): Promise<void> {
    return this.run.step(name, async () => {
      await this.faults.partition(cut);
      await this.#proveCut(`${cut.from.join(",")} / ${cut.to.join(",")} (${cut.mode}${cut.oneWay ? ", one way" : ""})`, probeZoneCut(this.run.ensemble, cut));
    });
  }

  /**
   * The declared latency proven on the wire before anything else: each zone pair's round trip measured
   * (member to member where both zones run one, else a client in one zone) and judged, a check per pair.
   */
  async proveLatency(): Promise<void> {
    const pairs = latencyPairs(this.run.ensemble);
    if (pairs.length === 0) return;
    await this.run.step(`measure the round trip of ${pairs.length} zone pair(s) on the wire`, async () => {
      // A session needs a member that serves: the members elect first (P1's phantom voters can take a minute).
      await this.run.unlessStopped(this.run.ensemble.waitForQuorum({ timeoutMs: 180_000 }));
      const running = await this.run.ensemble.running();
      for (const p of pairs) {
        const sample = await measurePair(this.run.ensemble, p, running);
        if (sample) this.run.check("round-trip", sample);
        else this.run.journal.append("note", { what: "round trip not measured", zones: p.zones, why: "no member of either zone runs" });
      }
    });
  }

  /** A cut proven on the wire: connections across it that must go unanswered (a check of its own). */
  async #proveCut(cut: string, probing: Promise<{ probes: CutProbe[]; unprobed?: string }>): Promise<void> {
    const { probes, unprobed } = await probing;
    this.run.check("cut-holds", { cut, probes, ...(unprobed ? { unprobed } : {}) });
  }

  heal(cut?: CutSpec): Promise<void> {
    return this.run.step(cut ? `heal ${cut.from.join(",")} / ${cut.to.join(",")}` : "heal every partition", () => this.faults.heal(cut));
  }

  /** A partition shape between members (isolate one, halves, bridge, majorities ring, one-way); cut inside the members. */
  partitionMembers(shape: Shape, mode: LinkMode = "drop"): Promise<void> {
    return this.run.step(`partition: ${describeShape(shape)} (${mode === "drop" ? "packets dropped" : "connections reset"})`, async () => {
      await this.faults.partitionMembers(shape, mode);
      await this.#proveCut(`${describeShape(shape)} (${mode})`, probeMemberLinks(this.run.ensemble, linksOf(shape, this.run.ensemble.topology.members.map((m) => m.id), mode)));
    });
  }

  isolateMember(id: MemberId, mode: LinkMode = "drop"): Promise<void> {
    return this.partitionMembers({ kind: "isolate", member: id }, mode);
  }

  healMembers(): Promise<void> {
    return this.run.step("heal the links between members", () => this.faults.healMembers());
  }

  /** A flapping link: the shape cut and healed every `everyMs` for `forMs` (each cut and heal a fault of its own). */
  async flap(shape: Shape, opts: { everyMs: number; forMs: number }): Promise<void> {
    if (!(opts.everyMs >= 100 && opts.forMs >= opts.everyMs)) throw new Error(`flap: every ${opts.everyMs} ms for ${opts.forMs} ms; give everyMs >= 100 and forMs >= everyMs`);
    await this.run.step(`flap ${describeShape(shape)} every ${opts.everyMs} ms for ${(opts.forMs / 1000).toFixed(0)} s`, async () => {
      const until = Date.now() + opts.forMs;
      // The rhythm is the fault itself; bounded by forMs and a count.
      for (let i = 0; Date.now() < until && i < 10_000; i++) {
        await this.faults.partitionMembers(shape);
        await new Promise((r) => setTimeout(r, opts.everyMs));
        await this.faults.healMembers();
        await new Promise((r) => setTimeout(r, opts.everyMs));
      }
    });
  }

  /** `percent` of the packets from `from` to each of `to` (default: every other member) lost, on top of any zone latency. */
  packetLoss(from: MemberId, percent: number, to: readonly MemberId[] = this.run.ensemble.topology.members.map((m) => m.id).filter((id) => id !== from)): Promise<void> {
    return this.run.step(`lose ${percent} % of member ${from}'s packets to ${to.join(", ")}`, () => this.faults.packetLoss(from, to, percent / 100));
  }

  /** A zone lost: `kill` powers its members off at once; `cut` leaves them running but unreachable from the other zones. */
  async zoneOutage(zone: ZoneName, how: "kill" | "cut", mode: CutMode = "blackhole"): Promise<void> {
    if (how === "kill") await this.kill(this.run.membersIn(zone));
    else await this.isolateZone(zone, mode);
  }

  // ---- clients the drill watches ----

  /**
   * A client of its own on `members` only (one server, or several: seed 003's automatic failover),
   * holding an ephemeral znode; `arm()` it just before the fault, then judge it with
   * d.expect.sessionKept / sessionExpired.
   */
  openClient(name: string, members: readonly MemberId[], sessionTimeoutMs: number): Promise<ProbeSession> {
    return this.run.step(`open client ${name} on ${members.length === 1 ? `member ${members[0]} alone` : `members ${members.join(", ")}`} (session timeout ${sessionTimeoutMs} ms)`, async () => {
      const p = await ProbeSession.open(this.run.ensemble, this.run.history, name, members, sessionTimeoutMs);
      this.#probes.push(p);
      this.run.journal.append("note", { what: "client opened", name, members, sessionId: p.sessionId, sessionTimeoutMs, ephemeral: p.path });
      return p;
    });
  }

  closeClients(): void {
    for (const p of this.#probes.splice(0)) p.close();
  }

  // ---- degraded links, disks, logs and clocks (src/faults/incidents.ts) ----

  /** Links between zones degraded on top of their latency: bandwidth, slicing, slow closes, extra latency. */
  degradeLinks(d: Degradation): Promise<void> {
    return this.run.step(`degrade the links ${describeDegradation(d)}`, () => this.incidents.degradeLinks(d));
  }

  restoreLinks(): Promise<void> {
    return this.run.step("restore the degraded links", () => this.incidents.restoreLinks());
  }

  /** The member's dataLogDir disk filled to the last byte (it needs a disk of its own: topology datalogMb). */
  async fillDisk(id: MemberId): Promise<void> {
    await this.run.step(`fill member ${id}'s dataLogDir disk`, () => this.incidents.fillDisk(id));
  }

  freeDisk(id: MemberId): Promise<void> {
    return this.run.step(`free member ${id}'s dataLogDir disk`, () => this.incidents.freeDisk(id));
  }

  /** The stopped member's newest transaction log broken: its last record torn, or a byte flipped in a record. */
  async corruptLog(id: MemberId, damage: LogDamage): Promise<void> {
    await this.run.step(`${damage === "torn-tail" ? "tear the last record of" : "flip a byte in"} member ${id}'s newest transaction log`, () => this.incidents.corruptLog(id, damage));
  }

  /** Wall clocks moved by `offsetSeconds` (the drill needs clockFaults: true). */
  skewClock(members: MemberId | readonly MemberId[], offsetSeconds: number): Promise<void> {
    return this.run.step(`move member(s) ${ids(members).join(", ")}'s wall clock ${offsetSeconds >= 0 ? "forward" : "back"} ${Math.abs(offsetSeconds)} s`, () => this.incidents.skewClock(members, offsetSeconds));
  }

  resetClock(members: MemberId | readonly MemberId[]): Promise<void> {
    return this.run.step(`reset member(s) ${ids(members).join(", ")}'s wall clock`, () => this.incidents.resetClock(members));
  }
}
