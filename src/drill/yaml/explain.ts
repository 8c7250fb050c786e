// A dry run in words: one line per step, the members it touches where that is knowable without
// containers, the planner's quorum after each step that changes who runs or who reaches whom, and
// what each expectation should find.
import { earliestExpiryMs, grantedTimeoutMs } from "../../checks";
import { describeObjectives } from "../explain";
import { analyse, Topology } from "../../topology";
import { DryRun, SavedSketch, Sketch } from "./dry-run";
import { faultSpecOf } from "../../faults/catalog";
import type { DryRunView } from "../../faults/spec";
import { DrillStep, isFaultStep, labelOf, selectorsOf, YamlDrill } from "./model";
import type { MemberSelector } from "./schema";

const seconds = (s: number) => `${s} s`;
const WARN = "⚠";

/** Lines describing what the drill will do on `topology`; pure (no Docker, no clock). */
export function explainYamlDrill(drill: YamlDrill | { readonly yaml: YamlDrill }, topology: Topology): string[] {
  const d = "yaml" in drill ? drill.yaml : drill;
  const plan = analyse(topology);
  const objectives = describeObjectives(d.objectives ?? {}).join(", ");
  const lines = [
    `drill ${d.name}: ${d.procedure}`,
    `topology ${topology.name}: voters ${plan.configuredVoters.join(", ")}; quorum ${plan.quorum}; ${plan.toleratedFailures} failure(s) tolerated${objectives ? `; objectives: ${objectives}` : ""}`,
  ];
  const run = new DryRun(topology);
  explainSteps(d.steps, run, lines, 0, { written: [], clients: new Map() });
  return lines;
}

interface Notes {
  /** The znodes written so far, which survival checks read by default. */
  readonly written: string[];
  /** The clients opened so far: the timeout the server will grant, and their last fault. */
  readonly clients: Map<string, ClientNote>;
}

interface ClientNote {
  readonly grantedMs: number;
  fault?: { readonly kind: "crash" } | { readonly kind: "cut"; readonly ms: number };
}

/**
 * What a cut of `ms` does to a session by ZooKeeper's bounds: kept when shorter than the earliest
 * expiry (2/3 of the timeout less half a tick); expired when the leader cannot have heard from it
 * for the timeout, rounded up to its next tick, plus the half tick a follower's relay can add; in
 * between, either.
 */
export function cutOutcome(ms: number, grantedMs: number, tickTime: number): "kept" | "expired" | "either" {
  if (ms < earliestExpiryMs(grantedMs, tickTime)) return "kept";
  return ms >= grantedMs + tickTime * 1.5 ? "expired" : "either";
}

const OUTCOME_TEXT = { kept: "the session should be kept", expired: "the session should expire", either: `${WARN} between ZooKeeper's earliest expiry and the timeout plus a tick and a half: whether the session survives is not determined` };

function explainSteps(steps: readonly DrillStep[], run: DryRun, lines: string[], depth: number, notes: Notes): void {
  const indent = "  ".repeat(depth);
  for (const step of steps) {
    // What `save:` stores is what the step resolved before it acted.
    const saving = savedSketchOf(step, run);
    const { text, after } = explainStep(step, run, notes);
    lines.push(`${indent}${labelOf(step)}: ${text}`);
    if (after) lines.push(`${indent}  → ${after}`);
    if (step.steps.length > 0) explainSteps(step.steps, run, lines, depth + 1, notes);
    if (saving) run.saved.set(saving[0], saving[1]);
  }
}

/** What `save:` will store, as the dry run knows it. */
function savedSketchOf(step: DrillStep, run: DryRun): [string, SavedSketch] | undefined {
  if (!("save" in step.args) || step.args.save === undefined) return undefined;
  const name = step.args.save;
  if (step.verb === "wait-for-quorum") return [name, { kind: "quorum", name, of: run.sketch(step.args.members ?? "running") }];
  if (step.verb === "backup") return [name, { kind: "backup", text: `the backup saved as ${name}` }];
  if (step.verb === "expect-leader-in") return [name, { kind: "members", sketch: { text: `the leader ${step.at} found`, count: 1 } }];
  const primary = selectorsOf(step)[0];
  return primary && [name, { kind: "members", sketch: run.sketch(primary[1]) }];
}

