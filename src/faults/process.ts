// Faults of the members' processes: kill -9 (P1's power loss), a graceful stop in the runbook's
// order (P2: followers first, the leader last), a freeze (a GC pause, a hung host), and the starts,
// restarts and unfreezes that mend them.
import { z } from "zod";
import type { StartOptions } from "../runtime";
import type { MemberId } from "../topology";
import { ArgHelpers, defineFault, DryRunView, Explained, Selects, sleep } from "./spec";

/** What a drill may say of a fault: its outage is the point (a quorum lost on purpose), and why; judged as such, not by the RTO. */
export interface FaultOptions {
  readonly outageExpected?: string;
}

const outageExpected = z
  .string({ error: 'must say why the outage is the point, e.g. "three of five gone: quorum lost"' })
  .min(1, 'must say why the outage is the point, e.g. "three of five gone: quorum lost"')
  .optional()
  .describe("The outage this fault causes is the point (a quorum lost on purpose), and why: it is judged by the step's own checks, never by the RTO objective");

const shown = (ids: readonly MemberId[]) => ids.join(", ");
const outageNote = (why: string | undefined) => (why ? ` (outage expected: ${why})` : "");
const outageDetail = (why: string | undefined) => (why ? { expectOutage: why } : {});

/** Members gone: the planner's quorum after. */
function explainDown(how: string, members: Selects<"many">, why: string | undefined, run: DryRunView): Explained {
  const s = run.sketch(members);
  run.down(s);
  return { text: `${how} ${s.text}${why ? ` (outage expected: ${why}; not held to the RTO objective)` : ""}`, after: run.planner() };
}

function explainUp(verb: string, members: Selects<"many">, extra: string, run: DryRunView): Explained {
  const s = run.sketch(members);
  run.upAgain(s);
  return { text: `${verb} ${s.text}${extra}`, after: run.planner() };
}

const perMember = <P extends { members: MemberId[] }>(p: P): P[] => p.members.map((id) => ({ ...p, members: [id] }));

export const kill = defineFault({
  verb: "kill",
  about: "kill -9 (SIGKILL): a power loss",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The members to kill -9, all at once"), "outage-expected": outageExpected, save: h.save }),
  kinds: ["kill"],
  effect: "fault",
  disaster: true,
  running: "down",
  step: (p) => `kill -9 member(s) ${shown(p.members)}${outageNote(p["outage-expected"])}`,
  label: (p) => `kill ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ signal: "SIGKILL", ...outageDetail(p["outage-expected"]) }),
  inject: async (p, env) => void (await Promise.all(p.members.map((id) => env.ensemble.kill(id)))),
  explain: (a, run) => explainDown("kill -9", a.members, a["outage-expected"], run),
});

export const stop = defineFault({
  verb: "stop",
  about: "Graceful stop (SIGTERM), in the order given",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The members to stop, one after the other in this order"), "outage-expected": outageExpected, save: h.save }),
  kinds: ["stop"],
  effect: "fault",
  disaster: true,
  running: "down",
  step: (p) => `stop member(s) ${shown(p.members)} in this order${outageNote(p["outage-expected"])}`,
  // P2: followers first, the leader last: one fault each, in the order given.
  faults: perMember,
  label: (p) => `stop ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ signal: "SIGTERM", ...outageDetail(p["outage-expected"]) }),
  inject: async (p, env) => {
    for (const id of p.members) await env.ensemble.stop(id);
  },
  explain: (a, run) => explainDown("stop (SIGTERM, in order)", a.members, a["outage-expected"], run),
});

