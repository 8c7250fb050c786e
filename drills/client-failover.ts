// What a client sees when its server dies, and when it asks too much (seed 003's automatic failover,
// with its 4000 ms session timeout). ZooKeeper's promises: a session lives while some server hears
// from it within its timeout, so a client with every server in its connect string moves and keeps it;
// a client with one server loses it, but not before the timeout; a server refuses connections past
// maxClientCnxns from one address; a request over jute.maxbuffer is refused whole.
import { drill, oneZoneTopology } from "../src/drill";

const SESSION_MS = 4_000;
/** maxClientCnxns on member 3 only: the harness's own connections to the others stay unlimited. */
const MAX_CNXNS = 10;

const topology = oneZoneTopology("three-members-capped", 3);

export default drill({
  name: "client-failover",
  description:
    `Three voters; clients with ${SESSION_MS} ms sessions. A client with all three servers in its connect string loses its server (kill -9): ` +
    "it reconnects elsewhere and keeps its session and ephemeral. A client with one server loses it: its session expires, not before the " +
    `timeout. Member 3 allows ${MAX_CNXNS} connections per address: more from one host are refused, its log says so. A 2 MiB create ` +
    "(over jute.maxbuffer) is refused and leaves nothing.",
  procedure: "seed 003 (client failover, 4000 ms sessions: docs/procedures.md P7); ZooKeeper administrator's guide (maxClientCnxns, jute.maxbuffer)",
  origin: "field procedure",
  headline: { outcome: "a client on every server keeps its session across its server's kill; a client on one server loses it, not before its timeout", checks: ["session-kept", "session-expired"] },
  topology: { ...topology, members: topology.members.map((m) => (m.id === 3 ? { ...m, extra: { maxClientCnxns: MAX_CNXNS } } : m)) },
  needs: { voters: 3 },
  steadyState: { leader: true, writes: 20 },
  async run(d) {
    const all = [1, 2, 3];
    await d.waitForQuorum(all, { name: "wait for a quorum of 1, 2, 3" });
    await d.write(["/zk-permanent"]);
    await d.startWorkload();

    // Every server in its connect string: the client moves on.
    const everywhere = await d.openClient("on-every-server", all, SESSION_MS);
    const itsServer = everywhere.server;
    if (itsServer === undefined) throw new Error("the client on every server does not say which server it is on");
    everywhere.arm();
    await d.kill(itsServer);
    await d.expect.sessionKept(everywhere);
    await d.start(itsServer);
    await d.waitForQuorum(all, { name: "wait for all three again" });

    // One server only, a follower (no election in the measurement): the session ends with it.
    const q = await d.quorum(all);
    const lone = q.followers[0];
    const single = await d.openClient("on-one-server", [lone], SESSION_MS);
    single.arm();
    await d.kill(lone);
    await d.expect.sessionExpired(single);
    await d.start(lone);
    await d.waitForQuorum(all, { name: "wait for all three once more" });

    await d.expect.connectionsCapped(3, MAX_CNXNS, MAX_CNXNS + 5);
    await d.expect.oversizedWriteRefused("/too-big", 2 * 1024 * 1024, all);
    await d.measure("after the client faults", 3_000);
    await d.expect.writesSurvive(all);
  },
});
