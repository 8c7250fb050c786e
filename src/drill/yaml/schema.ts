// The YAML drill format as zod schemas: one verb per drill word (src/drill/context.ts), each with
// its own strict fields. The same schemas type the parsed drill, validate it (validate.ts) and
// generate docs/drill.schema.json (json-schema.ts), so the three cannot disagree.
import { z } from "zod";
import { CHECK_KINDS, RECIPES } from "../../checks";
import { DRILL_ORIGINS } from "../definition";
import { FAULT_SPECS, faultSpecOf, faultSpecs } from "../../faults/catalog";
import type { AnyFaultSpec, ArgHelpers, Selects } from "../../faults/spec";
import { validRegExp } from "./errors";
import { knownBugSchema } from "./known-bug-schema";

export { memberSelector, QUORUM_PARTS, SAVED_NAME, SAVED_REF, SELECTOR_KEYWORDS, type MemberSelector, type QuorumPart, type SelectorKeyword } from "./selector-schema";
import { BARE_REF, memberId, memberSelector, SAVED_NAME, zoneName } from "./selector-schema";

/** Fields holding a member selector, so validation can replace zod's union message with a precise one. */
const selectorFieldSchemas = new WeakSet<z.ZodType>();
function selector(description: string) {
  const field = memberSelector.describe(description);
  selectorFieldSchemas.add(field);
  return field;
}

const unwrapped = (field: z.ZodType) => (field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field);

export function isSelectorField(field: z.ZodType): boolean {
  return selectorFieldSchemas.has(unwrapped(field));
}

/** Selector fields that name one member (the first the selector resolves to). */
const singleSelectorSchemas = new WeakSet<z.ZodType>();

export function isSingleSelectorField(field: z.ZodType): boolean {
  return singleSelectorSchemas.has(unwrapped(field));
}

const seconds = (description: string) =>
  z.number({ error: "must be a number of seconds, e.g. 5" }).positive("must be more than 0 seconds").describe(description);

const savedName = z
  .string({ error: "must be a name, e.g. before" })
  .regex(SAVED_NAME, "must be lowercase letters, digits and dashes, starting with a letter (later steps refer to it as $name)")
  .describe("Stores what this step resolved or returned under this name, for later steps as $name");
const save = savedName.optional();

const savedRef = (what: string) =>
  z.string({ error: `must be $name of ${what}` }).regex(BARE_REF, `must be $name of ${what} saved by an earlier step (save: name)`);

/** The field builders a fault's arguments are written with (src/faults/spec.ts): a selector is opaque there. */
const faultHelpers: ArgHelpers = {
  members: (description) => selector(description) as unknown as z.ZodType<Selects<"many">>,
  member: (description) => {
    const field = selector(description);
    singleSelectorSchemas.add(field);
    return field as unknown as z.ZodType<Selects<"one">>;
  },
  zones: (description) => zones(description),
  seconds: (description) => seconds(description),
  save,
};

const specSchemas = new WeakMap<AnyFaultSpec, z.ZodObject>();
/** A fault's verb schema, built once. */
function faultSchema(spec: AnyFaultSpec): z.ZodObject {
  let schema = specSchemas.get(spec);
  if (!schema) specSchemas.set(spec, (schema = spec.args(faultHelpers).describe(spec.about)));
  return schema;
}

type CatalogArgs = { [S in (typeof FAULT_SPECS)[number] as S["verb"]]: ReturnType<S["args"]> };
/** Every fault of the catalog, as a verb. */
function catalogArgs(): CatalogArgs {
  return Object.fromEntries(FAULT_SPECS.map((spec) => [spec.verb, faultSchema(spec)])) as CatalogArgs;
}

const znodePath = z.string({ error: "must be a znode path like /app/config" }).regex(/^\/[^/]+(\/[^/]+)*$/, "must be an absolute znode path like /app/config, without a trailing slash");
const znodePaths = (description: string) => z.array(znodePath, { error: "must be a list of znode paths" }).min(1, "list at least one znode path").describe(description);

/** A client's name as open-client gives it, and as later steps refer to it (client: name). */
const clientName = z
  .string({ error: "must be a client's name, e.g. app" })
  .regex(SAVED_NAME, "must be lowercase letters, digits and dashes, starting with a letter");
const clientRef = clientName.describe("The client, by the name an earlier open-client step gave it");

