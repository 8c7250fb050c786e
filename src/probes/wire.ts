// The network faults proven on the wire, not taken on trust: each zone pair's round trip measured
// where ZooKeeper's own traffic goes (member to member when both zones run one, else a client in the
// zone through its gateway), and every cut probed across: a connection that must not get through.
import { performance } from "node:perf_hooks";
import type { CutProbe, ProbeOutcome, RoundTripInput } from "../checks";
import { connect } from "node:net";
import { ZkClient } from "../zk";
import type { StartedEnsemble } from "../runtime";
import { hostnameOf, MemberId, ZoneName } from "../topology";

/** A pair's round trips; `path`: "member 1 -> member 4" (ZooKeeper's own links), or "client in a1 -> member 4" (the zone's client proxy). */
export type RoundTripSample = RoundTripInput;

const SAMPLES = 10;
/** Round trips made and not counted first. */
const WARM_UP = 3;

/** The zone pairs with a declared latency (more than 0 ms), each once. */
export function latencyPairs(e: StartedEnsemble): Array<{ zones: [ZoneName, ZoneName]; rttMs: number; jitterMs: number }> {
  return e.topology.links.filter((l) => l.rttMs > 0 && l.zones[0] !== l.zones[1]).map((l) => ({ zones: [l.zones[0], l.zones[1]] as [ZoneName, ZoneName], rttMs: l.rttMs, jitterMs: l.jitterMs }));
}

/**
 * One pair's round trip, or null when neither zone runs a member. Timed on a client session as the
 * workload's clients see the link: through one zone's gateway to a member of the other, and straight
 * to that member, so what the client and ZooKeeper add is taken off. (A four-letter word timed inside
 * a member carries ZooKeeper's own answer time, several ms and jumpy on a JVM that just started: too
 * coarse for a 2 ms link. The gateways' client proxies carry the same link toxics as the members' own.)
 */
export async function measurePair(e: StartedEnsemble, pair: { zones: [ZoneName, ZoneName]; rttMs: number; jitterMs: number }, running: readonly MemberId[]): Promise<RoundTripSample | null> {
  const inZone = (z: ZoneName) => e.topology.members.filter((m) => m.zone === z && running.includes(m.id)).map((m) => m.id);
  const [a, b] = pair.zones;
  const base = { zones: pair.zones, declaredMs: pair.rttMs, jitterMs: pair.jitterMs };
  const [from, to] = inZone(b).length ? [a, inZone(b)[0]] : inZone(a).length ? [b, inZone(a)[0]] : [undefined, undefined];
  if (from === undefined || to === undefined) return null;
  // Toxiproxy closes a half-closed connection before the answer comes back: a session, not a four-letter word.
  const across = await sessionSamples(e.endpoint(to, from));
  const direct = await sessionSamples(e.endpoint(to));
  return { ...base, path: `client in ${from} -> member ${to}`, samplesMs: across, baselineMs: direct };
}

