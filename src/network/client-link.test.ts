// A client's own link on loopback sockets (no containers): bytes flow, a cut holds them both ways
// without losing or closing anything, and the heal delivers what was held.
import { expect } from "chai";
import net from "node:net";
import { ClientLink } from "./client-link";

/** An echo server on 127.0.0.1, and the connections it has seen. */
async function echoServer(): Promise<{ port: number; accepted: () => number; close: () => void }> {
  let accepted = 0;
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    accepted++;
    sockets.push(s);
    s.on("error", () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.address() as net.AddressInfo).port, accepted: () => accepted, close: () => (sockets.forEach((s) => s.destroy()), server.close()) };
}

async function connect(port: number): Promise<{ socket: net.Socket; received: () => string }> {
  let got = "";
  const socket = net.connect(port, "127.0.0.1");
  socket.on("data", (d) => (got += d.toString()));
  socket.on("error", () => undefined);
  await new Promise<void>((r) => socket.once("connect", () => r()));
  return { socket, received: () => got };
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await pause(10);
  }
}

describe("ClientLink: one client's own path to the members", function () {
  this.timeout(10_000);
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let link: ClientLink;
  beforeEach(async () => {
    echo = await echoServer();
    link = await ClientLink.open([{ host: "127.0.0.1", port: echo.port }]);
  });
  afterEach(() => {
    link.close();
    echo.close();
  });

  /** A connection through the link that has had "a" echoed once: the path works before the fault. */
  async function echoedOnce() {
    const c = await connect(link.endpoints[0].port);
    c.socket.write("a");
    await until("the first echo", () => c.received() === "a");
    return c;
  }

  it("forwards bytes both ways while healed", async () => {
    const c = await connect(link.endpoints[0].port);
    c.socket.write("ping");
    await until("the echo", () => c.received() === "ping");
    expect(link.connectString).to.equal(`127.0.0.1:${link.endpoints[0].port}`);
    c.socket.destroy();
  });

  it("holds bytes across a cut, closes nothing, and delivers them at the heal", async () => {
    const c = await echoedOnce();
    link.cut();
    c.socket.write("b");
    await pause(200);
    expect(c.received(), "nothing crosses the cut").to.equal("a");
    expect(c.socket.destroyed).to.equal(false);
    link.heal();
    await until("the held bytes", () => c.received() === "ab");
    c.socket.destroy();
  });

  it("does not reach the member with a connection made across the cut until the heal", async () => {
    link.cut();
    const c = await connect(link.endpoints[0].port);
    c.socket.write("x");
    await pause(200);
    expect(echo.accepted(), "the member saw no connection").to.equal(0);
    link.heal();
    await until("the echo after the heal", () => c.received() === "x");
    expect(echo.accepted()).to.equal(1);
    c.socket.destroy();
  });

  it("tells the member of a client's close across the cut only at the heal", async () => {
    const c = await echoedOnce();
    link.cut();
    c.socket.destroy();
    await pause(100);
    expect(link.connections, "held, not forgotten").to.equal(1);
    link.heal();
    await until("the pair closed", () => link.connections === 0);
  });
});
