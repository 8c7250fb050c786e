// The faults a drill injects, in the operator's words: processes (kill, stop, pause), links (zones cut
// or degraded, member shapes, packet loss, flapping), disks, logs and clocks. Each word is a row of
// the fault catalog (src/faults/catalog.ts) run as a journaled step by `fault`; the operator's other
// words (configs, upgrades, backups) are in src/drill/operator-words.ts.
import type { z } from "zod";
import { waitFor } from "../common";
import { ProbeSession } from "../probes";
import { corruptLog, fillDisk, freeDisk } from "../faults/disk";
import { resetClock, skewClock } from "../faults/clock";
import { Faults, FaultOptions } from "../faults/faults";
import type { LogDamage } from "../faults/disk";
import { degradeArgsOf, degradeLinks, heal, isolateZone, partition, restoreLinks } from "../faults/links";
import { flap, healMembers, LinkPort, memberCutOf, packetLoss } from "../faults/member-link-faults";
import { kill, pause, restart, start, stop, unpause } from "../faults/process";
import type { LinkMode, Shape } from "../faults/shapes";
import { defined, FaultSpec, idList as ids, Params } from "../faults/spec";
import type { CutProbe } from "../checks";
import { latencyPairs, measurePair, probeMemberLinks, probeZoneCut } from "../probes";
import type { Degradation } from "../network";
import type { CutMode, CutSpec } from "../network";
import type { MemberId, ZoneName } from "../topology";
import type { RunCore } from "./core";

export class FaultWords {
  /** Client sessions the drill watches (openClient), closed when the run ends. */
  readonly #probes: ProbeSession[] = [];

  constructor(
    private readonly run: RunCore,
    private readonly faults: Faults,
  ) {
    // A composition's cuts (flap) are proven from inside it, through the faults: the probes live here.
    faults.proveCutWith = (proof) => this.#proveCut(proof.name, "zones" in proof ? probeZoneCut(this.run.ensemble, proof.zones) : probeMemberLinks(this.run.ensemble, proof.links));
  }

  /**
   * Any fault of the catalog, as a journaled step (a step each where the row says so), its
   * arguments as its YAML verb takes them with member ids for selectors: a new fault needs no word.
   * A cut is then proven on the wire.
   */
  async fault<S extends z.ZodObject, X extends object>(spec: FaultSpec<string, string, S, X>, args: Params<S, X>): Promise<void> {
    for (const p of spec.steps?.(args) ?? [args]) {
      await this.run.step(spec.step(p, this.faults), async () => {
        await this.faults.fault(spec, p);
        const proof = spec.proof?.(p, this.faults);
        if (proof) await this.faults.proveCut(proof);
      });
    }
  }

  /** `outageExpected`: the outage is the point (a quorum lost on purpose), and why; it is not held to the RTO objective. */
  kill(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    return this.fault(kill, defined({ members: ids(members), "outage-expected": o.outageExpected }));
  }

  /** Graceful stop (SIGTERM), one after the other in the order given (P2: followers first, leader last). */
  stop(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    return this.fault(stop, defined({ members: ids(members), "outage-expected": o.outageExpected }));
  }

  start(members: MemberId | readonly MemberId[], opts: { wipeData?: boolean } = {}): Promise<void> {
    return this.fault(start, defined({ members: ids(members), "wipe-data": opts.wipeData }));
  }

  restart(id: MemberId): Promise<void> {
    return this.fault(restart, { members: [id] });
  }

  /** SIGSTOP (cgroup freeze) for `forMs`, then SIGCONT; or until `unpause` when no duration is given. */
  pause(members: MemberId | readonly MemberId[], forMs?: number): Promise<void> {
    return this.fault(pause, defined({ members: ids(members), seconds: forMs ? forMs / 1000 : undefined }));
  }

  unpause(members: MemberId | readonly MemberId[]): Promise<void> {
    return this.fault(unpause, { members: ids(members) });
  }

