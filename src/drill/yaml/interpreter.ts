// Runs a validated drill's steps on a DrillContext: each verb is the drill word of the same meaning,
// its selectors resolved against the live ensemble just before the word is called.
import type { DrillContext } from "../context";
import type { MemberId } from "../../topology";
import { faultSpecOf } from "../../faults/catalog";
import type { AnyFaultSpec } from "../../faults/spec";
import { DrillStep, FaultStep, isFaultStep, labelOf } from "./model";
import { isSelectorField, isSingleSelectorField, MemberSelector, verbSchemaOf } from "./schema";
import { Saved, SavedQuorum, SelectorContext, SelectorError, SelectorResolver } from "./selectors";

/** The drill words the format uses; a DrillContext is one (tests pass a recording fake). Every fault goes through `fault`. */
export type DrillWords = SelectorContext &
  Pick<
    DrillContext,
    | "step"
    | "write"
    | "startWorkload"
    | "startRecipes"
    | "stopWorkload"
    | "moveClients"
    | "measure"
    | "phase"
    | "writesSucceed"
    | "rollingRestart"
    | "backup"
    | "restore"
    | "newLineage"
    | "rollingUpgrade"
    | "fault"
    | "openClient"
    | "clientCrash"
    | "clientPartition"
  > & {
    readonly expect: Pick<
      DrillContext["expect"],
      | "leaderIn"
      | "quorumLost"
      | "ruokWithoutQuorum"
      | "znodesSurvive"
      | "writesSurvive"
      | "reconciled"
      | "znodesAbsent"
      | "epochRose"
      | "throughputHolds"
      | "plannedQuorum"
      | "roles"
      | "memberExits"
      | "fsyncSlow"
      | "phaseLatency"
      | "sessionKept"
      | "sessionExpired"
      | "readOnlyServes"
    >;
  };

/** A client open-client opened, by its name (what later steps name it by). */
type Client = Awaited<ReturnType<DrillWords["openClient"]>>;

/** Resolves a selector field of the step to member ids (at least one). */
type Resolve = (field: string, sel: MemberSelector) => Promise<MemberId[]>;

/**
 * A fault step: its selectors resolved in the order its schema lists them (one-member fields take
 * the first), then the catalog row run by the drill word `fault`. Returns the members its first
 * selector named (what `save:` stores).
 */
async function runFaultStep(spec: AnyFaultSpec, step: FaultStep, d: DrillWords, members: Resolve): Promise<MemberId[] | undefined> {
  const shape = verbSchemaOf(step.verb)!.shape as Record<string, Parameters<typeof isSelectorField>[0]>;
  const given = step.args as Readonly<Record<string, unknown>>;
  const args: Record<string, unknown> = {};
  let first: MemberId[] | undefined;
  for (const field of Object.keys(shape)) {
    const value = given[field];
    if (field === "save" || value === undefined) continue;
    if (!isSelectorField(shape[field])) {
      args[field] = value;
      continue;
    }
    // Validation checked the value against the selector schema.
    const ids = await members(field, value as MemberSelector);
    const single = isSingleSelectorField(shape[field]);
    args[field] = single ? ids[0] : ids;
    first ??= single ? [ids[0]] : ids;
  }
  await d.fault(spec, args);
  return first;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round(seconds * 1000));

/** The object without its undefined fields: the drill words read "absent", not "undefined". */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Runs the steps in order; what they save stays in `saved`, the clients they open in `clients`, for the steps after them. */
export async function runYamlSteps(steps: readonly DrillStep[], d: DrillWords, saved: Map<string, Saved> = new Map(), clients: Map<string, Client> = new Map()): Promise<void> {
  for (const step of steps) await runStep(step, d, saved, clients);
}