/** After a step that changes who runs or who reaches whom: the planner's verdict. */
const planner = (run: DryRun) => `planner: ${run.survival().text}`;

/** The dry run as a fault's row tells its step (a selector there is the YAML's, opaque to src/faults). */
function viewOf(run: DryRun): DryRunView {
  return {
    get topology() {
      return run.topology;
    },
    sketch: (sel) => run.sketch(sel as unknown as MemberSelector),
    down: (s) => run.down(s),
    upAgain: (s) => run.upAgain(s),
    cut: (c) => run.cut(c),
    heal: (c) => run.heal(c),
    rewrite: (ids, change) => run.rewrite(ids, change),
    planner: () => planner(run),
  };
}

function quorumNote(run: DryRun, want: "serving" | "lost", who: Sketch): string {
  const s = run.survival();
  const serving = run.serving(who);
  if (want === "serving") {
    return s.survives ? `the plan keeps a quorum (${s.aliveVoters} of ${s.configuredVoters} voters, quorum ${s.quorum}): expected to pass` : `${WARN} the plan has no quorum here (${s.text}): expected to fail`;
  }
  if (serving ? serving.none : !s.survives) return `the plan agrees: ${s.text}`;
  const still = serving ? (who.ids?.length === 1 ? "it can still serve" : "some of them can still serve") : "a quorum remains";
  return `${WARN} the plan says ${still} (${s.text}): expected to fail`;
}

/**
 * Where the plan lets a leader be, with the cuts and stops of the steps before: a leader expected
 * among members that are all cut off from a quorum (or stopped) is expected to fail.
 */
function leaderNote(run: DryRun, among: Sketch | undefined): string {
  const s = run.survival();
  if (!s.survives || !among?.ids || among.ids.some((id) => s.couldLead.includes(id))) return quorumNote(run, "serving", run.sketch("running"));
  return `${WARN} by the plan none of them can lead: only ${s.couldLead.length === 1 ? "member" : "members"} ${s.couldLead.join(", ")} reach a quorum (${s.text}): expected to fail`;
}

