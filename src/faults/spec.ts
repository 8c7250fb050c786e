// A fault as one row: its YAML verb and arguments, its step and journal labels, whether it is a fault
// or a recovery, what it needs of the topology, how a dry run tells it, and `inject` returning its
// rollback. The family files (process.ts, links.ts, ...) hold the rows, catalog.ts lists them; the
// YAML format, the drill words, the dry run and the report read them, so a new fault is one row.
import type { z } from "zod";
import type { ImageRef } from "../images";
import type { CutSpec } from "../network";
import type { StartedEnsemble } from "../runtime";
import type { MemberChange, MemberId, Topology } from "../topology";
import type { MemberLinks } from "./member-links";
import type { CutLink } from "./shapes";

declare const SELECTS: unique symbol;
/** A member selector as the YAML gives it (leader, $saved, {zone}, ids): opaque here; src/drill/yaml resolves it. */
export type Selects<N extends "one" | "many"> = { readonly [SELECTS]: N };

/** The field builders of the YAML format (src/drill/yaml/schema.ts provides them), so every verb reads and validates alike. */
export interface ArgHelpers {
  /** Members, resolved to ids when the step runs. */
  members(description: string): z.ZodType<Selects<"many">>;
  /** One member: the first its selector resolves to. */
  member(description: string): z.ZodType<Selects<"one">>;
  zones(description: string): z.ZodType<string[]>;
  seconds(description: string): z.ZodType<number>;
  /** `save: name`: the members the step's first selector resolved to, for later steps. */
  readonly save: z.ZodOptional<z.ZodType<string>>;
}

type ResolvedValue<V> = V extends Selects<"one"> ? MemberId : V extends Selects<"many"> ? MemberId[] : V;
/** The YAML arguments with their selectors resolved (ids), `save` left to the YAML: what `inject` and `d.fault` take. */
export type Resolved<Y> = { [K in keyof Y as K extends "save" ? never : K]: ResolvedValue<Y[K]> };

/** What a spec's schema parses to, and what its fault runs on (`X`: what only TypeScript callers give). */
export type ArgsOf<S extends z.ZodType> = z.output<S>;
export type Params<S extends z.ZodType, X extends object = object> = Resolved<z.output<S>> & X;

/** A rollback that always runs at the end of the run unless a recovery forgets it first (one per label). */
export interface Rollback {
  readonly label: string;
  readonly run: () => Promise<void>;
}

/** What labels are computed from. */
export interface FaultScene {
  readonly topology: Topology;
  /** An upgrade drill's target version (--to-version). */
  readonly upgradeTo?: string;
  /** The ZooKeeper version member `id` runs now. */
  versionOf(id: MemberId): string;
}

/** What a fault acts on (src/faults/faults.ts provides it). */
export interface FaultEnv extends FaultScene {
  readonly ensemble: StartedEnsemble;
  /** Links between members, cut or degraded inside them. */
  readonly links: MemberLinks;
  /** A journal note beside the fault (what changed, for the report). */
  note(what: string, data: Record<string, unknown>): void;
  /** A measured figure the fault produced (what a power cut lost), listed by the report as findings are. */
  finding(name: string, severity: "info" | "warning" | "critical", text: string, figure: Record<string, unknown>): void;
  /** Drops rollbacks a recovery made needless. */
  forget(labels: readonly string[]): void;
  /** Another spec's fault, journaled on its own (no step): a composition (flap) or an undo (a timed pause). */
  fault<S extends z.ZodObject, X extends object>(spec: FaultSpec<string, string, S, X>, p: Params<S, X>): Promise<void>;
  /** The image of a ZooKeeper version provided for this run (default: --to-version). */
  image(version?: string): { image: ImageRef; version: string };
  /**
   * A cut proven on the wire, a check of its own (the drill's probes do it): what a step does after a
   * spec with `proof`, and what a composition does after each cut it makes (flap), so none goes unproven.
   */
  proveCut(proof: CutProof): Promise<void>;
}

/** A selector as the dry run knows it: the exact members when knowable before the run, else a description and maybe a count. */
export interface Sketch {
  readonly text: string;
  readonly ids?: readonly MemberId[];
  readonly count?: number;
}

/** The dry run's state, as a spec tells its step and moves it on (src/drill/yaml/dry-run.ts). */
export interface DryRunView {
  readonly topology: Topology;
  sketch(sel: Selects<"one" | "many">): Sketch;
  down(s: Sketch): void;
  upAgain(s: Sketch): void;
  cut(c: CutSpec): void;
  heal(c?: CutSpec): void;
  rewrite(ids: readonly MemberId[], change: MemberChange): void;
  /** "planner: ..." — the planner's verdict on the quorum now. */
  planner(): string;
}

export interface Explained {
  readonly text: string;
  /** What the step does to who runs or reaches whom (a line of its own). */
  readonly after?: string;
}

