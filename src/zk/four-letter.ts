// Four-letter words over the client port: the operators' health checks (docs/procedures.md, "Health checks").
import { connect } from "node:net";

export type FourLetterWord = "ruok" | "srvr" | "stat" | "mntr" | "conf" | "cons" | "dump" | "envi" | "wchs" | "isro";

export const NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Sends one word and returns the whole answer (the server closes the connection when done). */
export function fourLetter(ep: Endpoint, word: FourLetterWord, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ep.host, port: ep.port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`${word} to ${ep.host}:${ep.port}: no answer within ${timeoutMs} ms`)));
    // Not end(): a proxy on the way (a gateway) may close the upstream on our half-close before the answer is back.
    socket.on("connect", () => socket.write(word));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** "read-only": a member cut from its quorum serving read-only clients (readonlymode.enabled). */
export type Mode = "leader" | "follower" | "observer" | "standalone" | "read-only";

export type ServerStatus =
  | { readonly serving: true; readonly mode: Mode; readonly zxid: bigint; readonly epoch: number; readonly nodeCount: number; readonly raw: string }
  | { readonly serving: false; readonly raw: string };

/** Parses `srvr`: mode, zxid (epoch = high 32 bits), node count. */
export function parseSrvr(raw: string): ServerStatus {
  if (raw.includes(NOT_SERVING)) return { serving: false, raw };
  const mode = /^Mode: ([\w-]+)/m.exec(raw)?.[1];
  const zxid = /^Zxid: (0x[0-9a-f]+)/im.exec(raw)?.[1];
  const nodes = /^Node count: (\d+)/m.exec(raw)?.[1];
  if (!mode || !zxid) throw new Error(`unexpected srvr answer: ${JSON.stringify(raw.slice(0, 200))}`);
  const z = BigInt(zxid);
  return { serving: true, mode: mode as Mode, zxid: z, epoch: Number(z >> 32n), nodeCount: Number(nodes ?? 0), raw };
}

export async function srvr(ep: Endpoint, timeoutMs?: number): Promise<ServerStatus> {
  return parseSrvr(await fourLetter(ep, "srvr", timeoutMs));
}

/** Parses `mntr` into key -> value. */
export function parseMntr(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split("\n")) {
    const [k, v] = line.split("\t");
    if (k && v !== undefined) out[k.trim()] = v.trim();
  }
  return out;
}
