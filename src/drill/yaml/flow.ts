// The rules that span steps, checked in the order the steps run: a name is saved before it is used
// (and holds the right kind of thing), the workload runs when it is measured, phases are marked
// before they are compared, and each step says something its drill word can act on.
import { faultSpecOf } from "../../faults/catalog";
import { didYouMean } from "./errors";
import { flattenParsed, isBroken, labelOf, ParsedStep, selectorsOf } from "./model";
import { Verb } from "./schema";
import { selectorParts } from "./selectors";

type SavedKind = "quorum" | "members" | "backup";
/** What a broken step saves: its kind is not checked, so a use of it waits for the step's own fix. */
type AnyKind = SavedKind | "unknown";

/** What a step's `save:` stores: its return where it has one, else the members it resolved. */
export function savedKindOf(verb: Verb): SavedKind {
  return verb === "wait-for-quorum" ? "quorum" : verb === "backup" ? "backup" : "members";
}

const KIND_TEXT: Record<SavedKind, string> = {
  quorum: "a quorum",
  members: "a member list",
  backup: "a backup",
};

interface SavedBy {
  readonly kind: AnyKind;
  readonly label: string;
}

const WORKLOAD_VERBS: readonly Verb[] = ["measure", "writes-succeed", "move-clients", "stop-workload"];

/**
 * The rules across steps, over the steps that parsed; a broken step is not checked itself (its own
 * problems come first) but counts for what it evidently does: the name it saves, the workload it
 * starts or stops, the phase it marks, the znodes it writes.
 */
