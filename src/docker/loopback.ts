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

/** testcontainers publishes on 0.0.0.0; the brief's network rule wants loopback only. */
export class LoopbackContainer extends GenericContainer {
  withLoopbackPort(containerPort: number, hostPort: number): this {
    this.withExposedPorts({ container: containerPort, host: hostPort });
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${containerPort}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(hostPort) }] };
    return this;
  }
}
