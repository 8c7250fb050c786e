// Every fault a drill injects, through one path: journaled as a fault with its start and end (wall
// and monotonic time, so the RTO of each is measured against the history), and where it leaves the
// system broken in a way teardown would not undo by itself, a rollback that always runs.
import { errorText } from "../common/wait";
import type { Journal } from "../journal/journal";
import { CutMode, CutSpec, describeCut, isolate, validateCut } from "../network/wiring";
import type { StartedEnsemble, StartOptions } from "../runtime/ensemble";
import { MemberChange, MemberId, versionAtLeast, ZoneName } from "../topology";
import type { ImageRef } from "../images/build";
import { MemberLinks } from "./member-links";
import { describeShape, LinkMode, linksOf, Shape } from "./shapes";

/** What kind of fault, as the report and the RTO table name it. */
export type FaultKind =
  | "kill" | "stop" | "start" | "restart" | "pause" | "unpause" | "rewrite-config" | "partition" | "heal" | "restore" | "promotion" | "upgrade" | "downgrade"
  | "degrade" | "disk" | "clock";

interface Rollback {
  readonly label: string;
  readonly run: () => Promise<void>;
}

const list = (x: MemberId | readonly MemberId[]) => (Array.isArray(x) ? [...x] : [x as MemberId]);

/** What a drill may say of a fault: its outage is the point (a quorum lost on purpose), and why; judged as such, not by the RTO. */
export interface FaultOptions {
  readonly outageExpected?: string;
}

const outageDetail = (o: FaultOptions) => (o.outageExpected ? { expectOutage: o.outageExpected } : {});

export class Faults {
  private readonly rollbacks: Rollback[] = [];
  /** Links between members, cut or degraded inside them (shapes a zone cut cannot make). */
  readonly links: MemberLinks;
  private seq = 0;
  /** Runs once, just before the first fault (the steady state is judged there). */
  beforeFirst?: () => Promise<void>;

  constructor(
    private readonly ensemble: StartedEnsemble,
    private readonly journal: Journal,
  ) {
    this.links = new MemberLinks(ensemble);
  }

  /**
   * The one journaling path: a "fault" record (its label is what RTO tables show), the work, then a
   * "fault-end" record with the outcome. A failed fault still ends in the journal before it throws.
   */
  async inject<T>(kind: FaultKind, members: readonly MemberId[], label: string, detail: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    if (this.seq === 0 && this.beforeFirst) {
      const first = this.beforeFirst;
      this.beforeFirst = undefined;
      await first();
    }
    const id = ++this.seq;
    this.journal.append("fault", { id, kind, members: [...members], label, ...detail });
    try {
      const value = await work();
      this.journal.append("fault-end", { id, label, status: "done" });
      return value;
    } catch (err) {
      this.journal.appendIfOpen("fault-end", { id, label, status: "failed", error: errorText(err) });
      throw err;
    }
  }

  /** SIGKILL, all at once: a power loss (P1's kill -9). */
  kill(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    const ids = list(members);
    return this.inject("kill", ids, `kill ${ids.join(",")}`, { signal: "SIGKILL", ...outageDetail(o) }, () => Promise.all(ids.map((id) => this.ensemble.kill(id))).then(() => undefined));
  }

  /** SIGTERM, one after the other in the order given (P2: followers first, the leader last): one fault each. */
  async stop(members: MemberId | readonly MemberId[], o: FaultOptions = {}): Promise<void> {
    for (const id of list(members)) await this.inject("stop", [id], `stop ${id}`, { signal: "SIGTERM", ...outageDetail(o) }, () => this.ensemble.stop(id));
  }

  start(members: MemberId | readonly MemberId[], opts: StartOptions = {}): Promise<void> {
    const ids = list(members);
    const detail = { wipeData: opts.wipeData ?? false, ...(opts.restore ? { restored: true } : {}) };
    return this.inject(opts.restore ? "restore" : "start", ids, `${opts.restore ? "restore" : "start"} ${ids.join(",")}`, detail, () =>
      Promise.all(ids.map((id) => this.ensemble.startMember(id, opts))).then(() => undefined),
    );
  }

  restart(id: MemberId): Promise<void> {
    return this.inject("restart", [id], `restart ${id}`, {}, async () => {
      if ((await this.ensemble.state(id)) === "running") await this.ensemble.stop(id);
      await this.ensemble.startMember(id);
    });
  }

  /** SIGSTOP of the whole container (cgroup freeze): a GC pause or a hung host. Undone by a rollback. */
  pause(members: MemberId | readonly MemberId[]): Promise<void> {
    const ids = list(members);
    return this.inject("pause", ids, `pause ${ids.join(",")}`, {}, async () => {
      await Promise.all(ids.map((id) => this.ensemble.pause(id)));
      for (const id of ids) {
        this.remember(`unpause ${id}`, async () => {
          if ((await this.ensemble.state(id)) === "paused") await this.ensemble.unpause(id);
        });
      }
    });
  }

  unpause(members: MemberId | readonly MemberId[]): Promise<void> {
    const ids = list(members);
    return this.inject("unpause", ids, `unpause ${ids.join(",")}`, {}, () => Promise.all(ids.map((id) => this.ensemble.unpause(id))).then(() => this.forget(ids.map((id) => `unpause ${id}`))));
  }

