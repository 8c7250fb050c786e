// The catalog topologies under drills/topologies, and how a name becomes a file.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { TopologyError } from "./schema";
import { PACKAGE_ROOT } from "../common";

export const CATALOG_DIR = resolve(PACKAGE_ROOT, "drills", "topologies");

export function catalogTopologies(): string[] {
  return readdirSync(CATALOG_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ""))
    .sort();
}

/** A file path as given, else the catalog topology of that name. */
export function resolveTopologyPath(ref: string): string {
  if (existsSync(ref)) return ref;
  for (const ext of ["yaml", "yml", "json"]) {
    const p = join(CATALOG_DIR, `${ref}.${ext}`);
    if (existsSync(p)) return p;
  }
  throw new TopologyError(ref, [`"${ref}" is neither a file nor a catalog topology; catalog: ${catalogTopologies().join(", ")}`]);
}
