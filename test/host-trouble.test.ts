// Trouble on the host gives a clear message and exit 2, not a stack: a port the run needs is taken,
// and the disk fills during an image build. (The engine stopping mid-run: zy-engine-stops.test.ts.)
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker } from "../src/docker";
import { zookeeperImage } from "./support";

const BIN = join(__dirname, "..", "bin", "zkdrill");
const NO_STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
}

describe("host trouble: a clear message and exit 2, not a stack", function () {
  this.timeout(300_000);
  before(async () => {
    await zookeeperImage();
  });

  it("a port the run needs is taken: says which and what to do, and leaves nothing behind", async () => {
    const base = 40_000 + Math.floor(Math.random() * 10_000);
    const squatter = await listen(base + 1);
    try {
      const before = (await docker().listContainers({ all: true, filters: { label: ["zkdrill.run"] } })).length;
      const r = spawnSync(BIN, ["up", "p8-one-dc", "--client-ports", String(base)], { encoding: "utf8", timeout: 200_000 });
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`a port the run needs is taken \\(.*127\\.0\\.0\\.1:${base + 1}.*free it`));
      expect(r.stderr).to.not.match(NO_STACK);
      expect((await docker().listContainers({ all: true, filters: { label: ["zkdrill.run"] } })).length, "nothing left").to.equal(before);
    } finally {
      squatter.close();
    }
  });

  it("the disk fills during an image build: says where and what to do", function () {
    if (process.getuid?.() !== 0) throw new Error("this test mounts a small tmpfs: run the suite as root (scripts/setup.sh does everything as root)");
    const mnt = mkdtempSync(join(tmpdir(), "zkdrill-full-"));
    mkdirSync(mnt, { recursive: true });
    const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], { encoding: "utf8" });
    expect(mount.status, mount.stderr).to.equal(0);
    try {
      const r = spawnSync(BIN, ["images", "build", "--force", "--no-pull"], { encoding: "utf8", timeout: 240_000, env: { ...process.env, ZKDRILL_CACHE: mnt } });
      expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(2);
      expect(r.stderr).to.match(/no space left on device .*free space there, or point ZKDRILL_CACHE/i);
      expect(r.stderr).to.not.match(NO_STACK);
    } finally {
      spawnSync("umount", [mnt]);
    }
  });
});
