// What a znode is compared by: its data's digest, version, cversion and owner, as read from a Stat.
import { expect } from "chai";
import type { Stat } from "node-zookeeper-client";
import { entryOf } from "./tree";

const stat = (owner: bigint, version = 2, cversion = 5): Stat => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(owner);
  return { version, cversion, ephemeralOwner: b } as unknown as Stat;
};

describe("a znode's entry for reconciliation", () => {
  it("a persistent znode: owner 0; the digest is SHA-256's first 16 hex digits", () => {
    // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb924...
    expect(entryOf(Buffer.alloc(0), stat(0n))).to.deep.equal(["e3b0c44298fc1c14", 2, 5, "0"]);
  });

  it("an ephemeral: its session id in hex, the high bit kept", () => {
    expect(entryOf(Buffer.from("x"), stat(0x8100000000000001n))[3]).to.equal("8100000000000001");
  });
});
