// Where the catalog lives, and how a name on the command line becomes a file.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
export const TOPOLOGIES = join(ROOT, "drills", "topologies");

export class InputError extends Error {
  override name = "InputError";
}

export function catalogTopologies(): string[] {
  return readdirSync(TOPOLOGIES)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ""))
    .sort();
}

export function resolveTopologyPath(ref: string): string {
  if (existsSync(ref)) return ref;
  for (const ext of ["yaml", "yml", "json"]) {
    const p = join(TOPOLOGIES, `${ref}.${ext}`);
    if (existsSync(p)) return p;
  }
  throw new InputError(`topology "${ref}" is neither a file nor a catalog topology; catalog: ${catalogTopologies().join(", ")}`);
}
