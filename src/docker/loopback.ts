// Publishing container ports on 127.0.0.1 only, at host ports fixed before start (a restarted
// container keeps its address; Docker would otherwise pick a new one).
import { createServer } from "node:net";
import { GenericContainer } from "testcontainers";

/** A free TCP port on loopback (asked of the kernel, then released for Docker to bind). */
export async function freeLoopbackPort(): Promise<number> {
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
