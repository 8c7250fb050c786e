// The repository root, and the error for bad command-line input.
import { PACKAGE_ROOT } from "../common";

/** The package root (src/common/root.ts): the same from src/ and from dist/src/. */
export const ROOT = PACKAGE_ROOT;

export class InputError extends Error {
  override name = "InputError";
}