  partition(cut: CutSpec): Promise<void> {
    return this.fault(partition, defined({ from: [...cut.from], to: [...cut.to], mode: cut.mode, "one-way": cut.oneWay }));
  }

  isolateZone(zone: ZoneName, mode: CutMode = "reset"): Promise<void> {
    return this.fault(isolateZone, { zone, mode });
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
    return this.fault(heal, cut ? defined({ from: [...cut.from], to: [...cut.to], mode: cut.mode, "one-way": cut.oneWay }) : {});
  }

  /**
   * A partition shape between members (isolate one, halves, bridge, majorities ring, one-way); cut inside
   * the members; `port`: only connections to that port (quorum: a member still votes but cannot follow).
   */
  partitionMembers(shape: Shape, mode: LinkMode = "drop", port?: LinkPort): Promise<void> {
    const cut = memberCutOf(shape, mode, port);
    return this.fault(cut.spec, cut.args);
  }

  isolateMember(id: MemberId, mode: LinkMode = "drop"): Promise<void> {
    return this.partitionMembers({ kind: "isolate", member: id }, mode);
  }

  healMembers(): Promise<void> {
    return this.fault(healMembers, {});
  }

  /** A flapping link: the shape cut and healed every `everyMs` for `forMs` (each cut and heal a fault of its own). */
  flap(shape: Shape, opts: { everyMs: number; forMs: number }): Promise<void> {
    const member = shape.kind === "isolate" ? shape.member : (this.run.ensemble.topology.members[0]?.id ?? 0);
    return this.fault(flap, { member, "every-seconds": opts.everyMs / 1000, "for-seconds": opts.forMs / 1000, shape });
  }

