// Member selectors: what a well-formed one looks like (checked before anything starts), what it
// names (ids, zones, saved names: checked against the topology and the steps before it), and what
// it resolves to at the moment its step runs, against the live ensemble.
import type { Backup } from "../../backup";
import type { QuorumView } from "../../runtime";
import type { MemberId, Topology, ZoneName } from "../../topology";
import { didYouMean, shown } from "./errors";
import { MemberSelector, QUORUM_PARTS, QuorumPart, SAVED_NAME, SAVED_REF, SELECTOR_KEYWORDS, SelectorKeyword } from "./schema";

export const SELECTOR_HELP =
  "use a member id, a list of ids, leader, followers, observers, running, all, random-follower, leader-zone-mate, " +
  "{zone: ...}, $saved (or $saved.leader, $saved.followers, $saved.observers) or {except: ..., of: ...}";

const isKeyword = (s: string): s is SelectorKeyword => (SELECTOR_KEYWORDS as readonly string[]).includes(s);
const isMemberId = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 255;

export interface SelectorProblem {
  /** Where inside the selector, e.g. ".except"; empty at its top. */
  readonly at: string;
  readonly message: string;
}

/** What is wrong with a value given as a member selector; empty when it is one. */
export function selectorProblems(value: unknown, at = ""): SelectorProblem[] {
  const problem = (message: string): SelectorProblem[] => [{ at, message }];
  if (typeof value === "number") return isMemberId(value) ? [] : problem(`${value} is not a member id; ids are whole numbers 1..255 (ZooKeeper's myid)`);
  if (typeof value === "string") {
    if (isKeyword(value)) return [];
    if (value.startsWith("$")) {
      if (SAVED_REF.test(value)) return [];
      const [name, part, ...rest] = value.slice(1).split(".");
      if (!SAVED_NAME.test(name)) return problem(`"${value}" is not a saved name; write $ and the name a step saved, lowercase letters, digits and dashes`);
      if (rest.length > 0 || part === undefined || !(QUORUM_PARTS as readonly string[]).includes(part)) {
        return problem(`"${value}": .${[part, ...rest].join(".")} is not part of a saved quorum${didYouMean(part ?? "", QUORUM_PARTS)}; use $${name}.leader, $${name}.followers or $${name}.observers`);
      }
    }
    return problem(`"${value}" is not a member selector${didYouMean(value, SELECTOR_KEYWORDS)}; ${SELECTOR_HELP}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return problem("an empty list selects nobody; list member ids");
    const out: SelectorProblem[] = [];
    const seen = new Set<number>();
    value.forEach((item, i) => {
      if (!isMemberId(item)) {
        out.push({ at: `${at}[${i}]`, message: `${shown(item)} is not a member id; a list holds ids 1..255 only (combine selectors with {except: ..., of: ...})` });
      } else if (seen.has(item)) {
        out.push({ at: `${at}[${i}]`, message: `member ${item} is listed twice; list each member once` });
      }
      if (isMemberId(item)) seen.add(item);
    });
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const fields = Object.keys(value);
    const record = value as Record<string, unknown>;
    if ("zone" in record) {
      const extra = fields.filter((f) => f !== "zone");
      if (extra.length > 0) return problem(`{zone: ...} takes no other field; remove ${extra.map((f) => `"${f}"`).join(", ")}`);
      return typeof record.zone === "string" && record.zone.length > 0 ? [] : [{ at: `${at}.zone`, message: `${shown(record.zone)} is not a zone name; give the name of one of the topology's zones` }];
    }
    if ("except" in record) {
      const extra = fields.filter((f) => f !== "except" && f !== "of");
      if (extra.length > 0) return problem(`unknown field(s) ${extra.map((f) => `"${f}"`).join(", ")}${didYouMean(extra[0], ["of"])}; {except: ...} takes except and of only`);
      return [...selectorProblems(record.except, `${at}.except`), ...("of" in record ? selectorProblems(record.of, `${at}.of`) : [])];
    }
    return problem(`${shown(value)} is not a member selector${fields.length > 0 ? didYouMean(fields[0], ["zone", "except"]) : ""}; a selector object is {zone: name} or {except: <selector>, of: <selector>}`);
  }
  return problem(`${shown(value)} is not a member selector; ${SELECTOR_HELP}`);
}

export interface SavedRef {
  readonly name: string;
  readonly part?: QuorumPart;
  /** As written, e.g. "$before.leader". */
  readonly text: string;
}

/** What a selector names: fixed ids, zones, saved names, and the words only the live ensemble answers. */
export interface SelectorParts {
  readonly ids: readonly MemberId[];
  readonly zones: readonly ZoneName[];
  readonly refs: readonly SavedRef[];
  readonly live: readonly SelectorKeyword[];
}

export function parseRef(text: string): SavedRef | undefined {
  const m = SAVED_REF.exec(text);
  return m ? { name: m[1], part: m[2] as QuorumPart | undefined, text } : undefined;
}