export const start = defineFault<"start", "start" | "restore", ReturnType<typeof startArgs>, { restore?: StartOptions["restore"] }>({
  verb: "start",
  about: "Starts members (created or stopped)",
  args: startArgs,
  kinds: ["start", "restore"],
  effect: "recovery",
  running: "up",
  step: (p) => `start member(s) ${shown(p.members)}${p["wipe-data"] ? " with empty version-2 folders" : ""}`,
  kind: (p) => (p.restore ? "restore" : "start"),
  label: (p) => `${p.restore ? "restore" : "start"} ${p.members.join(",")}`,
  members: (p) => p.members,
  detail: (p) => ({ wipeData: p["wipe-data"] ?? false, ...(p.restore ? { restored: true } : {}) }),
  inject: async (p, env) => {
    const opts: StartOptions = { ...(p["wipe-data"] !== undefined ? { wipeData: p["wipe-data"] } : {}), ...(p.restore ? { restore: p.restore } : {}) };
    await Promise.all(p.members.map((id) => env.ensemble.startMember(id, opts)));
  },
  explain: (a, run) => explainUp("start", a.members, a["wipe-data"] ? " with empty version-2 folders" : "", run),
});

function startArgs(h: ArgHelpers) {
  return z.strictObject({
    members: h.members("The members to start"),
    "wipe-data": z.boolean().optional().describe("Start with empty version-2 folders (standbys joining)"),
    save: h.save,
  });
}

export const restart = defineFault({
  verb: "restart",
  about: "Restarts members one at a time",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The members to restart, one at a time in this order"), save: h.save }),
  kinds: ["restart"],
  effect: "recovery",
  steps: perMember,
  step: (p) => `restart member ${p.members.join(", ")}`,
  label: (p) => `restart ${p.members.join(",")}`,
  members: (p) => p.members,
  inject: async (p, env) => {
    for (const id of p.members) {
      if ((await env.ensemble.state(id)) === "running") await env.ensemble.stop(id);
      await env.ensemble.startMember(id);
    }
  },
  explain: (a, run) => {
    const s = run.sketch(a.members);
    return { text: `restart ${s.text}${s.count === 1 ? "" : ", one at a time in this order"}` };
  },
});

export const unpause = defineFault({
  verb: "unpause",
  about: "SIGCONT after a pause",
  args: (h: ArgHelpers) => z.strictObject({ members: h.members("The members to unfreeze"), save: h.save }),
  kinds: ["unpause"],
  effect: "recovery",
  running: "up",
  step: (p) => `unpause member(s) ${shown(p.members)}`,
  label: (p) => `unpause ${p.members.join(",")}`,
  members: (p) => p.members,
  inject: async (p, env) => {
    await Promise.all(p.members.map((id) => env.ensemble.unpause(id)));
    env.forget(p.members.map((id) => `unpause ${id}`));
  },
  explain: (a, run) => explainUp("unpause", a.members, "", run),
});

export const pause = defineFault({
  verb: "pause",
  about: "SIGSTOP (cgroup freeze): a GC pause or a hung host",
  args: (h: ArgHelpers) =>
    z.strictObject({ members: h.members("The members to freeze"), seconds: h.seconds("Unpause after this long (default: until an unpause step)").optional(), save: h.save }),
  kinds: ["pause"],
  effect: "fault",
  disaster: true,
  running: "down",
  step: (p) => `pause member(s) ${shown(p.members)}${p.seconds ? ` for ${p.seconds.toFixed(1)} s` : ""}`,
  label: (p) => `pause ${p.members.join(",")}`,
  members: (p) => p.members,
  inject: async (p, env) => {
    await Promise.all(p.members.map((id) => env.ensemble.pause(id)));
    return p.members.map((id) => ({
      label: `unpause ${id}`,
      run: async () => {
        if ((await env.ensemble.state(id)) === "paused") await env.ensemble.unpause(id);
      },
    }));
  },
  after: async (p, env) => {
    if (!p.seconds) return;
    await sleep(Math.round(p.seconds * 1000)); // the pause's length is the fault itself
    await env.fault(unpause, { members: p.members });
  },
  explain: (a, run) => {
    const s = run.sketch(a.members);
    run.down(s);
    const after = run.planner();
    if (a.seconds) run.upAgain(s);
    return { text: `pause${a.seconds ? ` for ${a.seconds} s` : ""} ${s.text}`, after: a.seconds ? `while paused: ${after}` : after };
  },
});
