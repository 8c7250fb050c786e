import { expect } from "chai";
import { isStaleSocket, onFreshSocket } from "./host-trouble";

const epipe = () => Object.assign(new Error("write EPIPE"), { code: "EPIPE" });

describe("onFreshSocket: removal after a long analysis", () => {
  it("tries again while the engine's kept-alive sockets are stale, then succeeds", async () => {
    let calls = 0;
    const r = await onFreshSocket(async () => {
      if (++calls < 3) throw epipe();
      return "removed";
    });
    expect(r).to.equal("removed");
    expect(calls).to.equal(3);
  });

  it("gives up after its bound, with the engine's own error", async () => {
    let calls = 0;
    const err = await onFreshSocket(async () => {
      calls++;
      throw epipe();
    }, 3).catch((e: Error) => e);
    expect((err as Error).message).to.equal("write EPIPE");
    expect(calls).to.equal(3);
  });

  it("does not retry any other error", async () => {
    let calls = 0;
    const err = await onFreshSocket(async () => {
      calls++;
      throw new Error("(HTTP code 500) server error");
    }).catch((e: Error) => e);
    expect((err as Error).message).to.match(/server error/);
    expect(calls).to.equal(1);
  });

  it("knows a stale socket by code or by message", () => {
    expect(isStaleSocket(epipe())).to.equal(true);
    expect(isStaleSocket(new Error("socket hang up"))).to.equal(true);
    expect(isStaleSocket(Object.assign(new Error("x"), { code: "ECONNRESET" }))).to.equal(true);
    expect(isStaleSocket(new Error("connect ENOENT /var/run/docker.sock"))).to.equal(false);
  });
});
