// Read-only sessions, which node-zookeeper-client 1.x (pinned) lacks ("XXX No read only support yet"):
// ZooKeeper's ConnectRequest ends with an optional `readOnly` boolean (canBeReadOnly) and its
// ConnectResponse with one saying the server is read-only; a server in read-only mode closes the
// connection of a client that did not ask. This adds the byte for the sessions that ask, reads the
// server's answer, and names the reply code a read-only server refuses writes with (NOT_READONLY,
// -119), which the library does not know (it would drop the connection instead).
import { createRequire } from "node:module";

/** The connection manager's fields this file reads and sets (internal to the library, pinned). */
export interface ReadOnlyFields {
  /** Set by Session: this session may be served by a read-only server. */
  zkdrillCanBeReadOnly?: boolean;
  /** The server's answer at the last connect: it serves this session read-only. */
  zkdrillReadOnly?: boolean;
}

interface ConnectionManagerProto {
  onSocketConnected(this: Manager): void;
  onSocketData(this: Manager, buffer: Buffer): void;
  zkdrillReadOnlyPatched?: boolean;
}

interface Manager extends ReadOnlyFields {
  state: number;
  pendingBuffer?: Buffer | null;
  socket?: { write(b: Buffer, ...rest: unknown[]): boolean };
}

/** ZooKeeper's KeeperException.Code.NOTREADONLY. */
export const NOT_READONLY = -119;
const CONNECTING = 1;

const libRequire = createRequire(require.resolve("node-zookeeper-client"));
const lib = libRequire("./lib/ConnectionManager.js") as { prototype: ConnectionManagerProto };
const exception = libRequire("./lib/Exception.js") as { create(code: number, path?: string): unknown };

/**
 * Whether a complete ConnectResponse frame says read-only: int protocolVersion, int timeOut, long
 * sessionId, buffer passwd (int length + bytes), then the optional boolean readOnly.
 */
export function connectResponseReadOnly(frame: Buffer): boolean | undefined {
  if (frame.length < 4) return undefined;
  const size = frame.readInt32BE(0);
  if (frame.length < size + 4 || size < 20) return undefined;
  const passwdLength = Math.max(0, frame.readInt32BE(4 + 16));
  const at = 4 + 20 + passwdLength;
  return size + 4 > at ? frame[at] !== 0 : false;
}

/** The ConnectRequest frame with `readOnly = true` appended and its length prefix grown by one. */
export function withReadOnlyFlag(frame: Buffer): Buffer {
  const out = Buffer.concat([frame, Buffer.from([1])]);
  out.writeInt32BE(frame.readInt32BE(0) + 1, 0);
  return out;
}

function patchLibrary(): void {
  const proto = lib.prototype;
  if (proto.zkdrillReadOnlyPatched) return;
  const connected = proto.onSocketConnected;
  proto.onSocketConnected = function () {
    const socket = this.socket;
    if (this.zkdrillCanBeReadOnly && socket) {
      // The connect request is the first frame the library writes on a new socket.
      const write = socket.write;
      socket.write = function (b: Buffer, ...rest: unknown[]) {
        socket.write = write;
        return write.call(socket, withReadOnlyFlag(b), ...rest);
      };
    }
    connected.call(this);
  };
  const data = proto.onSocketData;
  proto.onSocketData = function (buffer: Buffer) {
    if (this.state === CONNECTING) {
      const answer = connectResponseReadOnly(this.pendingBuffer ? Buffer.concat([this.pendingBuffer, buffer]) : buffer);
      if (answer !== undefined) this.zkdrillReadOnly = answer;
    }
    data.call(this, buffer);
  };
  const create = exception.create;
  exception.create = function (code: number, path?: string) {
    if (code !== NOT_READONLY) return create(code, path);
    const e = new Error(`Exception: NOT_READONLY[${code}]${path ? `@${path}` : ""}`) as Error & { code: number; getCode(): number; getName(): string };
    Object.assign(e, { code, name: "NOT_READONLY", getCode: () => code, getName: () => "NOT_READONLY" });
    return e;
  };
  proto.zkdrillReadOnlyPatched = true;
}

// Imported for its effect by src/zk/session.ts, before any client connects.
patchLibrary();
