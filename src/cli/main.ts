#!/usr/bin/env node
// zkdrill's command line. Exit codes: 0 passed, 1 a check failed, 2 bad input or environment, 130 interrupted.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./catalog";
import { exitCodeFor } from "./errors";
import { hostTrouble } from "../docker/host-trouble";

/**
 * Each command's module, loaded only for that command: the run's (testcontainers, dockerode, vega) costs a
 * second or more of CPU that `--version`, `list` and `plan` have no use for.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command[]>>> = {
  list: async () => [(await import("./list")).listCommand()],
  plan: async () => [(await import("./plan")).planCommand()],
  run: async () => [(await import("./run")).runCommand()],
  images: async () => [(await import("./images")).imagesCommand()],
  up: async () => [(await import("./up")).upCommand()],
  down: async () => [(await import("./down")).downCommand()],
  report: async () => [(await import("./report")).reportCommand()],
  trend: async () => [(await import("./trend")).trendCommand()],
  compose: async () => [(await import("./compose")).composeCommand()],
  generate: async () => [(await import("./compose")).generateCommand()],
  doctor: async () => [(await import("./doctor")).doctorCommand()],
  hosts: async () => [(await import("./hosts")).hostsCommand()],
};
/** Other names a command answers to (commander's aliases). */
const ALIASES: Readonly<Record<string, string>> = { history: "trend" };

/**
 * The commands this command line needs: the one it names (`help <command>` included); every one for the
 * overall help, a missing or unknown command (their messages list them all); none for --version.
 */
function commandsFor(argv: readonly string[]): string[] {
  const words = argv.filter((a) => !a.startsWith("-"));
  const named = (w: string | undefined) => (w === undefined ? undefined : (ALIASES[w] ?? (w in COMMANDS ? w : undefined)));
  const first = named(words[0]);
  if (first) return [first];
  if (words[0] === "help" && named(words[1])) return [named(words[1])!];
  if (words[0] === "version") return [];
  if (words.length === 0 && argv.some((a) => a === "-V" || a === "--version")) return [];
  return Object.keys(COMMANDS);
}

/**
 * zkdrill's version from the package.json beside this code (not a copy that could drift), and Node's. An
 * unreadable one is said in the line rather than thrown: every other command still works without it.
 */
function versionLine(): string {
  const path = join(ROOT, "package.json");
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(path, "utf8")) as { version?: unknown }).version;
  } catch (err) {
    version = `(version unknown: cannot read ${path}: ${(err as Error).message}; is the checkout complete?)`;
  }
  if (typeof version !== "string") version = `(version unknown: ${path} has no "version"; is it zkdrill's package.json?)`;
  return `zkdrill ${version} (node ${process.version})`;
}

/**
 * Every command, nested ones too (report render|verify, images build|list), stops on a usage mistake instead
 * of exiting by itself, and shows its own help after the message. commander copies these settings only into
 * commands made with .command() from an already-configured parent, not into commands built on their own and
 * added with addCommand(), as each of ours is; so they are set here, on the finished tree, for every command
 * (one added later included). The rejection reaches the handler below, which picks the exit code.
 */
function stopOnUsageErrors(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError();
  for (const sub of cmd.commands) stopOnUsageErrors(sub);
}

const program = new Command()
  .name("zkdrill")
  .description("Chaos and disaster-recovery drills for Apache ZooKeeper, on real containers")
  .version(versionLine(), "-V, --version", "print zkdrill's and Node's versions");

async function main(): Promise<void> {
  // Added in the catalog's order, so the overall help lists them as it always has.
  for (const name of commandsFor(process.argv.slice(2))) for (const cmd of await COMMANDS[name]()) program.addCommand(cmd);
  program.addCommand(
    new Command("version").description("print zkdrill's and Node's versions (as --version; for bug reports)").action(() => console.log(program.version())),
  );
  stopOnUsageErrors(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander has already printed the message and the command's help; for a command left out
    // (`zkdrill`, `zkdrill images`, `zkdrill help nope`) only the help, so say what was wrong under it.
    if (err.code === "commander.help" && err.exitCode !== 0) console.error("error: give one of the commands listed above; add --help after a command for its arguments and options");
    // Nothing has started, so the process may end on its own: process.exit() here could cut off
    // output still buffered for a pipe (asynchronous on macOS).
    process.exitCode = exitCodeFor(err);
    return;
  }
  console.error(`zkdrill: ${hostTrouble(err) ?? (err instanceof Error ? err.message : String(err))}`);
  process.exit(exitCodeFor(err));
});
