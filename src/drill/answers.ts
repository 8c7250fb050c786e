// What the members say when asked (srvr, ruok), and who observes: the evidence several expectations gather.
import { errorText } from "../common";
import type { MemberId } from "../topology";
import type { RunCore } from "./core";

export type Answers = Record<string, string>;

/** srvr (or another word) of each member; "error: ..." where it did not answer. */
export async function ask(run: RunCore, members: readonly MemberId[], word: "srvr" | "ruok" = "srvr"): Promise<Answers> {
  const out: Answers = {};
  await Promise.all(members.map(async (id) => (out[id] = await run.ensemble.fourLetter(id, word).catch((err) => `error: ${errorText(err)}`))));
  return out;
}

export function observersOf(run: RunCore): MemberId[] {
  return run.ensemble.topology.members.filter((m) => m.role === "observer").map((m) => m.id);
}
