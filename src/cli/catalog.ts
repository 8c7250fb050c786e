// The repository root, and the error for bad command-line input.
import { resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");

export class InputError extends Error {
  override name = "InputError";
}
