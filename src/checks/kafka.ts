// Kafka's state in ZooKeeper, judged: what a ZooKeeper-mode cluster guarantees about its own znodes
// while ZooKeeper serves. Pure: the drill reads /brokers/ids, /controller, /controller_epoch and the
// partitions' state znodes (src/kafka/zk-state.ts); these say what the reads show.
import { CheckResult, inconclusive, some, verdict } from "./result";
import { grantedTimeoutMs } from "./clients";

/** A reading of Kafka's znodes, as the check input keeps it. */
export interface KafkaReading {
  readonly registered: readonly number[];
  readonly controller: number | null;
  readonly controllerEpoch: number | null;
  readonly partitions: ReadonlyArray<{ topic: string; partition: number; leader: number; isr: readonly number[] }>;
  readonly errors: Readonly<Record<string, string>>;
}

const unread = (r: KafkaReading) => Object.keys(r.errors).filter((p) => !/\/controller$/.test(p));

/** Every running broker holds its ephemeral registration (a broker killed a moment ago may still too: its session lives on). */
export function brokersRegistered(input: { reading: KafkaReading; running: readonly number[] }): CheckResult {
  const name = "every running broker is registered under /brokers/ids";
  const { reading, running } = input;
  if (unread(reading).length > 0 && reading.registered.length === 0) return inconclusive(name, `ZooKeeper could not be read: ${JSON.stringify(reading.errors)}`, { ...input });
  if (running.length === 0) return inconclusive(name, "no broker was running", { ...input });
  const missing = running.filter((id) => !reading.registered.includes(id));
  const lingering = reading.registered.filter((id) => !running.includes(id));
  return verdict(
    name,
    missing.length === 0,
    missing.length === 0
      ? `brokers ${running.join(", ")} registered${lingering.length ? `; ${lingering.join(", ")} not running but still registered (session not yet expired)` : ""}`
      : `running but not registered: ${missing.join(", ")} (registered: ${reading.registered.join(", ") || "none"})`,
    { ...input, missing, lingering },
  );
}

/** Exactly one /controller, naming a broker that runs and is registered. */
export function oneController(input: { reading: KafkaReading; running: readonly number[] }): CheckResult {
  const name = "one controller: /controller names a running, registered broker";
  const { reading, running } = input;
  if (reading.errors.session) return inconclusive(name, `ZooKeeper could not be read: ${reading.errors.session}`, { ...input });
  const c = reading.controller;
  if (c === null) return verdict(name, false, "no /controller znode: no broker is controller", { ...input });
  const ok = running.includes(c) && reading.registered.includes(c);
  return verdict(name, ok, ok ? `broker ${c} is controller (epoch ${reading.controllerEpoch ?? "?"})` : `/controller names broker ${c}, which is ${running.includes(c) ? "not registered" : "not running"}`, { ...input, controller: c });
}

/** The controller moved to another broker and /controller_epoch rose (the old controller died). */
export function controllerEpochRose(input: { before: { controller: number | null; epoch: number | null }; after: { controller: number | null; epoch: number | null }; failoverMs?: number | null }): CheckResult {
  const name = "a new controller, with a higher /controller_epoch";
  const { before, after } = input;
  if (before.epoch === null || before.controller === null) return inconclusive(name, "no controller or epoch was read before the fault", { ...input });
  if (after.epoch === null || after.controller === null) return verdict(name, false, `no controller after the fault (epoch was ${before.epoch}, controller ${before.controller})`, { ...input });
  const rose = after.epoch > before.epoch;
  const moved = after.controller !== before.controller;
  const took = input.failoverMs === undefined || input.failoverMs === null ? "" : ` in ${(input.failoverMs / 1000).toFixed(2)} s`;
  return verdict(name, rose && moved, `controller ${before.controller} -> ${after.controller}${took}, epoch ${before.epoch} -> ${after.epoch}`, { ...input });
}

/** Each partition's state znode names a leader that runs and an ISR of running brokers that holds it. */
export function partitionsLed(input: { reading: KafkaReading; running: readonly number[]; topics: readonly string[] }): CheckResult {
  const name = `each partition of ${input.topics.join(", ")} has a running leader and an ISR of running brokers`;
  const { reading, running } = input;
  const parts = reading.partitions.filter((p) => input.topics.includes(p.topic));
  if (parts.length === 0) return inconclusive(name, `no partition state was read${Object.keys(reading.errors).length ? ` (${JSON.stringify(reading.errors)})` : ""}`, { ...input });
  const bad = parts.flatMap((p) => {
    const where = `${p.topic}-${p.partition}`;
    const out: string[] = [];
    if (p.leader < 0) out.push(`${where}: no leader`);
    else if (!running.includes(p.leader)) out.push(`${where}: leader ${p.leader} is not running`);
    const dead = p.isr.filter((b) => !running.includes(b));
    if (dead.length) out.push(`${where}: ISR [${p.isr.join(",")}] holds ${dead.join(", ")}, not running`);
    if (p.leader >= 0 && !p.isr.includes(p.leader)) out.push(`${where}: leader ${p.leader} is not in its ISR [${p.isr.join(",")}]`);
    return out;
  });
  return verdict(name, bad.length === 0, bad.length === 0 ? `${parts.length} partition(s), leaders ${[...new Set(parts.map((p) => p.leader))].sort().join(", ")}` : some(bad, 4), { ...input, problems: bad });
}

/**
 * A killed broker's registration goes with its ZooKeeper session: not before the session could have
 * expired, and within it plus a tick once ZooKeeper serves. ZooKeeper negotiates the requested timeout
 * into 2..20 ticks; the client last pinged at most a third of it before the kill (its ping interval),
 * so the earliest a correct server expires it is two thirds of the timeout after the kill.
 */
export function registrationExpired(input: { broker: number; killedAt: number; vanishedAt: number | null; requestedMs: number; tickTime: number; watchedUntil: number }): CheckResult {
  const negotiated = grantedTimeoutMs(input.requestedMs, input.tickTime);
  const earliest = Math.round((2 * negotiated) / 3);
  const name = `broker ${input.broker}'s registration vanishes with its session (${(negotiated / 1000).toFixed(1)} s), not before`;
  const evidence = { ...input, negotiatedMs: negotiated, earliestMs: earliest };
  if (input.vanishedAt === null) {
    const watched = input.watchedUntil - input.killedAt;
    return verdict(name, false, `still registered ${(watched / 1000).toFixed(1)} s after the kill (session timeout ${(negotiated / 1000).toFixed(1)} s)`, evidence);
  }
  const after = input.vanishedAt - input.killedAt;
  const ok = after >= earliest;
  return verdict(name, ok, `vanished ${(after / 1000).toFixed(2)} s after the kill (session ${(negotiated / 1000).toFixed(1)} s; not before ${(earliest / 1000).toFixed(2)} s)`, { ...evidence, afterMs: after });
}
