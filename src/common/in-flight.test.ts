import { expect } from "chai";
import { sharedWhileInFlight } from "./in-flight";

/** A fake builder: counts its starts and settles when the test says so. */
function fakeBuilder() {
  const calls: string[] = [];
  const settle: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  const build = (who: string) => {
    calls.push(who);
    return new Promise<string>((resolve, reject) => settle.push({ resolve, reject }));
  };
  return { calls, settle, build };
}

describe("sharedWhileInFlight (the base image made once per process)", () => {
  it("concurrent callers await the one build in flight instead of starting their own", async () => {
    const f = fakeBuilder();
    const ensure = sharedWhileInFlight(f.build);
    const zookeeper = ensure("zookeeper");
    const kafka = ensure("kafka");
    expect(f.calls).to.deep.equal(["zookeeper"]);
    f.settle[0].resolve("base@1");
    expect(await Promise.all([zookeeper, kafka])).to.deep.equal(["base@1", "base@1"]);
  });

  it("a failure reaches every waiting caller, and the next call builds again", async () => {
    const f = fakeBuilder();
    const ensure = sharedWhileInFlight(f.build);
    const first = ensure("a");
    const second = ensure("b");
    f.settle[0].reject(new Error("debootstrap failed"));
    for (const p of [first, second]) {
      const err = await p.then(() => undefined, (e: Error) => e);
      expect(err?.message).to.equal("debootstrap failed");
    }
    const retry = ensure("c");
    expect(f.calls).to.deep.equal(["a", "c"]);
    f.settle[1].resolve("base@2");
    expect(await retry).to.equal("base@2");
  });

  it("once settled, a later call looks again rather than remembering (the image may have been removed)", async () => {
    const f = fakeBuilder();
    const ensure = sharedWhileInFlight(f.build);
    const first = ensure("a");
    f.settle[0].resolve("base@1");
    await first;
    const later = ensure("b");
    expect(f.calls).to.deep.equal(["a", "b"]);
    f.settle[1].resolve("base@1");
    expect(await later).to.equal("base@1");
  });
});
