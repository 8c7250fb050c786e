import { expect } from "chai";
import { NOT_SERVING } from "../src/zk";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { operations, HistoryRecorder } from "../src/history";
import { ZkClient, ZkError } from "../src/zk/client";
import type { StartedEnsemble } from "../src/runtime";
import { docker } from "../src/docker";
import { oneZone, startEnsemble } from "./support";

describe("runtime: a real 3-member ensemble", function () {
  this.timeout(180_000);
  let e: StartedEnsemble;

  before(async () => {
    e = await startEnsemble(oneZone(3, "runtime-test"));
  });
  after(async () => {
    await e?.teardown();
  });

  it("reaches quorum with exactly one leader and publishes client ports on 127.0.0.1 only", async () => {
    const q = await e.waitForQuorum({ timeoutMs: 60_000 });
    expect(q.followers).to.have.length(2);
    expect([1, 2, 3]).to.include(q.leader);
    const leaders = [1, 2, 3].filter((id) => (q.statuses.get(id) as { mode?: string }).mode === "leader");
    expect(leaders).to.deep.equal([q.leader]);
    for (const c of await docker().listContainers({ filters: { label: [`zkdrill.run=${e.runId}`] } })) {
      for (const p of c.Ports.filter((x) => x.PublicPort)) expect(p.IP).to.equal("127.0.0.1");
    }
  });

  it("a lane asked twice at once has one call open at a time: its history is one process's, and judges", async () => {
    const history = new HistoryRecorder(join(mkdtempSync(join(tmpdir(), "zkdrill-lane-")), "history.jsonl"), "lane");
    const client = await ZkClient.connect(e.connectString(), { record: { history, role: "test", members: [1, 2, 3] } });
    try {
      await Promise.all([client.create("/lane-a", client.uniqueData({ a: 1 })), client.exists("/lane-a"), client.getChildren("/")]);
      // A path the library refuses before sending anything: recorded as failed, and the lane goes on.
      const refused = await client.exists("no-leading-slash").catch((err: ZkError) => err.code);
      expect(refused).to.equal("BAD_ARGUMENTS");
      await client.exists("/lane-a");
    } finally {
      client.close();
      history.close();
    }
    const ops = operations(history.events);
    expect(ops.map((o) => o.f)).to.deep.equal(["create", "exists", "children", "exists", "exists"]);
    expect(ops[3].outcome).to.equal("fail");
    for (let i = 1; i < ops.length; i++) expect(ops[i].calledAt).to.be.at.least(ops[i - 1].returnedAt!);
  });

  it("writes every member's zoo.cfg with real hostnames, the same server lines on all", async () => {
    for (const id of [1, 2, 3]) {
      const r = await e.exec(id, ["cat", "/conf/zoo.cfg"]);
      expect(r.stdout).to.include("server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888");
      expect(r.stdout).to.include("quorumListenOnAllIPs=true");
      expect((await e.exec(id, ["cat", "/data/myid"])).stdout.trim()).to.equal(String(id));
    }
  });

  it("elects a new leader among the survivors after the leader is killed, and keeps the znodes", async () => {
    const before = await e.waitForQuorum();
    const client = await ZkClient.connect(e.connectString());
    try {
      await client.create("/zk-permanent", Buffer.from("written before the kill"));
      await client.create("/test", Buffer.from("t"));
    } finally {
      client.close();
    }
    await e.kill(before.leader);
    const after = await e.waitForQuorum({ timeoutMs: 30_000 });
    expect(after.leader).to.not.equal(before.leader);
    expect(after.epoch).to.be.greaterThan(before.epoch);
    const survivors = [1, 2, 3].filter((id) => id !== before.leader);
    const reader = await ZkClient.connect(e.connectString(survivors));
    try {
      expect((await reader.getData("/zk-permanent")).data.toString()).to.equal("written before the kill");
      expect(await reader.getChildren("/")).to.include.members(["zk-permanent", "test", "zookeeper"]);
    } finally {
      reader.close();
    }
  });

  it("restarts the killed member with its data kept, and it rejoins", async () => {
    const down = [1, 2, 3];
    const running = await e.running();
    const killed = down.find((id) => !running.includes(id))!;
    await e.startMember(killed);
    const q = await e.waitForQuorum({ members: [1, 2, 3], timeoutMs: 60_000 });
    expect(q.followers.length + 1).to.equal(3);
    const s = await e.status(killed);
    expect(s.serving && s.nodeCount).to.be.greaterThan(4);
  });

  it("with 2 of 3 stopped, the survivor answers ruok with imok but srvr with 'not currently serving' (P1)", async () => {
    const q = await e.waitForQuorum();
    const [survivor, ...others] = [q.leader, ...q.followers];
    await Promise.all(others.map((id) => e.stop(id)));
    const answers = await e.waitForNotServing([survivor], 30_000);
    expect(answers.get(survivor)).to.include(NOT_SERVING);
    expect((await e.fourLetter(survivor, "ruok")).trim()).to.equal("imok");
  });
});

describe("runtime: the 3.8 line too", function () {
  this.timeout(300_000);

  it("ZooKeeper 3.8.6, built from Maven Central's jars, elects a leader and serves writes", async () => {
    const e = await startEnsemble(oneZone(3, "zk38"), "3.8.6");
    try {
      const q = await e.waitForQuorum({ timeoutMs: 60_000 });
      expect(q.followers).to.have.length(2);
      expect(await e.fourLetter(q.leader, "srvr")).to.match(/^Zookeeper version: 3\.8\.6/m);
      const c = await ZkClient.connect(e.connectString());
      try {
        await c.create("/on-3.8", Buffer.from("x"));
        expect((await c.getData("/on-3.8")).data.toString()).to.equal("x");
      } finally {
        c.close();
      }
    } finally {
      await e.teardown();
    }
  });
});
