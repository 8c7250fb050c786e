// The error a malformed drill file raises, and the "did you mean" that makes its messages useful.
import { closest } from "../../common";

/**
 * Every problem found in a drill file, at once. Named "InputError" because that is the name the
 * CLI maps to exit code 2 (src/cli/errors.ts): a bad drill file is the user's to fix.
 */
export class DrillFileError extends Error {
  override name = "InputError";

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid drill ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}


/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess ? ` (did you mean "${guess}"?)` : "";
}

/** A value as the user wrote it, short enough for one line. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether `source` compiles as a regular expression. */
export function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
