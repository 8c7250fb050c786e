// The digest superuser dynamic reconfig needs (ZooKeeper 3.5.3+: reconfig is an admin operation).
// A drill-only credential inside throwaway containers, never a real one.
import { createHash } from "node:crypto";

export const SUPERUSER = { user: "super", password: "zkdrill-drill-only" } as const;

/** `user:base64(sha1(user:password))`, the form DigestAuthenticationProvider.superDigest takes. */
export function superDigest(user: string, password: string): string {
  return `${user}:${createHash("sha1").update(`${user}:${password}`).digest("base64")}`;
}

/** JVM flag for every member of a drill that reconfigures online. */
export const SUPERUSER_JVM_FLAG = `-Dzookeeper.DigestAuthenticationProvider.superDigest=${superDigest(SUPERUSER.user, SUPERUSER.password)}`;
