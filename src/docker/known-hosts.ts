// The engines of other hosts this machine's runs may have used, so a later `zkdrill down` (another
// process, after a crash) cleans them too: those `zkdrill hosts init` joined, and those a run placed
// zones on. One line an endpoint in ~/.zkdrill/hosts (ZKDRILL_HOSTS_FILE elsewhere).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { enginesInUse, isLocal, LOCAL_ENGINE } from "./engines";

export function hostsFile(): string {
  return process.env.ZKDRILL_HOSTS_FILE ?? join(homedir(), ".zkdrill", "hosts");
}

function recorded(): string[] {
  const file = hostsFile();
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")) : [];
}

/** This machine's engine first, then every other engine used or recorded. */
export function knownEngines(): string[] {
  return [...new Set([LOCAL_ENGINE, ...enginesInUse(), ...recorded()])];
}

export function rememberEngines(endpoints: readonly string[]): void {
  const all = [...new Set([...recorded(), ...endpoints.filter((e) => !isLocal(e))])];
  mkdirSync(dirname(hostsFile()), { recursive: true });
  writeFileSync(hostsFile(), `# engines of other hosts zkdrill runs used (zkdrill down cleans them too)\n${all.join("\n")}\n`);
}
