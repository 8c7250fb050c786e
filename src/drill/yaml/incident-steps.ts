// The incident and upgrade verbs (incident-verbs.ts) run on the drill words and told in a dry run:
// the interpreter and explain.ts hand these verbs here.
import type { MemberId, Topology } from "../../topology";
import type { DrillContext } from "../context";
import type { DryRun } from "./dry-run";
import { INCIDENT_VERBS } from "./incident-verbs";
import type { DrillStep, StepOf } from "./model";
import type { MemberSelector } from "./schema";

export type IncidentVerb =
  | "isolate-member"
  | "partition-halves"
  | "partition-bridge"
  | "partition-ring"
  | "cut-one-way"
  | "heal-members"
  | "flap"
  | "packet-loss"
  | "degrade-links"
  | "restore-links"
  | "fill-disk"
  | "free-disk"
  | "corrupt-log"
  | "skew-clock"
  | "reset-clock"
  | "expect-member-exits"
  | "upgrade"
  | "rolling-upgrade";

export type IncidentStep = { [V in IncidentVerb]: StepOf<V> }[IncidentVerb];

export function isIncidentStep(step: DrillStep): step is IncidentStep {
  return INCIDENT_VERBS.includes(step.verb);
}

/** The drill words these verbs use. */
export type IncidentWords = Pick<
  DrillContext,
  | "partitionMembers"
  | "healMembers"
  | "flap"
  | "packetLoss"
  | "degradeLinks"
  | "restoreLinks"
  | "fillDisk"
  | "freeDisk"
  | "corruptLog"
  | "skewClock"
  | "resetClock"
  | "upgrade"
  | "rollingUpgrade"
> & { readonly expect: Pick<DrillContext["expect"], "memberExits">; readonly topology: Topology };

/** Resolves a selector field of the step to member ids (at least one), as the interpreter does. */
export type Resolve = (field: string, sel: MemberSelector) => Promise<MemberId[]>;

const ms = (seconds: number) => Math.round(seconds * 1000);

/** Runs one incident or upgrade step; returns the members it acted on (for `save:`). */
export async function runIncidentStep(step: IncidentStep, d: IncidentWords, members: Resolve): Promise<MemberId[] | undefined> {
  const everyone = () => d.topology.members.map((m) => m.id);
  const mode = "mode" in step.args ? step.args.mode : undefined;
  switch (step.verb) {
    case "isolate-member": {
      const [id] = await members("member", step.args.member);
      await d.partitionMembers({ kind: "isolate", member: id }, mode);
      return [id];
    }
    case "partition-halves": {
      const side = await members("side", step.args.side);
      const other = step.args["other-side"] ? await members("other-side", step.args["other-side"]) : everyone().filter((id) => !side.includes(id));
      await d.partitionMembers({ kind: "halves", sides: [side, other] }, mode);
      return side;
    }
    case "partition-bridge": {
      const [bridge] = await members("bridge", step.args.bridge);
      await d.partitionMembers({ kind: "bridge", bridge, sides: [await members("side", step.args.side), await members("other-side", step.args["other-side"])] }, mode);
      return [bridge];
    }
    case "partition-ring": {
      const ring = step.args.members ? await members("members", step.args.members) : everyone();
      await d.partitionMembers({ kind: "majorities-ring", ring }, mode);
      return ring;
    }
    case "cut-one-way": {
      const from = await members("from", step.args.from);
      await d.partitionMembers({ kind: "one-way", from, to: await members("to", step.args.to) }, mode);
      return from;
    }
    case "heal-members":
      await d.healMembers();
      return undefined;
    case "flap": {
      const [id] = await members("member", step.args.member);
      await d.flap({ kind: "isolate", member: id }, { everyMs: ms(step.args["every-seconds"]), forMs: ms(step.args["for-seconds"]) });
      return [id];
    }
    case "packet-loss": {
      const [from] = await members("from", step.args.from);
      const to = step.args.to ? await members("to", step.args.to) : undefined;
      await d.packetLoss(from, step.args.percent, to);
      return [from];
    }
    case "degrade-links": {
      const a = step.args;
      const slicer = a["slice-bytes"] === undefined ? undefined : { averageBytes: a["slice-bytes"], delayUs: a["slice-delay-us"] };
      await d.degradeLinks({ from: a.from, to: a.to, oneWay: a["one-way"], bandwidthKBps: a["bandwidth-kbps"], slicer, slowCloseMs: a["slow-close-ms"], extraLatencyMs: a["extra-latency-ms"] });
      return undefined;
    }
    case "restore-links":
      await d.restoreLinks();
      return undefined;
    case "fill-disk":
    case "free-disk": {
      const [id] = await members("member", step.args.member);
      await (step.verb === "fill-disk" ? d.fillDisk(id) : d.freeDisk(id));
      return [id];
    }
    case "corrupt-log": {
      const [id] = await members("member", step.args.member);
      await d.corruptLog(id, step.args.damage);
      return [id];
    }
    case "skew-clock": {
      const ids = await members("members", step.args.members);
      await d.skewClock(ids, step.args.seconds);
      return ids;
    }
    case "reset-clock": {
      const ids = await members("members", step.args.members);
      await d.resetClock(ids);
      return ids;
    }
    case "expect-member-exits": {
      const [id] = await members("member", step.args.member);
      const timeout = step.args["timeout-seconds"];
      await d.expect.memberExits(id, new RegExp(step.args["log-line"]), step.args.what, timeout === undefined ? undefined : ms(timeout));
      return [id];
    }
    case "upgrade": {
      const ids = await members("members", step.args.members);
      for (const id of ids) await d.upgrade(id, step.args.version);
      return ids;
    }
    case "rolling-upgrade": {
      const ids = await members("members", step.args.members);
      await d.rollingUpgrade(ids, await members("wait-for", step.args["wait-for"]), step.args.version);
      return ids;
    }
  }
}

