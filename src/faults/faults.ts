// Every fault a drill injects, through one path: journaled as a fault with its start and end (wall
// and monotonic time, so the RTO of each is measured against the history), and where it leaves the
// system broken in a way teardown would not undo by itself, a rollback that always runs. What each
// fault is and does is its row in the catalog (catalog.ts); `run` puts a row through this path.
import type { z } from "zod";
import { errorText } from "../common";
import type { ImageRef } from "../images";
import type { Journal } from "../journal";
import type { StartedEnsemble, StartOptions } from "../runtime";
import type { MemberChange, MemberId, Topology } from "../topology";
import { effectOf, FaultKind } from "./catalog";
import { rewriteConfig, upgrade } from "./config";
import { MemberLinks } from "./member-links";
import { start } from "./process";
import type { CutProof, FaultEnv, FaultSpec, Params, Rollback } from "./spec";

export type { FaultKind } from "./catalog";
export type { FaultOptions } from "./process";

/** The versions an upgrade can go to: the images provided before the run, and --to-version. */
export interface UpgradeImages {
  readonly images: ReadonlyMap<string, ImageRef>;
  readonly upgradeTo?: string;
}

export class Faults implements FaultEnv {
  private readonly rollbacks: Rollback[] = [];
  /** Links between members, cut or degraded inside them (shapes a zone cut cannot make). */
  readonly links: MemberLinks;
  private seq = 0;
  /** Runs once, just before the first fault (the steady state is judged there). */
  beforeFirst?: () => Promise<void>;
  /** How a cut is proven on the wire: the drill's probes (src/drill/fault-words.ts sets it; probing is not a fault's). */
  proveCutWith?: (proof: CutProof) => Promise<void>;
  /** Where upgrades find their images (the drill context provides them). */
  upgrades: () => UpgradeImages = () => ({ images: new Map() });

  constructor(
    readonly ensemble: StartedEnsemble,
    private readonly journal: Journal,
  ) {
    this.links = new MemberLinks(ensemble);
  }

  get topology(): Topology {
    return this.ensemble.topology;
  }

  get upgradeTo(): string | undefined {
    return this.upgrades().upgradeTo;
  }

  versionOf(id: MemberId): string {
    return this.ensemble.members.versionOf(id);
  }

  image(version = this.upgradeTo): { image: ImageRef; version: string } {
    if (!version) throw new Error("no version to upgrade to: give one, or run the drill with --to-version");
    const image = this.upgrades().images.get(version);
    if (!image) throw new Error(`ZooKeeper ${version}'s image was not provided for this run; an upgrade drill gets its --from-version and --to-version images before it starts`);
    return { image, version };
  }

  async proveCut(proof: CutProof): Promise<void> {
    // A cut taken on trust is what this refuses: no prover is a wiring mistake, not a cut that held.
    if (!this.proveCutWith) throw new Error(`the cut "${proof.name}" cannot be proven on the wire: these Faults have no prover; the drill context (src/drill/fault-words.ts) gives them one`);
    await this.proveCutWith(proof);
  }

  note(what: string, data: Record<string, unknown>): void {
    this.journal.append("note", { what, ...data });
  }

  finding(name: string, severity: "info" | "warning" | "critical", text: string, figure: Record<string, unknown>): void {
    this.journal.append("finding", { name, severity, text, figure });
  }

  /**
   * The one journaling path: a "fault" record (its label is what RTO tables show, its effect whether
   * it breaks or mends), the work, then a "fault-end" record with the outcome. A failed fault still
   * ends in the journal before it throws.
   */
  async inject<T>(kind: FaultKind, members: readonly MemberId[], label: string, detail: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    if (this.seq === 0 && this.beforeFirst) {
      const first = this.beforeFirst;
      this.beforeFirst = undefined;
      await first();
    }
    const id = ++this.seq;
    this.journal.append("fault", { id, kind, effect: effectOf(kind), members: [...members], label, ...detail });
    try {
      const value = await work();
      this.journal.append("fault-end", { id, label, status: "done" });
      return value;
    } catch (err) {
      this.journal.appendIfOpen("fault-end", { id, label, status: "failed", error: errorText(err) });
      throw err;
    }
  }

  /** A catalog row's fault(s), each through `inject`, its rollbacks remembered; then what it does after. No step: the drill words name one. */
  async fault<S extends z.ZodObject, X extends object>(spec: FaultSpec<string, string, S, X>, p: Params<S, X>): Promise<void> {
    if (spec.compose) await spec.compose(p, this);
    else {
      for (const one of spec.faults?.(p) ?? [p]) {
        const kind = (spec.kind?.(one, this) ?? spec.kinds[0]) as FaultKind;
        const detail = spec.detail?.(one, this) ?? {};
        await this.inject(kind, spec.members(one, this), spec.label(one, this), detail, async () => {
          const undo = await spec.inject!(one, this);
          for (const r of undo ? (Array.isArray(undo) ? undo : [undo as Rollback]) : []) this.remember(r.label, r.run);
        });
      }
    }
    await spec.after?.(p, this);
  }

  start(members: readonly MemberId[], opts: StartOptions = {}): Promise<void> {
    return this.fault(start, { members: [...members], ...(opts.wipeData !== undefined ? { "wipe-data": opts.wipeData } : {}), ...(opts.restore ? { restore: opts.restore } : {}) });
  }

  /** Several members' configs as one change; each takes effect at that member's next start. */
  rewriteConfigs(changes: Readonly<Record<MemberId, MemberChange>>): Promise<void> {
    return this.fault(rewriteConfig, { members: Object.keys(changes).map(Number), changes });
  }

  /** The member on another ZooKeeper version, its data carried over; the members' versions go to the journal. */
  upgrade(id: MemberId, image: ImageRef, version: string): Promise<void> {
    return this.fault(upgrade, { members: [id], version, image });
  }

  /** A zoo.cfg written as given (an operator's hand edit, typos included: P5's failed restart). */
  writeConfigText(id: MemberId, text: string): Promise<void> {
    return this.inject("rewrite-config", [id], `hand-edit config ${id}`, {}, async () => {
      await this.ensemble.putConfigText(id, text);
      this.note("config rewritten", { member: id, config: text });
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