async function runStep(step: DrillStep, d: DrillWords, saved: Map<string, Saved>, clients: Map<string, Client>): Promise<void> {
  const label = labelOf(step);
  const resolver = new SelectorResolver(d, saved);
  const members = async (field: string, sel: MemberSelector): Promise<MemberId[]> => {
    let ids: MemberId[];
    try {
      ids = await resolver.resolve(sel);
    } catch (err) {
      if (err instanceof SelectorError) throw new SelectorError(`${label}.${field}: ${err.message}`);
      throw err;
    }
    if (ids.length === 0) throw new SelectorError(`${label}.${field}: ${JSON.stringify(sel)} selects no member at this moment; the step has nobody to act on`);
    return ids;
  };
  const optional = (field: string, sel: MemberSelector | undefined) => (sel === undefined ? Promise.resolve(undefined) : members(field, sel));
  const save = (value: Saved) => {
    if ("save" in step.args && step.args.save !== undefined) saved.set(step.args.save, value);
  };
  const saveMembers = (ids: readonly MemberId[] | undefined) => ids && save({ kind: "members", ids });
  const quorumOf = (ref: string): SavedQuorum => {
    const s = saved.get(ref.slice(1));
    if (s?.kind !== "quorum") throw new SelectorError(`${label}: ${ref} holds no saved quorum`);
    return s.quorum;
  };
  const clientOf = (name: string): Client => {
    const c = clients.get(name);
    // Validation checked the name was opened before; a group run on its own could still miss it.
    if (!c) throw new SelectorError(`${label}.client: no client "${name}" is open here; open it with open-client first`);
    return c;
  };

  if (isFaultStep(step)) return saveMembers(await runFaultStep(faultSpecOf(step.verb)!, step, d, members));
  switch (step.verb) {
    case "wait-for-quorum": {
      const ids = await optional("members", step.args.members);
      const q = await d.step(`wait for a quorum${ids ? ` of ${ids.join(", ")}` : ""}`, () => d.quorum(ids, ms(step.args["timeout-seconds"])));
      return save({ kind: "quorum", quorum: q });
    }
    case "write": {
      const ids = await optional("members", step.args.members);
      await d.write(step.args.paths, ids, defined({ remember: step.args.remember }));
      return saveMembers(ids);
    }
    case "start-workload":
      await d.startWorkload(defined({ fromZone: step.args["from-zone"], inFlight: step.args["in-flight"], targetRate: step.args.rate }));
      if (step.args.recipes) await d.startRecipes(step.args.recipes, defined({ fromZone: step.args["from-zone"] }));
      return;
    case "stop-workload":
      await d.stopWorkload();
      return;
    case "move-clients": {
      const ids = await members("to", step.args.to);
      await d.moveClients(ids, step.args["from-zone"]);
      return saveMembers(ids);
    }
    case "measure":
      return d.measure(step.args.phase, ms(step.args.seconds)!, { outlast: step.args.outlast });
    case "phase":
      return d.phase(step.args.name);
    case "writes-succeed":
      return d.writesSucceed(step.args.count, ms(step.args["timeout-seconds"]));
    case "rolling-restart": {
      const ids = await members("members", step.args.members);
      await d.rollingRestart(ids, await members("wait-for", step.args["wait-for"]));
      return saveMembers(ids);
    }
    case "backup": {
      // One member is backed up: the first the selector gives ($q.followers: the first follower, as P3 does).
      const [member] = await members("member", step.args.member);
      return save({ kind: "backup", backup: await d.backup(member) });
    }
    case "restore": {
      const backup = saved.get(step.args.backup.slice(1));
      if (backup?.kind !== "backup") throw new SelectorError(`${label}.backup: ${step.args.backup} holds no backup`);
      const ids = await members("members", step.args.members);
      await d.restore(backup.backup, ids);
      return saveMembers(ids);
    }
    case "new-lineage":
      return d.newLineage(step.args.name, () => runYamlSteps(step.steps, d, saved, clients));
    case "step":
      return d.step(step.args.name, () => runYamlSteps(step.steps, d, saved, clients));
    case "expect-leader-in": {
      const ids = await optional("members", step.args.members);
      return saveMembers([await d.expect.leaderIn(ids, ms(step.args["timeout-seconds"]))]);
    }
    case "expect-quorum-lost": {
      const ids = await members("members", step.args.members);
      await d.expect.quorumLost(ids, ms(step.args["timeout-seconds"]));
      return saveMembers(ids);
    }
    case "expect-ruok-without-quorum": {
      const ids = await members("members", step.args.members);
      await d.expect.ruokWithoutQuorum(ids);
      return saveMembers(ids);
    }
    case "expect-znodes-survive": {
      const ids = await members("members", step.args.members);
      await (step.args.paths ? d.expect.znodesSurvive(ids, step.args.paths) : d.expect.znodesSurvive(ids));
      return saveMembers(ids);
    }
    case "expect-writes-survive": {
      const ids = await members("members", step.args.members);
      await d.expect.writesSurvive(ids);
      return saveMembers(ids);
    }
    case "expect-reconciled": {
      const ids = await optional("members", step.args.members);
      await d.expect.reconciled(ids);
      return saveMembers(ids);
    }
    case "expect-znodes-absent": {
      const ids = await members("members", step.args.members);
      await d.expect.znodesAbsent(step.args.paths, ids, step.args.why);
      return saveMembers(ids);
    }
    case "expect-epoch-rose": {
      const before = quorumOf(step.args.before);
      const after = step.args.after ? quorumOf(step.args.after) : await d.quorum(await optional("members", step.args.members));
      return d.expect.epochRose(before.epoch, after.epoch);
    }
    case "expect-throughput-holds":
      return d.expect.throughputHolds(step.args.phase, step.args.baseline, step.args["min-ratio"]);
    case "expect-planned-quorum":
      return d.expect.plannedQuorum(step.args.stage, step.args.voters);
    case "expect-roles": {
      const ids = await members("members", step.args.members);
      const leaderAmong = await optional("leader-among", step.args["leader-among"]);
      const observers = await optional("observers", step.args.observers);
      await d.expect.roles(ids, defined({ leaderAmong, followers: step.args.followers, observers }));
      return saveMembers(ids);
    }
    case "expect-member-exits": {
      const [id] = await members("member", step.args.member);
      const timeout = step.args["timeout-seconds"];
      await d.expect.memberExits(id, new RegExp(step.args["log-line"]), step.args.what, ms(timeout));
      return saveMembers([id]);
    }
    case "expect-fsync-slow": {
      const [id] = await members("member", step.args.member);
      await d.expect.fsyncSlow(id, step.args["min-ms"] ?? 1000, ms(step.args["timeout-seconds"]));
      return saveMembers([id]);
    }
    case "expect-phase-latency":
      return d.expect.phaseLatency(step.args.phase, step.args["p99-below-ms"]);
    case "open-client": {
      const ids = await members("members", step.args.members);
      clients.set(step.args.name, await d.openClient(step.args.name, ids, step.args["session-timeout-ms"]));
      return;
    }
    case "client-crash":
      return d.clientCrash(clientOf(step.args.client));
    case "client-partition":
      return d.clientPartition(clientOf(step.args.client), step.args.ms);
    case "expect-session-kept":
      return d.expect.sessionKept(clientOf(step.args.client));
    case "expect-session-expired":
      return d.expect.sessionExpired(clientOf(step.args.client));
    case "expect-read-only": {
      const [id] = await members("member", step.args.member);
      return d.expect.readOnlyServes(id, ms(step.args["timeout-seconds"]));
    }
    case "rolling-upgrade": {
      const ids = await members("members", step.args.members);
      await d.rollingUpgrade(ids, await members("wait-for", step.args["wait-for"]), step.args.version);
      return saveMembers(ids);
    }
    default: {
      // Every verb is handled above or by the catalog: a new verb that is neither fails to compile here.
      const unhandled: never = step;
      throw new Error(`no interpreter for ${JSON.stringify(unhandled)}`);
    }
  }
}
