// Measuring the wire as a member sees it: round trips timed inside a member's container, so the
// figure is what ZooKeeper's own connections get (no docker exec or host loopback in it).
import { median } from "../common";
import type { StartedEnsemble } from "../runtime";
import { hostnameOf, MemberId } from "../topology";
import { ZkClient } from "../zk";

export interface RoundTrips {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}


/**
 * `ruok` from member `from` to member `to`'s client port, by hostname, `samples` times. One round
 * trip each: the request crosses the link once each way (the TCP handshake ends at the local
 * gateway). Timed with bash's $EPOCHREALTIME; nothing in the loop forks.
 */
export async function measureRoundTrips(e: StartedEnsemble, from: MemberId, to: MemberId, samples = 20): Promise<RoundTrips> {
  if (!Number.isInteger(samples) || samples < 1 || samples > 1000) throw new Error(`samples: ${samples}; give 1..1000`);
  const port = e.topology.settings.clientPort;
  const script = [
    `for ((i = 0; i < ${samples}; i++)); do`,
    `  t0=$EPOCHREALTIME`,
    `  exec 3<>/dev/tcp/${hostnameOf(to)}/${port} || exit 3`,
    `  printf ruok >&3`,
    // A builtin read of exactly the 4 bytes: no fork, so the figure is the wire's.
    `  answer=; read -r -t 10 -N 4 -u 3 answer`,
    `  exec 3<&-`,
    `  t1=$EPOCHREALTIME`,
    `  [ "$answer" = imok ] || { echo "answer: $answer" >&2; exit 4; }`,
    `  echo "$t0 $t1"`,
    `done`,
  ].join("\n");
  const r = await e.exec(from, ["bash", "-c", script], 30_000 + samples * 2_000);
  if (r.exitCode !== 0) throw new Error(`round trips ${from} -> ${to} failed (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`);
  const samplesMs = r.stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [t0, t1] = line.split(" ").map(Number);
      return (t1 - t0) * 1000;
    });
  return { from, to, samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs), maxMs: Math.max(...samplesMs) };
}

/**
 * Median latency of `exists /` on one long-lived client session: what a client placed in a zone
 * (or ZooKeeper's own long-lived links) gets, with no per-connection cost in it.
 */
export async function sessionRoundTripMs(connectString: string, samples: number): Promise<number> {
  if (!Number.isInteger(samples) || samples < 1 || samples > 10_000) throw new Error(`samples: ${samples}; give 1..10000`);
  return ZkClient.with(connectString, async (c) => {
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = process.hrtime.bigint();
      await c.exists("/");
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return median(ms);
  });
}
