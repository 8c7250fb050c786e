import { CommanderError } from "commander";
import { hostTrouble } from "../docker/host-trouble";

export const EXIT = { passed: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

/**
 * What commander stops on, and why each exits as it does. Every one of these is raised while the command
 * line is parsed (or by Command.error() for a usage mistake only an action can see), before anything starts.
 */
const COMMANDER_EXIT: Readonly<Record<string, number>> = {
  // Asked for, and shown: --help, `zkdrill help <command>`, --version.
  "commander.helpDisplayed": EXIT.passed,
  "commander.version": EXIT.passed,
  // A usage mistake; commander has printed what is wrong and the command's help.
  "commander.missingArgument": EXIT.badInput,
  "commander.optionMissingArgument": EXIT.badInput,
  "commander.missingMandatoryOptionValue": EXIT.badInput,
  "commander.conflictingOption": EXIT.badInput,
  "commander.unknownOption": EXIT.badInput,
  "commander.excessArguments": EXIT.badInput,
  "commander.unknownCommand": EXIT.badInput,
  "commander.invalidArgument": EXIT.badInput,
  "commander.error": EXIT.badInput,
};

/**
 * The errors that are the user's to fix, by name: every command's module (and Docker's client) is loaded only
 * when that command runs (main.ts), so this file may not import them to compare classes.
 */
const BAD_INPUT = ["InputError", "ReportDirError", "CutError", "TopologyError", "ImageInputError", "EngineError"];

/** Bad input and a missing environment are the user's to fix (2); anything else is a failure (1). */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // "commander.help" is help shown because no command was given (`zkdrill`, `zkdrill images`): exit code 1
    // from commander, a usage error here, like any code a later commander adds. Help asked for is exit code 0.
    return COMMANDER_EXIT[err.code] ?? (err.exitCode === 0 ? EXIT.passed : EXIT.badInput);
  }
  if (err instanceof Error && err.name === "Interrupted") return EXIT.interrupted;
  if (hostTrouble(err)) return EXIT.badInput;
  if (err instanceof Error && BAD_INPUT.includes(err.name)) return EXIT.badInput;
  return EXIT.failed;
}

/** Exits once what was printed has been written (a pipe to CI may still hold it). */
export function exitNow(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
