// The Debian mirror debootstrap fetches the base image from: the one this machine's apt already uses
// (a site mirror, a proxy, a snapshot), never a host name written here. ZKDRILL_DEBIAN_MIRROR overrides.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ImageInputError } from "./catalog";

/** One apt source, either format: `deb URI SUITE COMPONENT...` or a deb822 stanza. */
export interface AptSource {
  readonly types: readonly string[];
  readonly uris: readonly string[];
  readonly suites: readonly string[];
  readonly components: readonly string[];
  /** Where it came from, for messages. */
  readonly file: string;
}

/** sources.list's one-line format (also sources.list.d/*.list): `deb [opts] URI SUITE [COMPONENT...]`. */
export function parseOneLineSources(text: string, file = "sources.list"): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) continue;
    // Options sit in brackets and may hold spaces ("[ arch=amd64 signed-by=... ]"): drop them whole.
    const words = line.replace(/\[[^\]]*\]/, " ").split(/\s+/).filter(Boolean);
    const [type, uri, suite, ...components] = words;
    if (!type || !uri || !suite) continue;
    out.push({ types: [type], uris: [uri], suites: [suite], components, file });
  }
  return out;
}

/** The deb822 format of sources.list.d/*.sources: stanzas of `Field: value`, blank-line separated. */
export function parseDeb822Sources(text: string, file = "debian.sources"): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const raw of stanza.split("\n")) {
      if (/^\s*#/.test(raw) || !raw.trim()) continue;
      // A line that starts with white space continues the field before it (Signed-By's inline key).
      if (/^\s/.test(raw) && last) {
        fields.set(last, `${fields.get(last)} ${raw.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
      if (!m) continue;
      last = m[1].toLowerCase();
      fields.set(last, m[2].trim());
    }
    const list = (name: string) => (fields.get(name) ?? "").split(/\s+/).filter(Boolean);
    if (/^(no|false|0)$/i.test(fields.get("enabled") ?? "")) continue;
    if (!fields.has("types") || !fields.has("uris")) continue;
    out.push({ types: list("types"), uris: list("uris"), suites: list("suites"), components: list("components"), file });
  }
  return out;
}

/** Debian's suite names and codenames: what tells Debian's archive from a third-party repository. */
const DEBIAN_SUITES = /^(oldoldstable|oldstable|stable|testing|unstable|sid|experimental|buster|bullseye|bookworm|trixie|forky|duke)(-updates|-backports|-proposed-updates)?$/;
/** Schemes debootstrap can fetch from (apt's mirror+, tor+ and cdrom: methods are apt's own). */
const FETCHABLE = /^(https?|ftp|file):/;

/**
 * The first `deb` source that is Debian's archive: a Debian suite with the main component. Security
 * (bookworm-security, /debian-security) is a different archive without the base system; a
 * third-party repository (Docker's, NodeSource's) has its own suite or component names.
 */
export function debianArchiveOf(sources: readonly AptSource[]): string | undefined {
  for (const s of sources) {
    if (!s.types.includes("deb")) continue;
    if (!s.components.includes("main")) continue;
    if (!s.suites.some((suite) => DEBIAN_SUITES.test(suite))) continue;
    const uri = s.uris.find((u) => FETCHABLE.test(u) && !/security/i.test(u));
    if (uri) return uri.replace(/\/+$/, "");
  }
  return undefined;
}

/** Every source apt reads, in apt's order: sources.list, then sources.list.d in name order. */
export function readAptSources(aptDir = "/etc/apt"): AptSource[] {
  const out: AptSource[] = [];
  const main = join(aptDir, "sources.list");
  if (existsSync(main)) out.push(...parseOneLineSources(readFileSync(main, "utf8"), main));
  const dir = join(aptDir, "sources.list.d");
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const name of names) {
    // apt reads only these two extensions (foo.list.disabled and the like are ignored on purpose).
    const path = join(dir, name);
    if (name.endsWith(".list")) out.push(...parseOneLineSources(readFileSync(path, "utf8"), path));
    else if (name.endsWith(".sources")) out.push(...parseDeb822Sources(readFileSync(path, "utf8"), path));
  }
  return out;
}

/** ZKDRILL_DEBIAN_MIRROR, else the Debian archive this machine's apt uses; asks for the variable when neither. */
export function debianMirror(env: NodeJS.ProcessEnv = process.env, aptDir = "/etc/apt"): string {
  const set = env.ZKDRILL_DEBIAN_MIRROR?.trim();
  if (set) return set.replace(/\/+$/, "");
  let found: string | undefined;
  try {
    found = debianArchiveOf(readAptSources(aptDir));
  } catch (err) {
    throw new ImageInputError(`reading ${aptDir} for a Debian mirror failed (${(err as Error).message}); set ZKDRILL_DEBIAN_MIRROR=<URL of a Debian archive mirror>`);
  }
  if (!found) {
    throw new ImageInputError(
      `no Debian archive among the apt sources in ${aptDir} (sources.list, sources.list.d/*.list, *.sources); ` +
        `the base image (bookworm) is fetched from one: set ZKDRILL_DEBIAN_MIRROR=<URL of a Debian archive mirror that carries bookworm>`,
    );
  }
  return found;
}
