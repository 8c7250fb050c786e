// Publishing container ports on 127.0.0.1 only, at host ports fixed before start (a restarted
// container keeps its address; Docker would otherwise pick a new one).
import { createServer } from "node:net";
import { GenericContainer } from "testcontainers";

/** Ports handed out by this process: the kernel may offer a released port again before Docker binds it. */
const handedOut = new Set<number>();

/** A free TCP port on loopback (asked of the kernel, then released for Docker to bind), never the same twice per process. */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await kernelFreePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("no loopback port the kernel offered was new to this run in 50 tries");
}

function kernelFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A query to the network's DNS that goes unanswered costs the resolver's 5 s default, and ZooKeeper
 * (3.5+) resolves every peer's name, a killed one's too, while it holds its peer lock in an election:
 * seen as 5 s stalls of every election after a kill. At most 1 s.
 */
export const RESOLVER_OPTIONS = ["timeout:1", "attempts:2"];

/** A container as a run wants it: ports published on 127.0.0.1 alone, and on its own network alone. */
export class LoopbackContainer extends GenericContainer {
  /**
   * On `network` alone, reached there as `aliases`. testcontainers' withNetworkAliases creates the
   * container on Docker's default bridge and connects it to the network afterwards: every container
   * shares that bridge, and ZooKeeper (3.5+) calls a peer back at the election address the peer
   * advertises, its own /etc/hosts line, the bridge's. Election traffic then went around the zone
   * gateways' latency and through the member-link cuts. Its resolver gives up after 1 s (RESOLVER_OPTIONS).
   */
  onNetworkAlone(network: string, ...aliases: string[]): this {
    this.withNetworkMode(network);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: aliases } } };
    this.hostConfig.DnsOptions = RESOLVER_OPTIONS;
    return this;
  }

  /** testcontainers publishes on 0.0.0.0; the brief's network rule wants loopback only. */
  withLoopbackPort(containerPort: number, hostPort: number): this {
    this.withExposedPorts({ container: containerPort, host: hostPort });
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${containerPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(hostPort) }] };
    return this;
  }
}
