// The Docker engines a run uses. The local one (DOCKER_HOST, or the default socket) always; when zones
// live on other hosts, one client per endpoint, written as Docker's clients accept them: a unix
// socket, tcp://host:port (TLS from DOCKER_CERT_PATH when set), ssh://user@host, or a Docker context's
// name. Each container is reached through the engine that created it (`containerAt`).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { docker, EngineError } from "./engine";

/** The engine the harness runs beside: its containers publish on this machine's loopback. */
export const LOCAL_ENGINE = "local";

const clients = new Map<string, Docker>();
/** Container id or name -> the endpoint of the engine that holds it (absent: the local engine). */
const holders = new Map<string, string>();

export function isLocal(endpoint: string | undefined): boolean {
  return endpoint === undefined || endpoint === LOCAL_ENGINE;
}

/** The client for an endpoint (the local engine's for "local" or none). */
export function engineAt(endpoint?: string): Docker {
  if (isLocal(endpoint)) return docker();
  let c = clients.get(endpoint!);
  if (!c) {
    c = new Docker(dockerodeOptions(endpoint!));
    clients.set(endpoint!, c);
  }
  return c;
}

/** Every engine this process has talked to, the local one first. */
export function enginesInUse(): string[] {
  return [LOCAL_ENGINE, ...clients.keys()];
}

/** Forgets engines that are gone (a test's engines, torn down): no later reap of this process asks them. */
export function forgetEngines(endpoints: readonly string[]): void {
  for (const e of endpoints) clients.delete(e);
  for (const [id, e] of holders) if (endpoints.includes(e)) holders.delete(id);
}

/** Remembers which engine holds a container, so every later verb on it goes there. */
export function holdContainer(idOrName: string, endpoint: string): void {
  if (!isLocal(endpoint)) holders.set(idOrName, endpoint);
}

/** The engine endpoint that holds a container (created by this process), "local" by default. */
export function holderOf(idOrName: string): string {
  return holders.get(idOrName) ?? LOCAL_ENGINE;
}

/** A container on whichever engine holds it. */
export function containerAt(idOrName: string): Docker.Container {
  return engineAt(holders.get(idOrName)).getContainer(idOrName);
}

/** dockerode's options for an endpoint; a mistake names the endpoint and what is accepted. */
export function dockerodeOptions(endpoint: string): Docker.DockerOptions {
  if (endpoint.startsWith("unix://")) return { socketPath: endpoint.slice("unix://".length) };
  if (endpoint.startsWith("/")) return { socketPath: endpoint };
  if (endpoint.startsWith("tcp://") || endpoint.startsWith("ssh://")) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new EngineError(`host ${endpoint}: not a URL; write tcp://HOST:PORT or ssh://USER@HOST`);
    }
    if (u.protocol === "ssh:") return { protocol: "ssh", host: u.hostname, port: Number(u.port || 22), username: u.username || undefined, sshOptions: { agent: process.env.SSH_AUTH_SOCK } } as Docker.DockerOptions;
    const certs = process.env.DOCKER_CERT_PATH;
    const tls = certs ? { protocol: "https" as const, ca: readFileSync(join(certs, "ca.pem")), cert: readFileSync(join(certs, "cert.pem")), key: readFileSync(join(certs, "key.pem")) } : { protocol: "http" as const };
    return { host: u.hostname, port: Number(u.port || (certs ? 2376 : 2375)), ...tls };
  }
  if (/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(endpoint)) return dockerodeOptions(contextEndpoint(endpoint));
  throw new EngineError(`host ${endpoint}: not an engine endpoint; give unix:///path/docker.sock, tcp://HOST:PORT, ssh://USER@HOST or a Docker context name`);
}

/** A Docker context's engine endpoint, from the docker CLI's own store (~/.docker/contexts). */
function contextEndpoint(name: string): string {
  const dir = join(process.env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "contexts", "meta", createHash("sha256").update(name).digest("hex"));
  const meta = join(dir, "meta.json");
  if (!existsSync(meta)) throw new EngineError(`host ${name}: no Docker context of that name (docker context ls lists them); give unix://, tcp:// or ssh:// instead`);
  const host = (JSON.parse(readFileSync(meta, "utf8")) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host;
  if (!host) throw new EngineError(`host ${name}: the context names no Docker endpoint`);
  return host;
}

/** What `doctor` and the run's preflight say of an engine. */
export interface EngineFacts {
  readonly endpoint: string;
  readonly version: string;
  readonly swarm: "inactive" | "pending" | "active" | "error" | "locked";
  readonly nodeId: string;
  readonly nodeAddr: string;
  readonly managers: number;
  readonly memoryBytes: number;
  readonly cpus: number;
}

/** One engine's facts, or an error naming the host and what to do (bounded: an unreachable host does not hang). */
export async function engineFacts(endpoint: string, timeoutMs = 10_000): Promise<EngineFacts> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)));
  try {
    const c = engineAt(endpoint);
    const [v, info] = await Promise.race([Promise.all([c.version(), c.info()]), silent]);
    const swarm = (info.Swarm ?? {}) as { LocalNodeState?: EngineFacts["swarm"]; NodeID?: string; NodeAddr?: string; Managers?: number };
    return { endpoint, version: v.Version, swarm: swarm.LocalNodeState ?? "inactive", nodeId: swarm.NodeID ?? "", nodeAddr: swarm.NodeAddr ?? "", managers: swarm.Managers ?? 0, memoryBytes: info.MemTotal, cpus: info.NCPU };
  } catch (err) {
    throw new EngineError(`host ${endpoint}: its Docker engine does not answer (${(err as Error).message}); check the endpoint, that dockerd runs there and that this machine may reach it`);
  } finally {
    clearTimeout(timer);
  }
}