/** `exists /` timed on one session, after a few untimed (a member's JVM that just started answers its first requests slowly). */
export function sessionSamples(ep: { host: string; port: number }): Promise<number[]> {
  return ZkClient.with(`${ep.host}:${ep.port}`, async (c) => {
    const out: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      const t0 = performance.now();
      await c.exists("/");
      if (i >= WARM_UP) out.push(round(performance.now() - t0));
    }
    return out;
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;


/** How long a probe waits for an answer: a blackholed link answers never, a reset one at once. */
export const PROBE_TIMEOUT_MS = 2_000;

/** ruok from inside member `from` to member `to` by hostname (the address ZooKeeper itself dials). */
export async function probeFromMember(e: StartedEnsemble, from: MemberId, to: MemberId): Promise<CutProbe> {
  const port = e.topology.settings.clientPort;
  const secs = PROBE_TIMEOUT_MS / 1000;
  const script = `t0=$EPOCHREALTIME; a=; { exec 3<>/dev/tcp/${hostnameOf(to)}/${port} && printf ruok >&3 && read -r -t ${secs} -N 4 -u 3 a; } 2>/dev/null; rc=$?; echo "$a $rc $t0 $EPOCHREALTIME"`;
  const r = await e.exec(from, ["timeout", String(secs + 1), "bash", "-c", script], 30_000);
  const [answer, rc, t0, t1] = r.stdout.trim().split(" ");
  const ms = t0 && t1 ? Math.round((Number(t1) - Number(t0)) * 1000) : (secs + 1) * 1000;
  const outcome: ProbeOutcome = answer === "imok" ? "answered" : r.exitCode === 124 || Number(rc) > 128 || ms >= PROBE_TIMEOUT_MS ? "timeout" : "refused";
  return { from: `member ${from}`, to, outcome, ms };
}

/** ruok from the host as a client in `zone`, through that zone's link to member `to` (the connection left open for the answer). */
export async function probeFromZone(e: StartedEnsemble, zone: ZoneName, to: MemberId): Promise<CutProbe> {
  const t0 = performance.now();
  const ep = e.endpoint(to, zone);
  const outcome = await new Promise<ProbeOutcome>((resolve) => {
    const socket = connect({ host: ep.host, port: ep.port });
    let answer = "";
    const done = (o: ProbeOutcome) => {
      socket.destroy();
      resolve(o);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done("timeout"));
    socket.on("connect", () => socket.write("ruok"));
    socket.on("data", (c: Buffer) => {
      answer += c.toString("utf8");
      if (answer.length >= 4) done(answer.startsWith("imok") ? "answered" : "refused");
    });
    socket.on("error", () => done("refused"));
    socket.on("close", () => done(answer.startsWith("imok") ? "answered" : "refused"));
  });
  return { from: `client in ${zone}`, to, outcome, ms: Math.round(performance.now() - t0) };
}

/** At most this many probes per cut, run at once: a blackholed one waits out its timeout. */
const MAX_PROBES = 2;

/**
 * Probes across a zone cut: for each direction cut (src -> dst, both ways unless one-way), a running
 * member of src to one of dst, else a client in src to one of dst; null reason when none can be made.
 */
export async function probeZoneCut(e: StartedEnsemble, cut: { from: readonly ZoneName[]; to: readonly ZoneName[]; oneWay?: boolean }): Promise<{ probes: CutProbe[]; unprobed?: string }> {
  const running = await e.running();
  const inZones = (zones: readonly ZoneName[]) => e.topology.members.filter((m) => zones.includes(m.zone) && running.includes(m.id)).map((m) => m.id);
  const directions: Array<[readonly ZoneName[], readonly ZoneName[]]> = cut.oneWay ? [[cut.from, cut.to]] : [[cut.from, cut.to], [cut.to, cut.from]];
  const plans = directions
    .map(([src, dst]) => {
      const to = inZones(dst)[0];
      const from = inZones(src)[0];
      if (to === undefined) return null;
      return from !== undefined ? () => probeFromMember(e, from, to) : () => probeFromZone(e, src[0], to);
    })
    .filter((p): p is () => Promise<CutProbe> => p !== null)
    .slice(0, MAX_PROBES);
  if (plans.length === 0) return { probes: [], unprobed: "no member runs on either side of the cut" };
  return { probes: await Promise.all(plans.map((p) => p())) };
}

/** Probes across member links cut inside the members (each from its sender), the first few of them. */
export async function probeMemberLinks(e: StartedEnsemble, links: ReadonlyArray<{ from: MemberId; to: MemberId; port?: number }>): Promise<{ probes: CutProbe[]; unprobed?: string }> {
  const running = await e.running();
  const live = links.filter((l) => running.includes(l.from) && running.includes(l.to)).slice(0, MAX_PROBES);
  if (live.length === 0) return { probes: [], unprobed: "no cut link joins two running members" };
  return { probes: await Promise.all(live.map((l) => (l.port === undefined ? probeFromMember(e, l.from, l.to) : probePortCut(e, l.from, l.to, l.port)))) };
}

/** The iptables chain member-link cuts sit in (src/faults/member-links.ts), read here to prove a port cut. */
export const MEMBER_LINK_CHAIN = "ZKDRILL";

/**
 * A connection from inside `from` to `to`'s port, and whether the cut's own rule turned it away: its
 * packet counter must rise. (Nobody listening refuses too: a follower has no quorum port open, so a
 * refusal alone proves nothing.) Not caught by the rule counts as answered: the cut is not on the path.
 */
export async function probePortCut(e: StartedEnsemble, from: MemberId, to: MemberId, port: number): Promise<CutProbe> {
  const secs = PROBE_TIMEOUT_MS / 1000;
  const host = hostnameOf(to);
  const count = `iptables -L ${MEMBER_LINK_CHAIN} -v -x -n 2>/dev/null | awk -v ip="$ip" '$9 == ip && /dpt:${port}( |$)/ { n += $1 } END { print n + 0 }'`;
  const script = `ip=$(getent hosts ${host} | awk '{print $1; exit}'); a=$(${count}); t0=$EPOCHREALTIME; timeout ${secs} bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>/dev/null; rc=$?; b=$(${count}); echo "$a $b $rc $t0 $EPOCHREALTIME"`;
  const r = await e.exec(from, ["bash", "-c", script], 30_000);
  const [before, after, rc, t0, t1] = r.stdout.trim().split(" ").map(Number);
  const ms = Number.isFinite(t0) && Number.isFinite(t1) ? Math.round((t1 - t0) * 1000) : PROBE_TIMEOUT_MS;
  const caught = after > before;
  const outcome: ProbeOutcome = !caught ? "answered" : rc === 124 ? "timeout" : "refused";
  return { from: `member ${from} (port ${port}: the cut's rule caught ${caught ? after - before : 0} packet(s))`, to, outcome, ms };
}
