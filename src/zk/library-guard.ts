// node-zookeeper-client parses replies inside its socket's 'data' handler and throws there on an error
// code it does not know ("Unknown code: -223739886", seen when ZooKeeper refused a create over
// jute.maxbuffer): thrown from an event handler, that is an uncaught exception that ends the harness.
// The library's own answer to a reply it cannot read is to drop the socket (its pending requests fail
// with CONNECTION_LOSS and it reconnects); this makes a throw take that same path.
import { createRequire } from "node:module";

interface ConnectionManagerProto {
  onSocketData(this: { socket?: { destroy(): void } }, buffer: Buffer): void;
  zkdrillGuarded?: boolean;
}

const lib = createRequire(require.resolve("node-zookeeper-client"))("./lib/ConnectionManager.js") as { prototype: ConnectionManagerProto };

function guardLibrary(): void {
  const proto = lib.prototype;
  if (proto.zkdrillGuarded) return;
  const original = proto.onSocketData;
  proto.onSocketData = function (buffer: Buffer) {
    try {
      original.call(this, buffer);
    } catch {
      this.socket?.destroy();
    }
  };
  proto.zkdrillGuarded = true;
}

// Imported for its effect by src/zk/client.ts, before any client connects.
guardLibrary();
