// The data every zkdrill write carries: a JSON object whose first field is the write's unique value
// ("w"), so a read names exactly which write it sees, and a reused version cannot pass for the
// write it replaced. Data zkdrill did not write reads as "foreign:<sha256 prefix>".
import { createHash } from "node:crypto";

const HEAD = /^\{"w":"([^"\\]{1,80})"/;

/** `{"w":<value>, ...fields}` (the fields after the value: what a Kafka broker would store). */
export function encodeValue(value: string, fields: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ w: value, ...fields }));
}

/** The unique value a znode's data carries, or a digest of data zkdrill did not write. */
export function decodeValue(data: Buffer): string {
  const m = HEAD.exec(data.subarray(0, 100).toString("latin1"));
  if (m) return m[1];
  return `foreign:${createHash("sha256").update(data).digest("hex").slice(0, 16)}`;
}

/**
 * The set: unique znodes that are created and never deleted while a drill runs (Kafka's config-change
 * notifications), each name carrying its value, so "every acknowledged create is present" can be
 * judged from a children list. Buckets keep each list far below jute.maxbuffer.
 */
export const SET_ROOT = "/config/changes";
export const SET_PREFIX = "config_change_";

/** Unique znode names for the set workload carry their value: `<prefix><value>_` (+ ZooKeeper's sequence). */
export function valueInName(name: string, prefix: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const cut = rest.lastIndexOf("_");
  return cut > 0 ? rest.slice(0, cut) : undefined;
}