const MEMBER_CUTS = "the planner does not model cuts between members: the side that holds a majority of the voters keeps or elects a leader";

/** A dry run's line for an incident or upgrade step (and what it does to who runs). */
export function explainIncidentStep(step: IncidentStep, run: DryRun): { text: string; after?: string } {
  const who = (sel: MemberSelector) => run.sketch(sel).text;
  const how = "mode" in step.args && step.args.mode === "reject" ? "connections reset" : "packets dropped";
  switch (step.verb) {
    case "isolate-member":
      return { text: `cut ${who(step.args.member)} off from every other member (${how}; its clients still reach it)`, after: MEMBER_CUTS };
    case "partition-halves":
      return { text: `cut ${who(step.args.side)} off from ${step.args["other-side"] === undefined ? "every other member" : who(step.args["other-side"])} (${how})`, after: MEMBER_CUTS };
    case "partition-bridge":
      return { text: `cut ${who(step.args.side)} off from ${who(step.args["other-side"])}, both still seeing ${who(step.args.bridge)} (a bridge; ${how})`, after: MEMBER_CUTS };
    case "partition-ring":
      return { text: `a majorities ring over ${step.args.members === undefined ? "every member" : who(step.args.members)}: each sees a bare majority, no two the same (${how})`, after: MEMBER_CUTS };
    case "cut-one-way":
      return { text: `${who(step.args.from)} cannot send to ${who(step.args.to)}; the other way still flows (${how})`, after: MEMBER_CUTS };
    case "heal-members":
      return { text: "heal every cut and loss between members" };
    case "flap":
      return { text: `flap ${who(step.args.member)}'s links: cut and healed every ${step.args["every-seconds"]} s for ${step.args["for-seconds"]} s` };
    case "packet-loss":
      return { text: `lose ${step.args.percent} % of ${who(step.args.from)}'s packets to ${step.args.to === undefined ? "every other member" : who(step.args.to)}` };
    case "degrade-links": {
      const a = step.args;
      const what = [a["bandwidth-kbps"] && `${a["bandwidth-kbps"]} KB/s`, a["slice-bytes"] && `sliced into ~${a["slice-bytes"]} B chunks`, a["slow-close-ms"] && `closes ${a["slow-close-ms"]} ms late`, a["extra-latency-ms"] && `+${a["extra-latency-ms"]} ms round trip`].filter(Boolean);
      return { text: `degrade the links ${a.from.join(", ")} ${a["one-way"] ? "->" : "<->"} ${a.to.join(", ")}: ${what.join(", ") || "nothing given"}` };
    }
    case "restore-links":
      return { text: "restore every degraded link (the latency stays)" };
    case "fill-disk":
      return { text: `fill ${who(step.args.member)}'s dataLogDir disk to the last byte` };
    case "free-disk":
      return { text: `free ${who(step.args.member)}'s dataLogDir disk` };
    case "corrupt-log":
      return { text: `${step.args.damage === "torn-tail" ? "tear the last record of" : "flip a byte in a record of"} ${who(step.args.member)}'s newest transaction log (it must be stopped)` };
    case "skew-clock":
      return { text: `move ${who(step.args.members)}'s wall clock ${step.args.seconds > 0 ? "forward" : "back"} ${Math.abs(step.args.seconds)} s (monotonic time untouched)` };
    case "reset-clock":
      return { text: `put ${who(step.args.members)}'s wall clock back to true time` };
    case "expect-member-exits":
      return { text: `expect ${who(step.args.member)}'s process to exit by itself, its log matching /${step.args["log-line"]}/ (${step.args.what})` };
    case "upgrade":
      return { text: `upgrade ${who(step.args.members)} to ZooKeeper ${step.args.version ?? "--to-version"}, one at a time, data carried over` };
    case "rolling-upgrade":
      return { text: `rolling upgrade of ${who(step.args.members)} to ZooKeeper ${step.args.version ?? "--to-version"}: followers first, the leader last, waiting after each for ${who(step.args["wait-for"])} to agree` };
  }
}
