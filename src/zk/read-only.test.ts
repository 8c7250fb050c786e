// The two frames the read-only patch touches, byte by byte (no server).
import { expect } from "chai";
import { connectResponseReadOnly, withReadOnlyFlag } from "./read-only";

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