export function selectorParts(sel: MemberSelector): SelectorParts {
  const parts = { ids: [] as MemberId[], zones: [] as ZoneName[], refs: [] as SavedRef[], live: [] as SelectorKeyword[] };
  const walk = (s: MemberSelector): void => {
    if (typeof s === "number") parts.ids.push(s);
    else if (typeof s === "string") {
      const ref = parseRef(s);
      if (ref) parts.refs.push(ref);
      else if (isKeyword(s)) parts.live.push(s);
    } else if (Array.isArray(s)) parts.ids.push(...(s as readonly number[]));
    else if ("zone" in s) parts.zones.push(s.zone);
    else if ("except" in s) {
      walk(s.except);
      if (s.of !== undefined) walk(s.of);
    }
  };
  walk(sel);
  return parts;
}

// ---- resolution, when the step runs ----

export type SavedQuorum = Pick<QuorumView, "leader" | "followers" | "observers" | "epoch">;

/** What steps saved: a quorum (wait-for-quorum), a member list (any selector, expect-leader-in), a backup. */
export type Saved = { readonly kind: "quorum"; readonly quorum: SavedQuorum } | { readonly kind: "members"; readonly ids: readonly MemberId[] } | { readonly kind: "backup"; readonly backup: Backup };

/** What resolution reads of a DrillContext (a DrillContext is one). */
export interface SelectorContext {
  quorum(members?: readonly MemberId[], timeoutMs?: number): Promise<SavedQuorum>;
  membersIn(zone: ZoneName): MemberId[];
  runningMembers(): Promise<MemberId[]>;
  readonly topology: Topology;
  readonly random: { pick<T>(items: readonly T[]): T };
}

export class SelectorError extends Error {
  override name = "SelectorError";
}

/** The members of a saved quorum, leader first. */
export const quorumMembers = (q: SavedQuorum): MemberId[] => [q.leader, ...q.followers, ...q.observers];

/**
 * Resolves the selectors of one step. The words that need the leader share one quorum read per
 * step, so `leader` and `followers` in one step describe the same moment.
 */
export class SelectorResolver {
  private current?: Promise<SavedQuorum>;

  constructor(
    private readonly d: SelectorContext,
    private readonly saved: ReadonlyMap<string, Saved>,
  ) {}

  private liveQuorum(): Promise<SavedQuorum> {
    this.current ??= this.d.quorum();
    return this.current;
  }

  async resolve(sel: MemberSelector): Promise<MemberId[]> {
    if (typeof sel === "number") return [sel];
    if (Array.isArray(sel)) return [...(sel as readonly number[])];
    if (typeof sel === "string") return sel.startsWith("$") ? this.fromSaved(sel) : this.keyword(sel);
    if ("zone" in sel) return this.d.membersIn(sel.zone);
    if ("except" in sel) {
      const of = sel.of === undefined ? await this.d.runningMembers() : await this.resolve(sel.of);
      const except = new Set(await this.resolve(sel.except));
      return of.filter((id) => !except.has(id));
    }
    throw new SelectorError(`${shown(sel)} is not a member selector; ${SELECTOR_HELP}`);
  }

  private async keyword(word: string): Promise<MemberId[]> {
    switch (word) {
      case "leader":
        return [(await this.liveQuorum()).leader];
      case "followers":
        return [...(await this.liveQuorum()).followers];
      case "observers":
        return [...(await this.liveQuorum()).observers];
      case "running":
        return this.d.runningMembers();
      case "all":
        return this.d.topology.members.map((m) => m.id);
      case "random-follower": {
        const q = await this.liveQuorum();
        if (q.followers.length === 0) throw new SelectorError(`random-follower: the leader, member ${q.leader}, has no followers`);
        return [this.d.random.pick(q.followers)];
      }
      case "leader-zone-mate": {
        const { leader } = await this.liveQuorum();
        const zone = this.d.topology.members.find((m) => m.id === leader)?.zone;
        // The first of the zone, not a random one: the same run picks the same mate (P7 does the same).
        const mate = zone === undefined ? undefined : this.d.membersIn(zone).find((id) => id !== leader);
        if (mate === undefined) throw new SelectorError(`leader-zone-mate: the leader, member ${leader}, is alone in zone ${zone ?? "(none)"}`);
        return [mate];
      }
      default:
        throw new SelectorError(`"${word}" is not a member selector; ${SELECTOR_HELP}`);
    }
  }

  private fromSaved(text: string): MemberId[] {
    const ref = parseRef(text);
    const saved = ref && this.saved.get(ref.name);
    if (!ref || !saved) throw new SelectorError(`${text}: nothing was saved under that name`);
    if (saved.kind === "backup") throw new SelectorError(`${text} is a backup, not members`);
    if (saved.kind === "members") {
      if (ref.part) throw new SelectorError(`${text}: $${ref.name} is a member list, not a quorum`);
      return [...saved.ids];
    }
    return ref.part === undefined ? quorumMembers(saved.quorum) : ref.part === "leader" ? [saved.quorum.leader] : [...saved.quorum[ref.part]];
  }
}
