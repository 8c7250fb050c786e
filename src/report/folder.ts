// A run folder: where its journal is, and the error for a folder that is not one.
import { existsSync } from "node:fs";
import { join } from "node:path";

export class ReportDirError extends Error {
  override name = "ReportDirError";
}

export function journalOf(dir: string): string {
  const path = join(dir, "journal.jsonl");
  if (!existsSync(path)) throw new ReportDirError(`${dir} has no journal.jsonl; give the folder a drill run wrote (reports/<drill>-<UTC>/)`);
  return path;
}