  /** Several members' configs as one change; each takes effect at that member's next start. */
  rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<Record<MemberId, string>> {
    const ids = Object.keys(changes).map(Number);
    return this.inject("rewrite-config", ids, `rewrite config ${ids.join(",")}`, { changes }, async () => {
      const cfgs = await this.ensemble.rewriteConfigs(changes);
      for (const id of ids) this.journal.append("note", { what: "config rewritten", member: id, config: cfgs[id] });
      return cfgs;
    });
  }

  /** The member on another ZooKeeper version, its data carried over; the members' versions go to the journal. */
  upgrade(id: MemberId, image: ImageRef, version: string): Promise<void> {
    const from = this.ensemble.members.versionOf(id);
    const kind = versionAtLeast(version, from) ? "upgrade" : "downgrade";
    return this.inject(kind, [id], `${kind} ${id} to ${version}`, { from, to: version, image: image.name }, async () => {
      await this.ensemble.upgradeMember(id, image, version);
      this.journal.append("note", { what: "member versions", versions: this.ensemble.versions() });
    });
  }

  /** A zoo.cfg written as given (an operator's hand edit, typos included: P5's failed restart). */
  writeConfigText(id: MemberId, text: string): Promise<void> {
    return this.inject("rewrite-config", [id], `hand-edit config ${id}`, {}, async () => {
      await this.ensemble.putConfigText(id, text);
      this.journal.append("note", { what: "config rewritten", member: id, config: text });
    });
  }

  /** Cuts zones apart (reset: refused; blackhole: bytes silently held), on top of cuts in force. Healed by a rollback. */
  partition(cut: CutSpec): Promise<void> {
    validateCut(this.ensemble.topology, cut);
    const members = this.ensemble.topology.members.filter((m) => [...cut.from, ...cut.to].includes(m.zone)).map((m) => m.id);
    return this.inject("partition", members, `partition ${describeCut(cut)}`, { cut }, async () => {
      const changes = await this.ensemble.network.cut(cut);
      this.journal.append("note", { what: "proxies changed", changes });
      this.remember("heal every partition", async () => {
        await this.ensemble.network.heal();
      });
    });
  }

  isolateZone(zone: ZoneName, mode: CutMode = "reset"): Promise<void> {
    return this.partition(isolate(this.ensemble.topology, zone, mode));
  }

  /** A partition shape between members (isolate one, halves, bridge, majorities ring, one-way). Healed by a rollback. */
  partitionMembers(shape: Shape, mode: LinkMode = "drop"): Promise<void> {
    const members = this.ensemble.topology.members.map((m) => m.id);
    const links = linksOf(shape, members, mode);
    const touched = [...new Set(links.flatMap((l) => [l.from, l.to]))];
    return this.inject("partition", touched, `partition ${describeShape(shape)} (${mode})`, { shape, mode }, async () => {
      const rules = await this.links.cut(links);
      this.journal.append("note", { what: "member links cut", rules });
      this.remember("heal member links", () => this.links.heal().then(() => undefined));
    });
  }

  /** Every member-level cut and loss removed. */
  healMembers(): Promise<void> {
    return this.inject("heal", [], "heal member links", {}, async () => {
      const healed = await this.links.heal();
      this.journal.append("note", { what: "member links healed", members: healed });
      this.forget(["heal member links"]);
    });
  }

  /** A share of the packets from `from` to `to` lost at random, on top of the zone latency. Healed by a rollback. */
  packetLoss(from: MemberId, to: readonly MemberId[], share: number): Promise<void> {
    return this.inject("degrade", [from, ...to], `loss ${Math.round(share * 100)} % ${from} -> ${to.join(",")}`, { share, to }, async () => {
      const rules = await this.links.loss(from, to, share);
      this.journal.append("note", { what: "member links degraded", rules });
      this.remember("heal member links", () => this.links.heal().then(() => undefined));
    });
  }

  heal(cut?: CutSpec): Promise<void> {
    return this.inject("heal", [], cut ? `heal ${describeCut(cut)}` : "heal", { cut: cut ?? "all" }, async () => {
      const changes = await this.ensemble.network.heal(cut);
      this.journal.append("note", { what: "proxies changed", changes });
      if (this.ensemble.network.activeCuts.length === 0) this.forget(["heal every partition"]);
    });
  }

  /** A rollback that runs at the end of the run unless `forget` drops it first (one per label). */
  remember(label: string, run: () => Promise<void>): void {
    if (!this.rollbacks.some((r) => r.label === label)) this.rollbacks.push({ label, run });
  }

  forget(labels: readonly string[]): void {
    for (const l of labels) {
      const i = this.rollbacks.findIndex((r) => r.label === l);
      if (i >= 0) this.rollbacks.splice(i, 1);
    }
  }

  /**
   * Undoes what would otherwise stay broken (cuts, pauses), newest first, each journaled; runs on
   * success, failure and interrupt alike. Stopped members are not started again: in a DR drill the
   * old members rejoining the rewritten ensemble is exactly what the runbook forbids.
   */
  async runRollbacks(): Promise<void> {
    while (this.rollbacks.length > 0) {
      const r = this.rollbacks.pop()!;
      try {
        await r.run();
        if (!this.journal.isClosed) this.journal.append("rollback", { label: r.label, status: "done" });
      } catch (err) {
        if (!this.journal.isClosed) this.journal.append("rollback", { label: r.label, status: "failed", error: errorText(err) });
      }
    }
  }
}