/** A topology, as a spec checks its preconditions against it (src/drill/yaml/topology-check.ts). */
export interface TopologyView {
  readonly topology: Topology;
  /** "steps[3] (partition)": problems start with it. */
  readonly at: string;
  /** The member ids a selector names outright (not leader, $saved, ...). */
  named(sel: Selects<"one" | "many">): MemberId[];
  /** A zone that is not in the topology, said with a suggestion; none when it is. */
  zoneProblem(where: string, zone: string): string[];
  /** A cut the network cannot make, in the step's words; undefined when it can. */
  cutProblem(cut: CutSpec): string | undefined;
}

/** A cut a drill proves on the wire after the fault (connections across it must go unanswered). */
export type CutProof = { readonly name: string; readonly zones: CutSpec } | { readonly name: string; readonly links: readonly CutLink[] };

/** How a fault is journaled and reported: its kinds, and whether it breaks or mends. */
export interface FaultClass<K extends string = string> {
  /** The kinds its journal records carry (the report and the RTO tables name faults by them). */
  readonly kinds: readonly K[];
  readonly effect: "fault" | "recovery";
  /** It can end the old ensemble: a new lineage dates its disaster from the last such fault. */
  readonly disaster?: boolean;
}

export interface FaultSpec<V extends string = string, K extends string = string, S extends z.ZodObject = z.ZodObject, X extends object = object> extends FaultClass<K> {
  /** The YAML verb. */
  readonly verb: V;
  /** What it does, in a sentence (the verb's description in the JSON Schema). */
  readonly about: string;
  /** Its arguments as the YAML gives them; selectors (h.members, h.member) are resolved to ids before it runs. */
  args(h: ArgHelpers): S;
  /** What it does to who runs (the recording fake, and the default dry run of process faults). */
  readonly running?: "down" | "up";
  /** Members must start with libfaketime (zk-run.sh preloads it): a drill with this verb asks for it. */
  readonly needsFakeClock?: boolean;
  /** Members must start with the disk shim (zk-run.sh preloads zkdrill-disk.so): a drill with this verb asks for it. */
  readonly needsDiskShim?: boolean;

  /** One step each (restart: a step per member, in order); default: one step. */
  steps?(p: Params<S, X>): Array<Params<S, X>>;
  /** The step's name, as the progress and the journal show it. */
  step(p: Params<S, X>, scene: FaultScene): string;
  /** One journaled fault each, inside the step (stop: one per member, in order); default: one. */
  faults?(p: Params<S, X>): Array<Params<S, X>>;
  /** The journaled kind (default: the first of `kinds`). */
  kind?(p: Params<S, X>, env: FaultEnv): K;
  /** The fault's label in the journal: what the RTO table shows. */
  label(p: Params<S, X>, scene: FaultScene): string;
  /** The members the journal names. */
  members(p: Params<S, X>, scene: FaultScene): MemberId[];
  /** What else the journal records of it. */
  detail?(p: Params<S, X>, env: FaultEnv): Record<string, unknown>;
  /** The fault itself; returns what undoes it, run at the end whatever happens (unless a recovery forgets it). */
  inject?(p: Params<S, X>, env: FaultEnv): Promise<Rollback | readonly Rollback[] | void>;
  /** Instead of `inject`: other specs' faults in a rhythm (flap), none journaled as this one. */
  compose?(p: Params<S, X>, env: FaultEnv): Promise<void>;
  /** Inside the step, after the fault (a timed pause's hold and unpause). */
  after?(p: Params<S, X>, env: FaultEnv): Promise<void>;
  /** The cut a drill proves on the wire after it. */
  proof?(p: Params<S, X>, scene: FaultScene): CutProof | undefined;

  /** The dry run's line (and what it does to who runs or reaches whom). */
  explain(a: ArgsOf<S>, run: DryRunView): Explained;
  /** What the topology must have (zones that exist, a disk of its own). */
  check?(a: ArgsOf<S>, t: TopologyView): string[];
  /** What the step itself must say (fields that go together): problems, each starting with `at`. */
  flow?(a: ArgsOf<S>, at: string): string[];
}

/** Any spec, as the catalog and the YAML tooling hold them. */
export type AnyFaultSpec = FaultSpec<string, string, z.ZodObject, any>;

/** A spec, its types inferred from its schema (write `args: (h: ArgHelpers) => z.strictObject({...})` first). */
export function defineFault<V extends string, K extends string, S extends z.ZodObject, X extends object = object>(spec: FaultSpec<V, K, S, X>): FaultSpec<V, K, S, X> {
  if (!spec.inject === !spec.compose) throw new Error(`fault ${spec.verb}: give inject (one fault) or compose (other faults), not ${spec.inject ? "both" : "neither"}`);
  return spec;
}

/** `x`, or `[x]`: the drill words take one member or several. */
export const idList = (x: MemberId | readonly MemberId[]): MemberId[] => (Array.isArray(x) ? [...(x as readonly MemberId[])] : [x as MemberId]);

/** The object without its undefined fields: "absent", not "undefined". */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
