// What a znode is compared by: its data's digest, version, cversion and owner, as read from a Stat.
import { expect } from "chai";
import type { Stat } from "node-zookeeper-client";
import { ZkError } from "../zk/errors";
import { entryOf, readTree, TREE_CAP, type TreeSource } from "./tree";

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

/** A member's tree in memory, answering after a delay as a server would; counts the reads in flight at once. */
class FakeTree implements TreeSource {
  inFlight = 0;
  most = 0;
  constructor(
    readonly children: Map<string, string[]>,
    private readonly latencyMs = 0,
    private readonly gone = new Set<string>(),
  ) {}
  lane(): TreeSource {
    return this;
  }
  private async answer<T>(value: () => T): Promise<T> {
    this.most = Math.max(this.most, ++this.inFlight);
    await new Promise((r) => (this.latencyMs > 0 ? setTimeout(r, this.latencyMs) : setImmediate(r)));
    this.inFlight--;
    return value();
  }
  getData(path: string) {
    return this.answer(() => {
      if (this.gone.has(path)) throw new ZkError("getData", path, "NO_NODE", "gone");
      return { data: Buffer.from(path), stat: { ...stat(0n, 1, 1), numChildren: this.children.get(path)?.length ?? 0 } as unknown as Stat };
    });
  }
  getChildren(path: string) {
    return this.answer(() => this.children.get(path) ?? []);
  }
}

/** A soak's shape: /config/changes with `buckets` buckets of `perBucket` notifications, and /zookeeper (never read). */
function soakTree(buckets: number, perBucket: number): Map<string, string[]> {
  const t = new Map<string, string[]>([["/", ["config", "zookeeper"]], ["/config", ["changes"]], ["/zookeeper", ["quota"]]]);
  const names = Array.from({ length: buckets }, (_, b) => `b${String(b).padStart(4, "0")}`);
  t.set("/config/changes", names);
  for (const b of names) t.set(`/config/changes/${b}`, Array.from({ length: perBucket }, (_, i) => `config_change_${String(i).padStart(10, "0")}`));
  return t;
}

describe("reading a member's tree", () => {
  it("reads a soak-sized tree (250k znodes) whole, the reads pipelined on its lanes, within its bound", async function () {
    this.timeout(60_000);
    const fake = new FakeTree(soakTree(250, 1000));
    const started = Date.now();
    const r = await readTree(fake, 1, { lanes: 32 });
    expect(r.capped).to.equal(false);
    expect(Object.keys(r.znodes).length).to.equal(1 + 1 + 1 + 250 + 250_000);
    expect(r.znodes["/zookeeper"]).to.equal(undefined);
    expect(fake.most).to.be.within(2, 32);
    expect(Date.now() - started).to.be.below(30_000);
    expect(TREE_CAP).to.be.at.least(250_000 * 2);
  });

  it("stops at the cap and says so: what was read is not the whole tree", async () => {
    const r = await readTree(new FakeTree(soakTree(10, 100)), 1, { cap: 500 });
    expect(r.capped).to.equal(true);
    expect(Object.keys(r.znodes).length).to.equal(500);
  });

  it("a tree of exactly the cap is whole, not capped", async () => {
    const r = await readTree(new FakeTree(soakTree(1, 7)), 1, { cap: 11 });
    expect(r.capped).to.equal(false);
    expect(Object.keys(r.znodes).length).to.equal(11);
  });

  it("a znode gone between its listing and its read is skipped; a read past the deadline fails naming the member and bound", async () => {
    const r = await readTree(new FakeTree(soakTree(2, 5), 0, new Set(["/config/changes/b0001/config_change_0000000003"])), 1);
    expect(Object.keys(r.znodes).length).to.equal(3 + 2 + 10 - 1);
    let err: unknown;
    await readTree(new FakeTree(soakTree(50, 50), 5), 3, { deadlineMs: 20, lanes: 2 }).catch((e) => (err = e));
    expect(String(err)).to.match(/reading member 3's tree: past the 0 s bound after \d+ znodes/);
  });
});
