// The client's errors: node-zookeeper-client's own are not Error instances, and their code is what a
// workload counts and a history records.
import { errorText } from "../common";

/** node-zookeeper-client's errors are not Error instances; this one is, and keeps the code. */
export class ZkError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${op} ${path}: ${detail}`);
    this.name = "ZkError";
  }
}

/** The error kinds a workload counts separately. */
export function errorKind(err: unknown): string {
  if (err instanceof ZkError) return err.code;
  return "OTHER";
}

export function wrap(op: string, path: string, err: unknown): ZkError {
  const e = err as { name?: string; code?: number };
  return new ZkError(op, path, e?.name ?? "OTHER", errorText(err));
}

