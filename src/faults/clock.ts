// Faults of the members' wall clocks: moved forward or back with libfaketime (preloaded by zk-run.sh
// when the drill asks for clock faults; monotonic time is left alone, as ZooKeeper's timeouts run on it).
import { z } from "zod";
import type { MemberId } from "../topology";
import { ArgHelpers, defineFault, FaultEnv } from "./spec";

/** Where zk-run.sh points libfaketime: the member's wall-clock offset, read again every second. */
export const FAKETIME_FILE = "/zkdrill/faketime";

const resetLabel = (ids: readonly MemberId[]) => `reset clocks ${ids.join(",")}`;

async function writeOffsets(env: FaultEnv, ids: readonly MemberId[], text: string): Promise<void> {
  for (const id of ids) {
    if (!env.ensemble.plan.fakeClock) throw new Error(`member ${id}'s clock cannot move: the drill must ask for clock faults (fakeClock: true), so members start with libfaketime`);
    await env.ensemble.putFiles(id, [{ path: FAKETIME_FILE, content: `${text}\n` }]);
  }
}

const signed = (s: number) => `${s >= 0 ? "+" : ""}${s}`;

export const skewClock = defineFault({
  verb: "skew-clock",
  about: "Moves members' wall clocks (libfaketime; monotonic time untouched)",
  args: (h: ArgHelpers) =>
    z.strictObject({
      members: h.members("Whose wall clocks move"),
      seconds: z.number({ error: "must be whole seconds, e.g. 3600 or -120" }).int("whole seconds").refine((s) => s !== 0, "must not be 0 (use reset-clock)").describe("Forward (positive) or back (negative)"),
      save: h.save,
    }),
  kinds: ["clock"],
  effect: "fault",
  needsFakeClock: true,
  step: (p) => `move member(s) ${p.members.join(", ")}'s wall clock ${p.seconds >= 0 ? "forward" : "back"} ${Math.abs(p.seconds)} s`,
  label: (p) => `clock ${signed(p.seconds)} s on ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ offsetSeconds: p.seconds }),
  inject: async (p, env) => {
    if (!Number.isInteger(p.seconds)) throw new Error(`clock offset ${p.seconds}: give whole seconds, e.g. 3600 or -120`);
    await writeOffsets(env, p.members, signed(p.seconds));
    return { label: resetLabel(p.members), run: () => writeOffsets(env, p.members, "+0") };
  },
  explain: (a, run) => ({ text: `move ${run.sketch(a.members).text}'s wall clock ${a.seconds > 0 ? "forward" : "back"} ${Math.abs(a.seconds)} s (monotonic time untouched)` }),
});

export const resetClock = defineFault({
  verb: "reset-clock",
  about: "Puts members' wall clocks back",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("Whose wall clocks go back to true time"), save: h.save }),
  kinds: ["clock"],
  effect: "fault",
  step: (p) => `reset member(s) ${p.members.join(", ")}'s wall clock`,
  label: (p) => `clock reset on ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: () => ({ offsetSeconds: 0 }),
  inject: async (p, env) => {
    await writeOffsets(env, p.members, "+0");
    env.forget([resetLabel(p.members)]);
  },
  explain: (a, run) => ({ text: `put ${run.sketch(a.members).text}'s wall clock back to true time` }),
});