function explainStep(step: DrillStep, run: DryRun, notes: Notes): { text: string; after?: string } {
  const who = (sel: MemberSelector) => run.sketch(sel).text;
  const timeout = (t: number | undefined) => (t === undefined ? "" : ` (timeout ${seconds(t)})`);
  if (isFaultStep(step)) return faultSpecOf(step.verb)!.explain(step.args, viewOf(run));
  switch (step.verb) {
    case "wait-for-quorum":
      return { text: `wait until ${step.args.members === undefined ? who("running") : who(step.args.members)} agree on one leader${timeout(step.args["timeout-seconds"])}${step.args.save ? `; saved as ${step.args.save} (leader, followers, observers, epoch)` : ""}` };
    case "write":
      if (step.args.remember !== false) notes.written.push(...step.args.paths.filter((p) => !notes.written.includes(p)));
      return { text: `write znodes ${step.args.paths.join(", ")} through ${who(step.args.members ?? "running")}${step.args.remember === false ? " (not read back by the survival checks)" : ""}` };
    case "start-workload": {
      const a = step.args;
      const load = a.rate !== undefined ? `${a.rate} ops/s` : `${a["in-flight"] ?? 8} operations in flight`;
      const recipes = a.recipes ? ` and the recipe workloads ${a.recipes.join(", ")} (each judged by its own check at the end)` : "";
      return { text: `start the Kafka-style workload (${load})${recipes} against ${who("running")}${a["from-zone"] ? `, clients in zone ${a["from-zone"]}` : ""}` };
    }
    case "stop-workload":
      return { text: "stop the workload" };
    case "move-clients":
      return { text: `switch the clients to ${who(step.args.to)}${step.args["from-zone"] ? ` (clients in zone ${step.args["from-zone"]})` : ""}` };
    case "measure":
      return { text: `measure phase "${step.args.phase}" for ${seconds(step.args.seconds)}` };
    case "phase":
      return { text: `mark phase "${step.args.name}"` };
    case "writes-succeed": {
      const s = run.survival();
      return { text: `wait for ${step.args.count} more acknowledged writes${timeout(step.args["timeout-seconds"])}${s.survives ? "" : ` ${WARN} no quorum by the plan: writes cannot succeed`}` };
    }
    case "rolling-restart":
      return { text: `rolling restart of ${who(step.args.members)}, followers first, the leader last, waiting after each for ${who(step.args["wait-for"])} to agree` };
    case "backup":
      return { text: `back up ${run.sketch(step.args.member).ids?.length === 1 ? who(step.args.member) : `the first of ${who(step.args.member)}`}; saved as ${step.args.save}` };
    case "restore": {
      const s = run.sketch(step.args.members);
      run.upAgain(s);
      return { text: `restore the backup saved as ${step.args.backup.slice(1)} into ${s.text} and start them`, after: planner(run) };
    }
    case "new-lineage":
      return { text: `new lineage "${step.args.name}": ZooKeeper's guarantees do not span it; what it loses is measured against the RPO` };
    case "step":
      return { text: `"${step.args.name}"` };
    case "expect-leader-in": {
      const among = step.args.members === undefined ? undefined : run.sketch(step.args.members);
      return { text: `expect exactly one leader, among ${among ? among.text : "the running members"}${step.args.save ? ` (saved as ${step.args.save})` : ""}: ${leaderNote(run, among)}` };
    }
    case "expect-quorum-lost": {
      const s = run.sketch(step.args.members);
      return { text: `expect ${s.text} to stop serving${timeout(step.args["timeout-seconds"])}: ${quorumNote(run, "lost", s)}` };
    }
    case "expect-ruok-without-quorum": {
      const s = run.sketch(step.args.members);
      return { text: `expect ${s.text} to answer ruok with imok while not serving: ${quorumNote(run, "lost", s)}` };
    }
    case "expect-znodes-survive":
      return { text: `expect znodes ${(step.args.paths ?? notes.written).join(", ")} on ${who(step.args.members)}` };
    case "expect-writes-survive":
      return { text: `expect every acknowledged write${notes.written.length ? ` (and znodes ${notes.written.join(", ")})` : ""} on ${who(step.args.members)}` };
    case "expect-reconciled":
      return { text: `expect ${step.args.members ? who(step.args.members) : "every serving member"} to hold the same tree, read at one zxid` };
    case "expect-znodes-absent":
      return { text: `expect znodes ${step.args.paths.join(", ")} absent on ${who(step.args.members)} (${step.args.why})` };
    case "expect-epoch-rose": {
      const after = step.args.after ? `the quorum saved as ${step.args.after.slice(1)}` : `the quorum of ${who(step.args.members ?? "running")}, waited for now`;
      return { text: `expect the epoch to have risen from the quorum saved as ${step.args.before.slice(1)} to ${after} (a new leader was elected)` };
    }
    case "expect-throughput-holds":
      return { text: `expect phase "${step.args.phase}" to keep at least ${step.args["min-ratio"] !== undefined ? `${Math.round(step.args["min-ratio"] * 100)}%` : "the objective's share"} of phase "${step.args.baseline}"'s throughput` };
    case "expect-planned-quorum": {
      const s = run.survival();
      const verdict = s.configuredVoters === step.args.voters ? `the plan counts ${s.configuredVoters} (quorum ${s.quorum}): expected to pass` : `${WARN} the plan counts ${s.configuredVoters} voters here, not ${step.args.voters}: expected to fail`;
      return { text: `expect the planner and the leader's config to count ${step.args.voters} voters at "${step.args.stage}": ${verdict}` };
    }
    case "expect-roles": {
      const want = [
        step.args["leader-among"] !== undefined ? `a leader among ${who(step.args["leader-among"])}` : "",
        step.args.followers !== undefined ? `${step.args.followers} follower(s)` : "",
        step.args.observers !== undefined ? `observers ${who(step.args.observers)}` : "",
      ].filter(Boolean);
      return { text: `expect on ${who(step.args.members)}: ${want.join(", ")}` };
    }
    case "expect-member-exits":
      return { text: `expect ${who(step.args.member)}'s process to exit by itself, its log matching /${step.args["log-line"]}/ (${step.args.what})` };
    case "expect-fsync-slow":
      return { text: `expect ${who(step.args.member)}'s log to warn that fsync-ing its write ahead log took ${step.args["min-ms"] ?? 1000} ms or more` };
    case "expect-phase-latency":
      return { text: `measure the followers' lag in "${step.args.phase}", and expect the clients' p99 latency there under ${step.args["p99-below-ms"]} ms` };
    case "open-client": {
      const tick = run.topology.settings.tickTime;
      const asked = step.args["session-timeout-ms"];
      const granted = grantedTimeoutMs(asked, tick);
      notes.clients.set(step.args.name, { grantedMs: granted });
      const grant = granted === asked ? "" : `, granted ${granted} ms: the server bounds it to 2..20 ticks of ${tick} ms`;
      return { text: `open client ${step.args.name} on ${who(step.args.members)} (session timeout ${asked} ms${grant}), through a link of its own, holding an ephemeral znode` };
    }
    case "client-crash": {
      const c = notes.clients.get(step.args.client);
      if (c) c.fault = { kind: "crash" };
      const bound = c ? ` (${Math.round(earliestExpiryMs(c.grantedMs, run.topology.settings.tickTime))} ms: 2/3 of its ${c.grantedMs} ms timeout less half a tick)` : "";
      return { text: `crash client ${step.args.client}: its process gone without closing its session; its ephemeral must stay until ZooKeeper's earliest expiry${bound}, then go` };
    }
    case "client-partition": {
      const c = notes.clients.get(step.args.client);
      if (!c) return { text: `cut client ${step.args.client} alone from its servers` };
      const ms = step.args.ms ?? 2 * c.grantedMs;
      c.fault = { kind: "cut", ms };
      return { text: `cut client ${step.args.client} alone from its servers for ${ms} ms, the ensemble untouched (timeout ${c.grantedMs} ms): ${OUTCOME_TEXT[cutOutcome(ms, c.grantedMs, run.topology.settings.tickTime)]}` };
    }
    case "expect-session-kept":
    case "expect-session-expired": {
      const want = step.verb === "expect-session-kept" ? "kept" : "expired";
      const f = notes.clients.get(step.args.client)?.fault;
      const plan = !f ? `${WARN} no client fault before it: its server's fate decides` : f.kind === "crash" ? "expired" : cutOutcome(f.ms, notes.clients.get(step.args.client)!.grantedMs, run.topology.settings.tickTime);
      const verdict = plan === want ? "expected to pass" : plan === "either" ? `${WARN} the cut leaves it to chance` : plan.startsWith(WARN) ? plan : `${WARN} by ZooKeeper's bounds it should be ${plan}: expected to fail`;
      return { text: `expect client ${step.args.client}'s session ${want === "kept" ? "kept (connected again, its ephemeral its own)" : "expired, not before ZooKeeper's bound"}: ${verdict}` };
    }
    case "expect-read-only": {
      const s = run.sketch(step.args.member);
      return { text: `expect ${s.ids?.length === 1 ? s.text : `the first of ${s.text}`} to serve a read-only client: reads served, a write refused (NOT_READONLY), replies never going back${timeout(step.args["timeout-seconds"])}; it must be running and cut from its quorum by then (a cut between members, which the planner does not model)` };
    }
    case "rolling-upgrade":
      return { text: `rolling upgrade of ${who(step.args.members)} to ZooKeeper ${step.args.version ?? "--to-version"}: followers first, the leader last, waiting after each for ${who(step.args["wait-for"])} to agree` };
    default: {
      const unhandled: never = step;
      throw new Error(`no explanation for ${JSON.stringify(unhandled)}`);
    }
  }
}
