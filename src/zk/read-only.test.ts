// The two frames the read-only patch touches, byte by byte (no server).
import { expect } from "chai";
import net from "node:net";
import { errorKind, ZkClient } from "./client";
import { connectResponseReadOnly, NOT_READONLY, withReadOnlyFlag } from "./read-only";

/** A ConnectResponse frame: protocolVersion, timeOut, sessionId, passwd, then the optional readOnly. */
function connectResponse(readOnly?: boolean): Buffer {
  const body = Buffer.alloc(4 + 4 + 8 + 4 + 16 + (readOnly === undefined ? 0 : 1));
  body.writeInt32BE(4000, 4);
  body.writeInt32BE(16, 16);
  if (readOnly !== undefined) body[36] = readOnly ? 1 : 0;
  const frame = Buffer.alloc(4 + body.length);
  frame.writeInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

describe("read-only sessions over node-zookeeper-client", () => {
  it("reads the server's readOnly answer; an old server's frame without it is read-write; half a frame is not read yet", () => {
    expect(connectResponseReadOnly(connectResponse(true))).to.equal(true);
    expect(connectResponseReadOnly(connectResponse(false))).to.equal(false);
    expect(connectResponseReadOnly(connectResponse())).to.equal(false);
    expect(connectResponseReadOnly(connectResponse(true).subarray(0, 10))).to.equal(undefined);
  });

  it("appends readOnly = true to the connect request and grows its length prefix by one", () => {
    const frame = Buffer.from([0, 0, 0, 2, 7, 8]);
    expect([...withReadOnlyFlag(frame)]).to.deep.equal([0, 0, 0, 3, 7, 8, 1]);
  });
});

/**
 * A fake server on loopback speaking just enough of ZooKeeper's protocol: it answers the connect
 * (read-only when asked), refuses every create with NOT_READONLY and answers pings; it keeps every
 * frame it got and counts connections.
 */
async function fakeServer(): Promise<{ port: number; frames: Buffer[]; connections: () => number; close: () => void }> {
  const frames: Buffer[] = [];
  let connections = 0;
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    connections++;
    sockets.push(s);
    s.on("error", () => undefined);
    let pending = Buffer.alloc(0);
    let connected = false;
    s.on("data", (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const body = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + body.length);
        frames.push(Buffer.from(body));
        if (!connected) {
          connected = true;
          const askedReadOnly = body.length > 44 && body[44] === 1;
          const reply = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16 + 1);
          reply.writeInt32BE(reply.length - 4, 0);
          reply.writeInt32BE(4000, 8);
          reply.writeBigInt64BE(0x1234n, 12);
          reply.writeInt32BE(16, 20);
          reply[40] = askedReadOnly ? 1 : 0;
          s.write(reply);
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        const reply = Buffer.alloc(4 + 16);
        reply.writeInt32BE(16, 0);
        reply.writeInt32BE(xid, 4);
        reply.writeBigInt64BE(0x100000005n, 8);
        reply.writeInt32BE(type === 1 ? NOT_READONLY : 0, 16);
        s.write(reply);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.address() as net.AddressInfo).port, frames, connections: () => connections, close: () => (sockets.forEach((s) => s.destroy()), server.close()) };
}

describe("read-only sessions and a client's crash against a fake server (loopback, no ZooKeeper)", function () {
  this.timeout(10_000);

  it("asks for read-only service only when told to, knows the server's answer, and names the refused write NOT_READONLY", async () => {
    const server = await fakeServer();
    try {
      const plain = await ZkClient.connect(`127.0.0.1:${server.port}`, { sessionTimeoutMs: 4000 });
      expect([server.frames[0].length, plain.readOnly]).to.deep.equal([44, false]);
      plain.close();
      const ro = await ZkClient.connect(`127.0.0.1:${server.port}`, { sessionTimeoutMs: 4000, canBeReadOnly: true });
      expect(server.frames.at(-1)!.length, "the connect request carries readOnly").to.equal(45);
      expect(ro.readOnly).to.equal(true);
      expect(ro.negotiatedTimeoutMs).to.equal(4000);
      const refused = await ro.create("/x", Buffer.from("v")).then(() => "ok", (err) => errorKind(err));
      expect(refused).to.equal("NOT_READONLY");
      expect(ro.lastReplyZxid).to.equal("0x100000005");
      ro.close();
    } finally {
      server.close();
    }
  });

  it("a crash sends nothing (no closeSession) and never reconnects", async () => {
    const server = await fakeServer();
    try {
      const c = await ZkClient.connect(`127.0.0.1:${server.port}`, { sessionTimeoutMs: 4000 });
      const before = server.frames.length;
      c.crash();
      await new Promise((r) => setTimeout(r, 500));
      expect(server.frames.length, "no frame after the crash").to.equal(before);
      expect(server.connections(), "no reconnect").to.equal(1);
      const closing = await ZkClient.connect(`127.0.0.1:${server.port}`, { sessionTimeoutMs: 4000 });
      closing.close();
      await new Promise((r) => setTimeout(r, 300));
      // A close, unlike a crash, sends closeSession (op code -11).
      expect(server.frames.at(-1)!.readInt32BE(4)).to.equal(-11);
    } finally {
      server.close();
    }
  });
});
