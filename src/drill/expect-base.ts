// The machinery under `d.expect`: evidence judged by a named check of src/checks, journaled with its
// kind and input (so `report verify` recomputes it), and a failed check stopping the drill.
import { CheckKind, judged } from "../checks/registry";
import type { CheckResult } from "../checks/result";
import { errorText } from "../common/wait";
import type { MemberId } from "../topology";
import type { DrillContext } from "./context";

export { CheckFailed } from "./core";

export type Answers = Record<string, string>;

export class ExpectationsBase {
  constructor(protected readonly d: DrillContext) {}

  /** Judges `input` with the named check, journals all three, and stops the drill on a failure (src/drill/core.ts). */
  protected record<K extends CheckKind>(kind: K, input: Parameters<typeof judged<K>>[1]): CheckResult {
    return this.d.check(kind, input);
  }

  /** srvr (or another word) of each member; "error: ..." where it did not answer. */
  protected async ask(members: readonly MemberId[], word: "srvr" | "ruok" = "srvr"): Promise<Answers> {
    const out: Answers = {};
    await Promise.all(members.map(async (id) => (out[id] = await this.d.ensemble.fourLetter(id, word).catch((err) => `error: ${errorText(err)}`))));
    return out;
  }

  protected observers(): MemberId[] {
    return this.d.ensemble.topology.members.filter((m) => m.role === "observer").map((m) => m.id);
  }
}
