// The YAML verbs for the faults incidents bring (member partition shapes, packet loss, degraded
// links, disks, logs, clocks, a member's own exit) and for upgrades: one verb per drill word of
// src/drill/fault-words.ts and context.ts. schema.ts merges them into the format; the helpers come
// from there as arguments, so the two files do not import each other.
import { z } from "zod";

/** schema.ts's own field builders, so these verbs read and validate as the others do. */
export interface VerbHelpers<Sel extends z.ZodType, Zones extends z.ZodType, Secs extends z.ZodType, Save extends z.ZodType> {
  readonly selector: (description: string) => Sel;
  readonly zones: (description: string) => Zones;
  readonly seconds: (description: string) => Secs;
  readonly save: Save;
}

export const LINK_MODES = ["drop", "reject"] as const;
export const LOG_DAMAGES = ["torn-tail", "bit-flip"] as const;

const zkVersion = z.string({ error: 'must be a ZooKeeper version like "3.9.5"' }).regex(/^\d+\.\d+\.\d+$/, 'must be a ZooKeeper version like "3.9.5"');
const wholeMs = (description: string) => z.number({ error: "must be whole milliseconds" }).int("whole milliseconds (Toxiproxy's unit)").positive("must be more than 0").describe(description);

export function incidentVerbArgs<Sel extends z.ZodType, Zones extends z.ZodType, Secs extends z.ZodType, Save extends z.ZodType>(h: VerbHelpers<Sel, Zones, Secs, Save>) {
  const mode = z.enum(LINK_MODES, { error: 'must be "drop" (packets silently dropped) or "reject" (connections reset)' }).optional().describe("drop (default): a blackhole; reject: TCP resets");
  return {
    "isolate-member": z
      .strictObject({ member: h.selector("The member cut off from every other member (its clients still reach it)"), mode, save: h.save })
      .describe("Cuts one member off from every other, inside the members (iptables)"),
    "partition-halves": z
      .strictObject({
        side: h.selector("One side"),
        "other-side": h.selector("The other side (default: every other member)").optional(),
        mode,
        save: h.save,
      })
      .describe("Two groups of members that cannot reach each other"),
    "partition-bridge": z
      .strictObject({ bridge: h.selector("The member that sees both sides"), side: h.selector("One side"), "other-side": h.selector("The other side"), mode })
      .describe("Two groups joined only through one member (Jepsen's bridge)"),
    "partition-ring": z
      .strictObject({ members: h.selector("The ring, in this order (default: every member, by id); 5 or more").optional(), mode })
      .describe("Each member sees a bare majority, no two the same one (Jepsen's majorities ring)"),
    "cut-one-way": z
      .strictObject({ from: h.selector("These members cannot send"), to: h.selector("to these; the other way still flows"), mode })
      .describe("A one-way cut between members"),
    "heal-members": z.strictObject({}).describe("Removes every cut and loss between members"),
    flap: z
      .strictObject({
        member: h.selector("The member whose links flap (isolated, then healed, again and again)"),
        "every-seconds": h.seconds("How long each cut and each heal lasts (0.1 or more)"),
        "for-seconds": h.seconds("How long the flapping goes on"),
      })
      .describe("A flapping link: the member cut off and healed in turn"),
    "packet-loss": z
      .strictObject({
        from: h.selector("The member whose packets are lost (the first the selector gives)"),
        to: h.selector("To these members (default: every other)").optional(),
        percent: z.number({ error: "must be a percentage, e.g. 20" }).gt(0, "must be above 0 %").lt(100, "must be below 100 % (100 % is a cut: use isolate-member)").describe("The share of packets dropped at random"),
      })
      .describe("Random packet loss on a member's links (iptables statistic)"),
    "degrade-links": z
      .strictObject({
        from: h.zones("One side"),
        to: h.zones("The other side"),
        "one-way": z.boolean().optional().describe("Only bytes from `from` to `to`"),
        "bandwidth-kbps": z.number().int("whole KB/s").positive().optional().describe("A bandwidth cap, each way"),
        "slice-bytes": z.number().int().positive().optional().describe("Bytes cut into chunks of about this size"),
        "slice-delay-us": z.number().int().min(0).optional().describe("Delay between the chunks, µs"),
        "slow-close-ms": wholeMs("A close reaches the other side this late").optional(),
        "extra-latency-ms": wholeMs("Added to the round trip").optional(),
      })
      .describe("Links between zones degraded on top of their latency (Toxiproxy)"),
    "restore-links": z.strictObject({}).describe("Removes every link degradation (the latency stays)"),
    "fill-disk": z.strictObject({ member: h.selector("The member whose dataLogDir disk fills (it needs datalogMb in the topology)"), save: h.save }).describe("Fills a member's dataLogDir disk to the last byte"),
    "free-disk": z.strictObject({ member: h.selector("The member whose dataLogDir disk is freed"), save: h.save }).describe("Frees what fill-disk wrote"),
    "corrupt-log": z
      .strictObject({
        member: h.selector("The stopped member whose newest transaction log is broken"),
        damage: z.enum(LOG_DAMAGES, { error: 'must be "torn-tail" (the last record cut in half) or "bit-flip" (a byte flipped in a record)' }),
        save: h.save,
      })
      .describe("Breaks a stopped member's newest transaction log as a disk does"),
    "skew-clock": z
      .strictObject({
        members: h.selector("Whose wall clocks move"),
        seconds: z.number({ error: "must be whole seconds, e.g. 3600 or -120" }).int("whole seconds").refine((s) => s !== 0, "must not be 0 (use reset-clock)").describe("Forward (positive) or back (negative)"),
        save: h.save,
      })
      .describe("Moves members' wall clocks (libfaketime; monotonic time untouched)"),
    "reset-clock": z.strictObject({ members: h.selector("Whose wall clocks go back to true time"), save: h.save }).describe("Puts members' wall clocks back"),
    "expect-member-exits": z
      .strictObject({
        member: h.selector("The member whose process must end by itself"),
        "log-line": z.string().min(1).refine(validRegExp, "must be a valid regular expression").describe("A regular expression its log must match (the reason it gives)"),
        what: z.string().min(1).describe("What happened, for the report"),
        "timeout-seconds": h.seconds("How long to wait for it to exit").optional(),
        save: h.save,
      })
      .describe("The member's process exits by itself, and its log says why"),
    upgrade: z
      .strictObject({ members: h.selector("The members upgraded, one at a time in this order"), version: zkVersion.optional().describe("The version (default: --to-version)"), save: h.save })
      .describe("Members on another ZooKeeper version, their data carried over"),
    "rolling-upgrade": z
      .strictObject({
        members: h.selector("The members to upgrade: followers one at a time, the leader last"),
        "wait-for": h.selector("The members that must agree on a leader after each"),
        version: zkVersion.optional().describe("The version (default: --to-version)"),
        save: h.save,
      })
      .describe("A rolling upgrade in the runbook's order, waiting for a quorum after each member"),
  } as const;
}

function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const INCIDENT_VERBS = Object.keys(incidentVerbArgs({ selector: () => z.unknown(), zones: () => z.array(z.string()), seconds: () => z.number(), save: z.unknown() }));