  /** `percent` of the packets from `from` to each of `to` (default: every other member) lost, on top of any zone latency. */
  packetLoss(from: MemberId, percent: number, to?: readonly MemberId[]): Promise<void> {
    return this.fault(packetLoss, defined({ from, percent, to: to && [...to] }));
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
  openClient(name: string, members: readonly MemberId[], sessionTimeoutMs: number, o: { ephemeral?: boolean } = {}): Promise<ProbeSession> {
    const later = o.ephemeral === false ? ", its ephemeral not yet created" : "";
    return this.run.step(`open client ${name} on ${members.length === 1 ? `member ${members[0]} alone` : `members ${members.join(", ")}`} (session timeout ${sessionTimeoutMs} ms${later})`, async () => {
      const p = await ProbeSession.open(this.run.ensemble, this.run.history, name, members, sessionTimeoutMs, o);
      this.#probes.push(p);
      this.run.journal.append("note", { what: "client opened", name, members, sessionId: p.sessionId, sessionTimeoutMs, negotiatedTimeoutMs: p.negotiatedTimeoutMs, ephemeral: p.path, created: o.ephemeral !== false });
      return p;
    });
  }

  /**
   * The client creates its ephemeral (an application registering itself): "ok" or the error it
   * ended with, journaled. `wait: false` sends it and returns at once (a create left in flight
   * across a fault); its answer is journaled when it comes.
   */
  async clientCreatesEphemeral(p: ProbeSession, o: { wait?: boolean } = {}): Promise<string | undefined> {
    const wait = o.wait !== false;
    const answered = (outcome: string) => this.run.journal.appendIfOpen("note", { what: "client create answered", name: p.name, sessionId: p.sessionId, path: p.path, outcome });
    return this.run.step(`client ${p.name} creates its ephemeral ${p.path}${wait ? "" : " (not waiting for the answer)"}`, async () => {
      const outcome = p.createEphemeral();
      if (!wait) {
        void outcome.then(answered);
        return undefined;
      }
      const o = await outcome;
      answered(o);
      return o;
    });
  }

  /** Waits (bounded) until the client, dropped since `arm()`, is connected again or told its session expired: which one. */
  clientSettles(p: ProbeSession, timeoutMs = 60_000): Promise<"connected" | "expired"> {
    return this.run.step(`client ${p.name} reconnects or is told its session expired`, async () => {
      const state = await this.run.unlessStopped(
        waitFor(`client ${p.name} to reconnect or expire`, async () => (p.expired ? { done: true, value: "expired" as const } : p.reconnectedAt !== null ? { done: true, value: "connected" as const } : { done: false, seen: p.disconnectedAt === null ? "not dropped yet" : "disconnected" }), {
          timeoutMs,
          intervalMs: 50,
        }),
      );
      this.run.journal.append("note", { what: "client settled", name: p.name, sessionId: p.sessionId, state });
      this.run.say(`    client ${p.name} (session 0x${p.sessionId}): ${state}`);
      return state;
    });
  }

  /**
   * The client's process gone (kill -9 of the application): its socket dropped without a
   * closeSession, no reconnect. The ensemble is untouched: judge it with d.expect.sessionExpired
   * (its ephemeral gone after ZooKeeper's bound, not before).
   */
  clientCrash(p: ProbeSession): Promise<void> {
    return this.run.step(`crash client ${p.name}: its process gone without closing its session`, async () => {
      p.crash();
      this.run.journal.append("note", { what: "client crashed", name: p.name, sessionId: p.sessionId, negotiatedTimeoutMs: p.negotiatedTimeoutMs });
    });
  }

  /**
   * The client alone cut from its servers (its own link, every byte held both ways) for `forMs`
   * (default: twice the granted timeout, past any expiry), healed by a timer: the step returns at
   * once, so d.expect.sessionKept (a cut shorter than the timeout) or sessionExpired watches it.
   */
  clientPartition(p: ProbeSession, forMs?: number): Promise<void> {
    const ms = forMs ?? 2 * p.negotiatedTimeoutMs;
    return this.run.step(`cut client ${p.name} from its servers for ${ms} ms (session timeout ${p.negotiatedTimeoutMs} ms)`, async () => {
      p.cut(ms);
      this.run.journal.append("note", { what: "client cut", name: p.name, sessionId: p.sessionId, forMs: ms, negotiatedTimeoutMs: p.negotiatedTimeoutMs });
      // healed() also resolves when the run closes the client first: only a real heal is noted.
      void p.healed().then(() => p.healedAt !== null && this.run.journal.appendIfOpen("note", { what: "client cut healed", name: p.name }));
    });
  }

  closeClients(): void {
    for (const p of this.#probes.splice(0)) p.close();
  }

  // ---- degraded links, disks, logs and clocks ----

  /** Links between zones degraded on top of their latency: bandwidth, slicing, slow closes, extra latency. */
  degradeLinks(d: Degradation): Promise<void> {
    return this.fault(degradeLinks, degradeArgsOf(d));
  }

  restoreLinks(): Promise<void> {
    return this.fault(restoreLinks, {});
  }

  /** The member's dataLogDir disk filled to the last byte (it needs a disk of its own: topology datalogMb). */
  fillDisk(id: MemberId): Promise<void> {
    return this.fault(fillDisk, { member: id });
  }

  freeDisk(id: MemberId): Promise<void> {
    return this.fault(freeDisk, { member: id });
  }

  /** The stopped member's newest transaction log broken: its last record torn, or a byte flipped in a record. */
  corruptLog(id: MemberId, damage: LogDamage): Promise<void> {
    return this.fault(corruptLog, { member: id, damage });
  }

  /** Wall clocks moved by `offsetSeconds` (the drill needs clockFaults: true). */
  skewClock(members: MemberId | readonly MemberId[], offsetSeconds: number): Promise<void> {
    return this.fault(skewClock, { members: ids(members), seconds: offsetSeconds });
  }

  resetClock(members: MemberId | readonly MemberId[]): Promise<void> {
    return this.fault(resetClock, { members: ids(members) });
  }
}
