// bench/network: P7's topology through the Toxiproxy gateways. Start-up to quorum, round trips
// per zone pair (ruok inside a member, and on a long-lived client session placed in a zone), and
// the time to a new leader after the leader is killed, across 30 ms.
// Run: node --import tsx bench/network.ts [rounds]
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ensureImages, DEFAULT_ZOOKEEPER_VERSION } from "../src/images";
import { measureRoundTrips, sessionRoundTripMs } from "../src/probes";
import { newRunId, StartedEnsemble } from "../src/runtime";
import { loadTopology, resolveTopologyPath } from "../src/topology";


async function main() {
  const rounds = Number(process.argv[2] ?? 2);
  if (!(rounds >= 1 && rounds <= 20)) throw new Error(`rounds: ${process.argv[2]}; give 1..20`);
  const images = await ensureImages(DEFAULT_ZOOKEEPER_VERSION, { pull: false });
  const topology = loadTopology(resolveTopologyPath("p7-two-regions-three-centres"));
  console.log(`${topology.name}: a1 {1,2} -2 ms- a2 {3}; a1, a2 -30 ms- b1 {4,5}; ${rounds} round(s)`);
  for (let r = 0; r < rounds; r++) {
    const t0 = Date.now();
    const e = await StartedEnsemble.start({ runId: newRunId("bench-net"), topology, image: images.zookeeper, version: DEFAULT_ZOOKEEPER_VERSION, toxiproxyImage: images.toxiproxy, logDir: join(tmpdir(), "zkdrill-bench-logs") });
    try {
      const started = Date.now() - t0;
      const q = await e.waitForQuorum({ timeoutMs: 120_000 });
      console.log(`round ${r + 1}: containers up ${(started / 1000).toFixed(1)} s, full quorum ${((Date.now() - t0) / 1000).toFixed(1)} s (leader ${q.leader})`);
      for (const [a, b, link] of [[1, 2, "same zone"], [1, 3, "2 ms"], [1, 4, "30 ms"], [3, 5, "30 ms"]] as const) {
        const rt = await measureRoundTrips(e, a, b, 30);
        console.log(`  ruok ${a} -> ${b} (${link.padEnd(9)}): median ${rt.medianMs.toFixed(2)} ms, min ${rt.minMs.toFixed(2)}, max ${rt.maxMs.toFixed(2)}`);
      }
      const local = await sessionRoundTripMs(e.connectString([1], "a1"), 50);
      for (const [id, link] of [[3, "2 ms"], [4, "30 ms"]] as const) {
        const ms = await sessionRoundTripMs(e.connectString([id], "a1"), 30);
        console.log(`  session from a1 to ${id} (${link}): ${ms.toFixed(2)} ms vs ${local.toFixed(2)} ms local: +${(ms - local).toFixed(2)} ms`);
      }
      const killedAt = Date.now();
      await e.kill(q.leader);
      const rest = [1, 2, 3, 4, 5].filter((id) => id !== q.leader);
      const after = await e.waitForQuorum({ members: rest, timeoutMs: 120_000 });
      console.log(`  leader ${q.leader} killed: member ${after.leader} leads after ${((Date.now() - killedAt) / 1000).toFixed(2)} s`);
    } finally {
      await e.teardown();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
