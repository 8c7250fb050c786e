// Drill files: the catalog (drills/), a YAML drill, a TypeScript drill. Loaded one at a time, when asked
// for: a TypeScript drill outside the compiled catalog is type-checked, then loaded through tsx.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { closest } from "../common";
import type { DrillDefinition, KnownBug } from "../drill";
import { InputError, ROOT } from "./catalog";

const DRILLS = join(ROOT, "drills");
/** Running compiled (dist/src/cli/drills.js), not through tsx. */
const COMPILED = __filename.endsWith(".js");
const DIST = join(ROOT, "dist");

/** Catalog drills: TypeScript (code, for what needs code) and YAML (data) files in drills/. */
const DRILL_FILE = /\.(ts|ya?ml)$/;

/** Known-bug drills (each reproduces a ZooKeeper JIRA issue) sit in a folder of their own, named like the others. */
const KNOWN_BUGS = join(DRILLS, "known-bugs");

const drillsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => DRILL_FILE.test(f)).map((f) => f.replace(DRILL_FILE, "")) : []);

export function catalogDrills(): string[] {
  return [...drillsIn(DRILLS), ...drillsIn(KNOWN_BUGS)].sort();
}

/** The drill's file: a path as given, else a catalog name; a misspelt name gets the nearest one. */
export function drillPath(ref: string): string {
  if (existsSync(ref)) return resolve(ref);
  const inCatalog = [DRILLS, KNOWN_BUGS].flatMap((dir) => ["ts", "yaml", "yml"].map((ext) => join(dir, `${ref}.${ext}`))).find((p) => existsSync(p));
  if (inCatalog) return inCatalog;
  const names = catalogDrills();
  const near = closest(ref, names);
  throw new InputError(`drill "${ref}" is neither a file nor a catalog drill; ${near ? `did you mean ${near}? ` : ""}the catalog: zkdrill list (${names.length} drills)`);
}

export interface LoadOptions {
  /** Type-check a TypeScript drill file before loading it (a run and a dry run do; list does not). */
  readonly typeCheck?: boolean;
}

export function loadDrill(ref: string, opts: LoadOptions = {}): DrillDefinition {
  const path = drillPath(ref);
  if (/\.ya?ml$/i.test(path)) {
    // The YAML loader brings zod and the fault catalog: loaded only when a YAML drill is.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../drill/yaml") as typeof import("../drill/yaml")).loadYamlDrill(path);
  }
  const compiled = compiledCatalogDrill(path);
  if (!compiled && opts.typeCheck) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("./typecheck-drill") as typeof import("./typecheck-drill")).typeCheckDrill(path);
  }
  if (!compiled) registerTypeScript();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(compiled ?? path) as { default?: DrillDefinition };
  if (!mod.default || typeof mod.default.run !== "function") throw new InputError(`${path} does not default-export a drill({...}); a drill is a .ts file doing so, or a .yaml drill file (docs/drill.schema.json)`);
  return mod.default;
}

export interface DrillSummary {
  readonly name: string;
  readonly procedure: string;
  readonly description: string;
  /** A known-bug drill's issue: its id, title and versions. */
  readonly knownBug?: Pick<KnownBug, "jira" | "title" | "affects" | "fixedIn">;
}

/** What `list` shows, without loading a YAML drill's machinery (its fields are read as plain YAML). */
export function drillSummary(ref: string): DrillSummary {
  const path = drillPath(ref);
  if (!/\.ya?ml$/i.test(path)) {
    const d = loadDrill(path);
    const bug = d.knownBug;
    return { name: d.name, procedure: d.procedure, description: d.description, ...(bug ? { knownBug: { jira: bug.jira, title: bug.title, affects: bug.affects, fixedIn: bug.fixedIn } } : {}) };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const doc = (require("yaml") as typeof import("yaml")).parse(readFileSync(path, "utf8")) as Record<string, unknown> | null;
  const text = (k: string, o = doc) => (typeof o?.[k] === "string" ? (o[k] as string) : "");
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);
  const bug = doc?.["known-bug"] as Record<string, unknown> | undefined;
  const knownBug = bug && typeof bug === "object" ? { knownBug: { jira: text("jira", bug), title: text("title", bug), affects: list(bug.affects), fixedIn: list(bug["fixed-in"]) } } : {};
  return { name: text("name") || ref, procedure: text("procedure"), description: text("description"), ...knownBug };
}

/** A catalog drill's compiled file (dist/drills/<name>.js) when running compiled; tsc type-checked it. */
function compiledCatalogDrill(path: string): string | undefined {
  if (!COMPILED || ![DRILLS, KNOWN_BUGS].includes(resolve(path, ".."))) return undefined;
  const js = join(DIST, "drills", relative(DRILLS, path).replace(/\.ts$/, ".js"));
  return existsSync(js) ? js : undefined;
}

let registered = false;

/**
 * tsx's require hook, for a TypeScript drill, only when one is loaded. Running compiled, the drill's imports of
 * zkdrill's own src/ are sent to dist/src/, so the drill and the run share one copy of each module.
 */
function registerTypeScript(): void {
  if (registered || !COMPILED) return;
  registered = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("tsx/cjs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("node:module") as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = Module._resolveFilename;
  const src = join(ROOT, "src") + sep;
  Module._resolveFilename = function (request: string, ...rest: unknown[]): string {
    const found = resolveFilename.call(this, request, ...rest);
    if (!found.startsWith(src) || !found.endsWith(".ts")) return found;
    const js = join(DIST, relative(ROOT, found)).replace(/\.ts$/, ".js");
    return existsSync(js) ? js : found;
  };
}
