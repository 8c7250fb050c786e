import { ImageInputError } from "../images/catalog";
import { EngineError } from "../runtime/docker";
import { TopologyError } from "../topology";

export const EXIT = { passed: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

/** Bad input and a missing environment are the user's to fix (2); anything else is a failure (1). */
export function exitCodeFor(err: unknown): number {
  if (err instanceof TopologyError || err instanceof ImageInputError || err instanceof EngineError) return EXIT.badInput;
  if (err instanceof Error && ["InputError", "ReportDirError", "CutError"].includes(err.name)) return EXIT.badInput;
  return EXIT.failed;
}