export function checkFlow(steps: readonly ParsedStep[], drill: { readonly readOnlyMode?: boolean } = {}): string[] {
  const problems: string[] = [];
  const saved = new Map<string, SavedBy>();
  /** Clients by name: the step that opened each, and the one that crashed it. */
  const clients = new Map<string, { opened: string; crashed?: string }>();
  const phases: string[] = [];
  let workloadStarted: string | undefined;
  let workloadStopped: string | undefined;
  let wroteNamed = false;

  /** Checks that `$name` (text as written) holds one of `kinds`; says what to do when it does not. */
  const use = (where: string, text: string, kinds: readonly SavedKind[], part?: string) => {
    const name = text.replace(/^\$/, "").split(".")[0];
    const by = saved.get(name);
    if (!by) {
      const hint = didYouMean(name, [...saved.keys()]);
      problems.push(`${where}: "${text}" is used before any step saves it${hint}; add save: ${name} to an earlier step (${kinds.includes("quorum") ? "wait-for-quorum saves a quorum" : "backup saves a backup"})`);
    } else if (by.kind === "unknown") {
      return;
    } else if (!kinds.includes(by.kind)) {
      problems.push(`${where}: "${text}" is ${KIND_TEXT[by.kind]} (saved by ${by.label}); this needs ${kinds.map((k) => KIND_TEXT[k]).join(" or ")}`);
    } else if (part && by.kind !== "quorum") {
      problems.push(`${where}: "${text}": $${name} is ${KIND_TEXT[by.kind]} (saved by ${by.label}); .${part} needs a quorum saved by wait-for-quorum; use $${name} alone`);
    }
  };

  const remember = (name: string | undefined, by: SavedBy) => {
    if (name === undefined) return;
    const earlier = saved.get(name);
    if (earlier) problems.push(`${by.label}.save: "${name}" is already saved by ${earlier.label}; choose another name`);
    else saved.set(name, by);
  };

  /** The client a step names, opened before it; says what to do when it is not. */
  const client = (label: string, name: string) => {
    const c = clients.get(name);
    if (!c) {
      const hint = didYouMean(name, [...clients.keys()]);
      problems.push(`${label}.client: client "${name}" is not opened before this step${hint}; add a step before it: open-client: { name: ${name}, members: ..., session-timeout-ms: ... }`);
    }
    return c;
  };

  for (const item of flattenParsed(steps)) {
    if (isBroken(item)) {
      const label = item.verb ? labelOf({ at: item.at, verb: item.verb }) : item.at;
      if (item.client !== undefined) clients.set(item.client, { opened: label });
      if (item.verb === "start-workload") workloadStarted ??= label;
      if (item.verb === "stop-workload") workloadStopped ??= label;
      if (item.verb === "write") wroteNamed = true;
      if (item.phase !== undefined) phases.push(item.phase);
      remember(item.save, { kind: "unknown", label });
      continue;
    }
    const step = item;
    const label = labelOf(step);
    for (const [field, sel] of selectorsOf(step)) {
      for (const ref of selectorParts(sel).refs) use(`${label}.${field}`, ref.text, ["quorum", "members"], ref.part);
    }

    switch (step.verb) {
      case "start-workload":
        if (workloadStarted) problems.push(`${label}: the workload already started at ${workloadStarted}; a drill runs one workload (move-clients switches its members)`);
        workloadStarted ??= label;
        break;
      case "write":
        if (step.args.remember !== false) wroteNamed = true;
        if (step.args.save !== undefined && step.args.members === undefined) {
          problems.push(`${label}.save: write without members resolves no members and returns nothing; add members: or remove save`);
        }
        break;
      case "measure":
        phases.push(step.args.phase);
        break;
      case "phase":
        phases.push(step.args.name);
        break;
      case "restore":
        use(`${label}.backup`, step.args.backup, ["backup"]);
        break;
      case "expect-epoch-rose":
        use(`${label}.before`, step.args.before, ["quorum"]);
        if (step.args.after !== undefined) use(`${label}.after`, step.args.after, ["quorum"]);
        if (step.args.after !== undefined && step.args.members !== undefined) {
          problems.push(`${label}: give after (a saved quorum) or members (whose quorum to wait for now), not both`);
        }
        break;
      case "expect-throughput-holds":
        for (const field of ["phase", "baseline"] as const) {
          const phase = step.args[field];
          if (!phases.includes(phase)) {
            problems.push(`${label}.${field}: "${phase}" is not a phase marked before this step${didYouMean(phase, phases)}; ${phases.length ? `marked: ${phases.join(", ")}` : "mark one with measure: or phase:"}`);
          }
        }
        if (step.args.phase === step.args.baseline) problems.push(`${label}: phase and baseline are both "${step.args.phase}"; compare two different phases`);
        break;
      case "expect-phase-latency":
        if (!phases.includes(step.args.phase)) {
          problems.push(`${label}.phase: "${step.args.phase}" is not a phase marked before this step${didYouMean(step.args.phase, phases)}; ${phases.length ? `marked: ${phases.join(", ")}` : "mark one with measure: or phase:"}`);
        }
        break;
      case "expect-znodes-survive":
        if (step.args.paths === undefined && !wroteNamed) problems.push(`${label}.paths: no znode was written before this step, so there is nothing to read back; add paths: or a write step before it`);
        break;
      case "open-client": {
        const earlier = clients.get(step.args.name);
        if (earlier) problems.push(`${label}.name: client "${step.args.name}" is already opened by ${earlier.opened}; choose another name`);
        else clients.set(step.args.name, { opened: label });
        break;
      }
      case "client-crash":
      case "client-partition": {
        const c = client(label, step.args.client);
        if (c?.crashed) problems.push(`${label}.client: client "${step.args.client}" crashed at ${c.crashed}; a crashed client has no connection left to fault: open another client`);
        else if (c && step.verb === "client-crash") c.crashed = label;
        break;
      }
      case "expect-session-kept": {
        const c = client(label, step.args.client);
        if (c?.crashed) problems.push(`${label}: client "${step.args.client}" crashed at ${c.crashed}, so its session cannot be kept; a crash is judged by expect-session-expired`);
        break;
      }
      case "expect-session-expired":
        client(label, step.args.client);
        break;
      case "expect-read-only":
        if (!drill.readOnlyMode) problems.push(`${label}: the members do not run in read-only mode, so a member cut from its quorum serves nobody; add read-only-mode: true to the drill`);
        break;
      case "expect-roles":
        if (step.args["leader-among"] === undefined && step.args.followers === undefined && step.args.observers === undefined) {
          problems.push(`${label}: expects nothing; give leader-among, followers or observers`);
        }
        break;
      default:
        break;
    }

    const spec = faultSpecOf(step.verb);
    if (spec?.flow) problems.push(...spec.flow(step.args, label));

    if (WORKLOAD_VERBS.includes(step.verb)) {
      if (!workloadStarted) problems.push(`${label}: the workload is not running here; add a start-workload step before it`);
      else if (workloadStopped) problems.push(`${label}: the workload was stopped at ${workloadStopped}; move this step before it`);
    }
    if (step.verb === "stop-workload") workloadStopped ??= label;
    if (step.verb === "expect-reconciled" && workloadStarted && !workloadStopped) problems.push(`${label}: the workload runs here (started at ${workloadStarted}); its writes move every member's zxid: add a stop-workload step before it`);

    remember("save" in step.args ? step.args.save : undefined, { kind: savedKindOf(step.verb), label });
  }
  return problems;
}