const zones = (description: string) => z.array(zoneName, { error: "must be a list of zone names" }).min(1, "name at least one zone").describe(description);
const timeout = seconds("How long to wait before the step fails").optional();
const zkVersion = (shape: RegExp, message: string) => z.string({ error: message }).regex(shape, message);
/**
 * Each verb's fields. `nested` is what a group's `steps` hold: opaque during validation (each nested
 * step is validated on its own, for precise messages), the step schema itself for the JSON Schema.
 */
function verbArgs<N extends z.ZodType>(nested: N) {
  const group = (description: string) =>
    z
      .strictObject({
        name: z.string({ error: "must be the step's name as the runbook says it" }).min(1, "must be the step's name as the runbook says it"),
        steps: z.array(nested, { error: "must be a list of steps" }).min(1, "list at least one step"),
      })
      .describe(description);
  return {
    "wait-for-quorum": z
      .strictObject({ members: selector("Who must agree on one leader (default: every running member)").optional(), "timeout-seconds": timeout, save })
      .describe("Waits until the members agree on one leader; save: stores the quorum (leader, followers, observers, epoch)"),
    write: z
      .strictObject({
        paths: znodePaths("The znodes to create and set; later survival checks read them back"),
        members: selector("Write through these members (default: every running member)").optional(),
        remember: z.boolean().optional().describe("false: not one of the drill's named znodes (expect-znodes-survive and expect-writes-survive do not read it)"),
        save,
      })
      .describe("Writes named znodes through the ensemble"),
    "start-workload": z
      .strictObject({
        "from-zone": zoneName.optional().describe("Place the clients in this zone (they see its latency and partitions)"),
        "in-flight": z.number().int().min(1).optional().describe("Closed loop: operations in flight (default 8)"),
        rate: z.number().positive().optional().describe("Open loop: operations started per second"),
        recipes: z.array(z.enum(RECIPES, { error: `must be recipes among ${RECIPES.join(", ")}` })).min(1, `name at least one recipe: ${RECIPES.join(", ")}`).optional().describe("Also run these recipe workloads (unique ids, a multi() counter, a lock, a leader election, a queue), each judged by its own check at the end"),
      })
      .describe("Starts the Kafka-style workload against the running members (and the recipe workloads named)"),
    "stop-workload": z.strictObject({}).describe("Stops the workload"),
    "move-clients": z
      .strictObject({ to: selector("The members the clients switch to"), "from-zone": zoneName.optional().describe("The zone the clients are in"), save })
      .describe("Switches the workload's clients to other members (a DR cut-over, or a rollback)"),
    measure: z
      .strictObject({
        phase: z.string().min(1).describe("The phase this window is measured as"),
        seconds: seconds("How long the workload runs in this phase"),
        outlast: z.string().min(1).optional().describe("The ZooKeeper timeout this window must outlast (e.g. the session timeout): kept whole in quick mode, which otherwise shortens windows to 3 s"),
      })
      .describe("A measurement window: marks a phase and lets the workload run"),
    phase: z.strictObject({ name: z.string().min(1).describe("The phase's name") }).describe("Marks the start of a named phase; it ends where the next begins"),
    "writes-succeed": z
      .strictObject({ count: z.number().int().min(1).describe("How many more writes must be acknowledged"), "timeout-seconds": timeout })
      .describe("Waits until the workload has this many more acknowledged writes (a condition, not a sleep)"),
    ...catalogArgs(),
    "rolling-restart": z
      .strictObject({ members: selector("The members to restart: followers one at a time, the leader last"), "wait-for": selector("The members that must agree on a leader after each restart"), save })
      .describe("A rolling restart in the runbook's order, waiting for a quorum after each member"),
    backup: z
      .strictObject({ member: selector("The member to back up (the first the selector resolves to)"), save: savedName })
      .describe("Backs up a member's snapshot and transaction logs; save: names the backup for restore"),
    restore: z
      .strictObject({ backup: savedRef("a backup").describe("$name of a backup step's save"), members: selector("The members that start from the backup"), save })
      .describe("Starts members with the backup's version-2 folders in place of theirs"),
    "new-lineage": group("A runbook step forming a new ensemble from what survived: its steps are measured, ZooKeeper's guarantees do not span it"),
    step: group("A named group of steps, journaled as one runbook step"),
    "expect-leader-in": z
      .strictObject({ members: selector("Where the one leader must be (default: any running member)").optional(), "timeout-seconds": timeout, save })
      .describe("Exactly one leader, among the members given; save: stores the leader as a member list"),
    "expect-quorum-lost": z.strictObject({ members: selector("The members that must stop serving"), "timeout-seconds": timeout, save }).describe("The members stop serving and a write through them fails"),
    "expect-ruok-without-quorum": z.strictObject({ members: selector("The members asked"), save }).describe("ruok answers imok although srvr says the member does not serve (P1)"),
    "expect-znodes-survive": z
      .strictObject({ members: selector("The members read"), paths: znodePaths("The znodes (default: every znode the drill wrote)").optional(), save })
      .describe("Named znodes read back on every member given"),
    "expect-writes-survive": z.strictObject({ members: selector("The members read"), save }).describe("Every acknowledged write is on every member given"),
    "expect-reconciled": z.strictObject({ members: selector("The members compared (default: every serving member of this ensemble)").optional(), save }).describe("The members hold the same tree (paths, data, versions, ephemeral owners), read at one zxid; the workload must be stopped. Every drill also ends with this"),
    "expect-znodes-absent": z
      .strictObject({ paths: znodePaths("The znodes that must be absent"), members: selector("The members read"), why: z.string().min(1).describe("Why they must be absent"), save })
      .describe("Named znodes are absent on every member given"),
    "expect-epoch-rose": z
      .strictObject({
        before: savedRef("a quorum (wait-for-quorum's save)").describe("$name of the quorum saved before"),
        after: savedRef("a quorum (wait-for-quorum's save)").optional().describe("$name of the quorum saved after (default: the quorum of members, waited for now)"),
        members: selector("Whose quorum is the 'after' (default: every running member)").optional(),
      })
      .describe("The epoch rose between two quorums: a new leader was elected"),
    "expect-throughput-holds": z
      .strictObject({
        phase: z.string().min(1).describe("The phase judged"),
        baseline: z.string().min(1).describe("The phase it is compared with"),
        "min-ratio": z.number().positive().max(10).optional().describe("The phase's throughput must be at least this fraction of the baseline's (default: the objective min-throughput-ratio)"),
      })
      .describe("A phase's throughput against a baseline phase's"),
    "expect-planned-quorum": z
      .strictObject({ stage: z.string().min(1).describe("What the stage is, e.g. after: 5 voters"), voters: z.number().int().min(1).describe("The voters the planner and the leader must both count") })
      .describe("The planner's quorum for the running members matches the leader's configuration"),
    "expect-roles": z
      .strictObject({
        members: selector("The members asked"),
        "leader-among": selector("Who may lead").optional(),
        followers: z.number().int().min(0).optional().describe("How many followers"),
        observers: selector("Who must observe").optional(),
        save,
      })
      .describe("Roles as srvr reports them"),
    "expect-member-exits": z
      .strictObject({
        member: selector("The member whose process must end by itself"),
        "log-line": z.string().min(1).refine(validRegExp, "must be a valid regular expression").describe("A regular expression its log must match (the reason it gives)"),
        what: z.string().min(1).describe("What happened, for the report"),
        "timeout-seconds": seconds("How long to wait for it to exit").optional(),
        save,
      })
      .describe("The member's process exits by itself, and its log says why"),
    "expect-fsync-slow": z
      .strictObject({
        member: selector("The member whose disk was slowed (the first the selector resolves to)"),
        "min-ms": z.number({ error: "must be whole milliseconds, e.g. 1200" }).int("whole milliseconds").min(1000, "at least 1000 ms: ZooKeeper warns only past fsync.warningthresholdms (1000 ms)").optional().describe("The slowest fsync its warning must report, at least (default 1000 ms, ZooKeeper's threshold)"),
        "timeout-seconds": seconds("How long to wait for the warning (default 30)").optional(),
        save,
      })
      .describe("The member's own log warns that fsync-ing its write ahead log took this long or longer: the slow disk bit"),
    "expect-phase-latency": z
      .strictObject({
        phase: z.string().min(1).describe("The phase judged (marked by an earlier measure or phase step, still under its fault)"),
        "p99-below-ms": z.number({ error: "must be milliseconds, e.g. 1000" }).positive("must be more than 0 ms").describe("The clients' worst per-second p99 latency in the phase must stay under this"),
      })
      .describe("In a phase: the followers' lag behind the leader measured (a finding), and the clients' p99 latency judged against the bound"),
    "open-client": z
      .strictObject({
        name: clientName.describe("The client's name: later steps fault it and judge its session by it (client: name)"),
        members: selector("The servers in its connect string (one: it has nowhere else to go)"),
        "session-timeout-ms": z.number({ error: "must be a number of milliseconds, e.g. 4000" }).int("must be whole milliseconds").min(1, "must be more than 0 ms").describe("The session timeout it asks for, ms; the server grants it within 2..20 ticks"),
      })
      .describe("Opens a client of the drill's own on these members, through a link of its own, holding an ephemeral znode"),
    "client-crash": z
      .strictObject({ client: clientRef })
      .describe("The client's process gone (kill -9): its connection dropped without closing its session; its ephemeral must go after its timeout, not before"),
    "client-partition": z
      .strictObject({
        client: clientRef,
        ms: z.number({ error: "must be a number of milliseconds" }).int("must be whole milliseconds").min(1, "must be more than 0 ms").optional().describe("How long the cut lasts, ms (default: twice its granted timeout); it heals by itself"),
      })
      .describe("The client alone cut from its servers (the ensemble untouched); the step returns at once and the cut heals by itself"),
    "expect-session-kept": z.strictObject({ client: clientRef }).describe("The client's session outlives its fault: connected again (or never dropped), its ephemeral still its own"),
    "expect-session-expired": z.strictObject({ client: clientRef }).describe("The client's session expires after its fault, and not before ZooKeeper's bound (2/3 of the granted timeout less half a tick)"),
    "expect-read-only": z
      .strictObject({ member: selector("The member cut from its quorum (the first the selector resolves to)"), "timeout-seconds": seconds("How long to wait for its read-only service (default 60)").optional() })
      .describe("A member cut from its quorum serves a read-only client: reads served, a write refused (NOT_READONLY), replies' zxids never going back (needs read-only-mode: true)"),
    "rolling-upgrade": z
      .strictObject({
        members: selector("The members to upgrade: followers one at a time, the leader last"),
        "wait-for": selector("The members that must agree on a leader after each"),
        version: zkVersion(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.9.5"').optional().describe("The version (default: --to-version)"),
        save,
      })
      .describe("A rolling upgrade in the runbook's order, waiting for a quorum after each member"),
  } as const;
}

/** The schemas validation runs, with nested steps opaque. */
export const verbSchemas = verbArgs(z.unknown());
export type Verb = keyof typeof verbSchemas;
export const VERBS = Object.keys(verbSchemas) as Verb[];
export type StepArgs<V extends Verb> = z.output<(typeof verbSchemas)[V]>;
export const GROUP_VERBS: readonly Verb[] = ["new-lineage", "step"];

/** A verb's schema: the format's own, or a fault's added outside the catalog (registerFault). */
export function verbSchemaOf(verb: string): z.ZodObject | undefined {
  if (Object.hasOwn(verbSchemas, verb)) return verbSchemas[verb as Verb];
  const spec = faultSpecOf(verb);
  return spec && faultSchema(spec);
}

/** Every verb a drill file may use now. */
export function knownVerbs(): string[] {
  return [...VERBS, ...faultSpecs().map((s) => s.verb).filter((v) => !(VERBS as readonly string[]).includes(v))];
}

/** The drill file's own fields; `steps` is given the step schema (full) or left opaque (validation). */
function drillDocument<S extends z.ZodType>(step: S) {
  return z.strictObject({
    name: z.string({ error: "must be the drill's name" }).regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes (it names the run folder)"),
    description: z.string({ error: "must say what the drill does, in a sentence or two" }).min(1, "must say what the drill does, in a sentence or two"),
    procedure: z.string({ error: 'must name the runbook the drill reproduces, e.g. "Runbook RB-12"' }).min(1, 'must name the runbook the drill reproduces, e.g. "Runbook RB-12"'),
    origin: z
      .enum(DRILL_ORIGINS, { error: `must be one of ${DRILL_ORIGINS.join(", ")}` })
      .optional()
      .describe("What kind of source the runbook is: a field procedure, ZooKeeper's or Kafka's own documentation or JIRA, Jepsen, or this project (default zkdrill)"),
    headline: z
      .strictObject({
        outcome: z.string().min(1, "must say the outcome the procedure exists to prove").describe("The outcome, in the procedure's words"),
        checks: z
          .array(z.enum(CHECK_KINDS as [string, ...string[]], { error: `must be check kinds: ${CHECK_KINDS.join(", ")}` }))
          .min(1, "name at least one check kind")
          .describe("The check kinds whose verdicts are that outcome"),
      })
      .optional()
      .describe("The outcome the procedure exists to prove; the report leads with it, and the run passes only with a verdict on it"),
    topology: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())], { error: "must be a catalog topology name, a path to a topology file (relative to this drill), or a topology object" })
      .describe("A catalog topology name (drills/topologies), a file path relative to the drill file, or an inline topology object"),
    objectives: z
      .strictObject({
        "rto-seconds": seconds("Every fault: writes acknowledged again within this long").optional(),
        "rpo-seconds": z.number({ error: "must be a number of seconds" }).min(0, "must be 0 or more seconds").optional().describe("Across a new lineage: no acknowledged write older than this is lost"),
        "min-ops-per-sec": z.number({ error: "must be a number of operations per second" }).min(0, "must be 0 or more operations per second").optional().describe("Throughput floor: every measured phase's mean of acknowledged ops/s reaches this"),
        "max-writes-lost": z.number({ error: "must be a count of writes, e.g. 0" }).int("must be a whole count of writes").min(0, "must be 0 or more writes").optional().describe("At most this many acknowledged writes lost (0: zero data loss), judged on the writes acknowledged before the recovery began"),
        "min-throughput-ratio": z.number({ error: "must be a fraction, e.g. 0.5" }).positive("must be more than 0").max(10, "must be at most 10").optional().describe("While a fault happens: at least this fraction of the baseline's throughput (expect-throughput-holds without min-ratio)"),
      })
      .optional()
      .describe("What the drill holds the recovery to; each becomes a check at the end of the run"),
    needs: z
      .strictObject({
        voters: z.number().int().min(1).optional().describe("At least this many running voters"),
        zones: z.array(zoneName).min(1).optional().describe("Zones the steps name"),
        members: z.array(memberId).min(1).optional().describe("Member ids the steps name"),
        standbys: z.number().int().min(1).optional().describe("At least this many standbys"),
        observers: z.number().int().min(1).optional().describe("At least this many observers"),
      })
      .optional()
      .describe("What the drill needs of a topology, checked before it runs (and when it runs on another with --topology)"),
    "steady-state": z
      .strictObject({
        leader: z.boolean().optional().describe("Exactly one leader among the running voters"),
        writes: z.number().int().min(1).optional().describe("This many writes acknowledged within 30 s (the workload must run)"),
        "p99-below-ms": z.number().positive().optional().describe("The workload's worst per-second p99 over the last 3 s under this bound"),
      })
      .optional()
      .describe("Checked before the first fault and after the last step (Chaos Toolkit's steady-state hypothesis)"),
    "read-only-mode": z.boolean().optional().describe("Members run with readonlymode.enabled: one cut from its quorum serves read-only clients (expect-read-only)"),
    "clock-faults": z.boolean().optional().describe("Members start with libfaketime, so skew-clock can move their wall clocks (implied by a skew-clock step)"),
    "disk-faults": z.boolean().optional().describe("Members start with the disk shim (zkdrill's images), so slow-fsync, lying-fsync and power-cut can act on their transaction logs (implied by those steps)"),
    versions: z
      .strictObject({
        min: zkVersion(/^\d+\.\d+(\.\d+)?$/, 'must be a ZooKeeper line or version like "3.5" or "3.5.6"').optional().describe("The oldest ZooKeeper it runs on; an older --zk-version is refused, exit 2"),
        why: z.string().min(1).optional().describe("Why older lines cannot run it (what they lack)"),
        seed: zkVersion(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.5.9"').optional().describe("The version its seed's write-up ran"),
      })
      .optional()
      .describe("The ZooKeeper versions the drill applies to"),
    upgrade: z
      .strictObject({
        from: zkVersion(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.4.14"').describe("The version the ensemble starts on (--from-version)"),
        to: zkVersion(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.5.9"').describe("The version upgrade steps go to (--to-version)"),
      })
      .optional()
      .describe("An upgrade drill's default versions"),
    "known-bug": knownBugSchema,
    "abort-if": z
      .strictObject({
        "no-leader-for-seconds": seconds("No member reported leader for longer than this: the drill stops, FAILED, saying why").optional(),
      })
      .optional()
      .describe("Conditions that stop the drill early with a clear verdict"),
    steps: z.array(step, { error: "must be a list of steps" }).min(1, "list at least one step"),
  });
}

export const drillHeaderSchema = drillDocument(z.unknown());
export type DrillHeader = z.output<typeof drillHeaderSchema>;

// The full, recursive schema, for the JSON Schema only: validation walks steps one by one.
const stepSchema: z.ZodType = z.lazy(() => stepForms).meta({ id: "drillStep", description: "One step: a single verb whose value holds its fields" });
const fullVerbSchemas = verbArgs(stepSchema);
const stepForms = z.union(VERBS.map((verb) => z.strictObject({ [verb]: fullVerbSchemas[verb] })));

export const drillFileSchema = drillDocument(stepSchema);
