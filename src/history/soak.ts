// A long soak's history, generated: what the Kafka-shaped workload (src/workload/kafka-shaped.ts) records
// over a quarter of an hour, written as history.jsonl exactly as HistoryRecorder writes it. Brokers' sessions
// with a few lanes each, partition states moved by read-then-compare-and-set, config-change notifications
// as persistent sequential znodes (one new znode each: the soak's ~200k), metadata reads, ephemeral broker
// registrations and a controller elected through an ephemeral znode; sessions expire and are replaced, and
// leaders are killed (replies lost, a new epoch). Valid by construction: each operation takes effect at one
// instant inside its interval on true znodes, zxids as ZooKeeper gives them. For benches and tests of the
// end-of-run analysis at a soak's size, without containers.
import { SeededRandom } from "../common/random";
import type { CompletionEvent, InvokeEvent } from "./model";
import type { HistoryAnchor } from "./recorder";
import { SoakWriter } from "./soak-writer";
import { SET_PREFIX, SET_ROOT } from "./values";

export interface SoakHistoryOptions {
  /** About this many operations (invoke and completion pairs). */
  readonly operations: number;
  readonly durationMs?: number;
  readonly seed?: number;
  readonly partitions?: number;
  readonly brokers?: number;
  readonly lanesPerBroker?: number;
  /** One broker's session expires (and is replaced) this often. */
  readonly expireEveryMs?: number;
  /** When the leader is killed, in ms from the start: replies lost for a moment, then a new epoch. */
  readonly leaderKillsAtMs?: readonly number[];
}

export interface SoakHistory {
  readonly anchor: HistoryAnchor;
  readonly operations: number;
  /** Znodes the run created (the sequential notifications among them). */
  readonly znodes: number;
  readonly startMono: number;
  readonly endMono: number;
  readonly startTime: number;
  /** Each leader kill: when it began and when writes were acknowledged again (monotonic ms). */
  readonly kills: ReadonlyArray<{ readonly mono: number; readonly endMono: number; readonly member: number }>;
  /** The closing synced reads, one process per surviving member (as readMembers records them). */
  readonly syncedReads: ReadonlyArray<{ readonly member: number; readonly process: number }>;
  readonly partitions: number;
  /** Workload writes acknowledged per second (the journal's samples). */
  readonly ackedPerSecond: readonly number[];
}

const JITTER_MS = 0.3;
const OUTAGE_MS = 1_200;
const MEMBERS = [1, 2, 3];
const partitionPath = (p: number) => `/brokers/topics/drill/partitions/${p}/state`;
const hex = (z: number) => `0x${z.toString(16)}`;

interface Lane {
  readonly process: number;
  readonly session: Session;
  /** When its last reply came: its next call is after it (one call open per process). */
  lastRet: number;
  /** The read of a compare-and-set waiting for its write: path, version read, value read. */
  cas?: { path: string; version: number; prev: string };
}
interface Session {
  readonly id: string;
  readonly broker: number;
  member: number;
  readonly lanes: Lane[];
  readonly main: Lane;
  alive: boolean;
}
interface Znode {
  value: string;
  version: number;
  mzxid: number;
  owner?: Session;
  cversion: number;
}

/** Writes the history to `path` and returns its final anchor and the figures a journal of the run needs. */
export function writeSoakHistory(path: string, o: SoakHistoryOptions): SoakHistory {
  const rnd = new SeededRandom(o.seed ?? 1);
  const durationMs = o.durationMs ?? 900_000;
  const partitions = o.partitions ?? 16;
  const brokers = o.brokers ?? 3;
  const nonce = `soak${(o.seed ?? 1).toString(36)}`;
  const startMono = 10_000;
  const startTime = 1_780_000_000_000;
  // Three history operations per two workload ones (a compare-and-set is a read and a write), plus the elections.
  const stepMs = durationMs / o.operations;
  const out = new SoakWriter(path, startTime - startMono);
  let t = startMono;
  let epoch = 1;
  let counter = 0;
  const zxid = () => epoch * 2 ** 32 + counter;
  const nextZxid = () => ++counter && zxid();
  const tree = new Map<string, Znode>();
  let processes = 0;
  let writes = 0;
  let sessions = 0;
  let operations = 0;
  let dead: number | null = null;
  let outageUntil = -Infinity;
  let newEpochAt = Infinity;
  const acked: number[] = [];

  const newProcess = (role: string, members: readonly number[]): number => {
    const process = ++processes;
    out.push({ mono: t - JITTER_MS, event: { type: "process", process, role, members: [...members], time: 0, mono: t } });
    return process;
  };
  const newSession = (broker: number, role = `workload broker ${broker}`): Session => {
    const id = hex(0x1000000000000 + ++sessions * 7919);
    const alive = MEMBERS.filter((m) => m !== dead);
    const mainProcess = newProcess(role, MEMBERS);
    const s: Session = { id, broker, member: alive[rnd.int(alive.length)], lanes: [], main: undefined as unknown as Lane, alive: true };
    (s as { main: Lane }).main = { process: mainProcess, session: s, lastRet: -Infinity };
    out.push({ mono: t - JITTER_MS, event: { type: "process", process: mainProcess, role, members: MEMBERS, session: id, time: 0, mono: t } });
    for (let i = 0; i < (o.lanesPerBroker ?? 3); i++) {
      const laneRole = `${role} lane ${processes + 1}`;
      const process = newProcess(laneRole, MEMBERS);
      out.push({ mono: t - JITTER_MS, event: { type: "process", process, role: laneRole, members: MEMBERS, session: id, time: 0, mono: t } });
      s.lanes.push({ process, session: s, lastRet: -Infinity });
    }
    nextZxid(); // createSession is a transaction
    return s;
  };

  /**
   * One operation of `lane`, taking effect now (at t): `apply` changes the tree and returns the completion's
   * fields (null: a definite failure it names). In an outage the reply is lost (info); an in-flight write may apply.
   */
  const op = (lane: Lane, inv: Omit<InvokeEvent, "type" | "process" | "time" | "mono">, apply: (write: boolean) => Partial<CompletionEvent> | { error: string }): void => {
    operations++;
    t = Math.max(t, lane.lastRet + JITTER_MS + 0.01);
    const call = t - rnd.next() * JITTER_MS;
    const ret = t + 0.02 + rnd.next() * JITTER_MS;
    lane.lastRet = ret;
    const invoke = { line: -1 };
    out.push({ mono: call, event: { type: "invoke", process: lane.process, ...inv, time: 0, mono: call } as InvokeEvent, invoke });
    const isWrite = inv.f !== "read" && inv.f !== "exists" && inv.f !== "children";
    const lost = t < outageUntil;
    if (lost) {
      if (isWrite && t - (outageUntil - OUTAGE_MS) < 2 && rnd.next() < 0.5) apply(true);
      out.push({ mono: ret, event: { type: "info", process: lane.process, invoke: -1, error: "CONNECTION_LOSS", time: 0, mono: ret }, completes: invoke });
      return;
    }
    const fields = apply(isWrite);
    const failed = "error" in fields && fields.error !== undefined;
    if (isWrite && !failed && lane.session.broker >= 0) acked[Math.floor((t - startMono) / 1000)] = (acked[Math.floor((t - startMono) / 1000)] ?? 0) + 1;
    const c = { type: failed ? "fail" : "ok", process: lane.process, invoke: -1, ...fields, serverZxid: hex(zxid()), server: lane.session.member, time: 0, mono: ret };
    out.push({ mono: ret, event: c as CompletionEvent, completes: invoke });
  };
  // A refused write is an error transaction: it takes a zxid too.
  const refuse = (error: string) => {
    nextZxid();
    return { error };
  };
  const value = (lane: Lane) => `${nonce}.${lane.process}.${++writes}`;
  const create = (lane: Lane, path: string, opts: { ephemeral?: boolean; sequential?: boolean } = {}): void => {
    const v = value(lane);
    op(lane, { f: "create", path, value: v, prev: null, ...(opts.sequential ? { sequential: true } : {}), ...(opts.ephemeral ? { ephemeral: true } : {}) }, () => {
      const parentPath = path.slice(0, path.lastIndexOf("/")) || "/";
      const parent = tree.get(parentPath);
      const name = opts.sequential ? `${path}${String(parent?.cversion ?? 0).padStart(10, "0")}` : path;
      if (tree.has(name)) return refuse("NODE_EXISTS");
      if (!parent && parentPath !== "/") return refuse("NO_NODE");
      if (parent) parent.cversion++;
      tree.set(name, { value: v, version: 0, mzxid: nextZxid(), cversion: 0, ...(opts.ephemeral ? { owner: lane.session } : {}) });
      return opts.sequential ? { created: name } : {};
    });
  };
  const exists = (lane: Lane, path: string): boolean => {
    const node = tree.get(path);
    op(lane, { f: "exists", path }, () => (node ? { value: "present", version: node.version, zxid: hex(node.mzxid) } : { value: null }));
    return node !== undefined;
  };
  const mkdirp = (lane: Lane, path: string): void => {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = "/" + parts.slice(0, i).join("/");
      if (!exists(lane, p)) create(lane, p);
    }
  };
  const read = (lane: Lane, path: string, syncedBy?: number): Znode | undefined => {
    const node = tree.get(path);
    op(lane, { f: "read", path, ...(syncedBy !== undefined ? { syncedBy } : {}) }, () => (node ? { value: node.value, version: node.version, zxid: hex(node.mzxid) } : { value: null }));
    return node;
  };
  const expire = (s: Session): void => {
    s.alive = false;
    nextZxid(); // closeSession removes its ephemerals in one transaction
    for (const [p, node] of tree) if (node.owner === s) tree.delete(p);
  };

  // The tree the workload builds before its load (KafkaShapedWorkload.start), then the brokers registered.
  const live: Session[] = Array.from({ length: brokers }, (_, b) => newSession(b));
  const admin = live[0].main;
  mkdirp(admin, "/brokers/ids");
  mkdirp(admin, SET_ROOT);
  for (let p = 0; p < partitions; p++) mkdirp(admin, partitionPath(p));
  for (const s of live) create(s.main, `/brokers/ids/${s.broker}`, { ephemeral: true });
  const bucketsMade = new Set<number>();
  let changes = 0;
  let nextExpiry = startMono + (o.expireEveryMs ?? 30_000);
  let nextElection = t;
  const kills = [...(o.leaderKillsAtMs ?? [durationMs / 3, (2 * durationMs) / 3])].sort((a, b) => a - b).map((ms) => startMono + ms);
  const killed: Array<{ mono: number; endMono: number; member: number }> = [];
  let turn = 0;

  while (t < startMono + durationMs) {
    t += stepMs * (0.5 + rnd.next());
    out.flushBefore(t - JITTER_MS - 0.001);
    if (kills.length > 0 && t >= kills[0]) {
      kills.shift();
      dead = MEMBERS[rnd.int(MEMBERS.length)];
      outageUntil = t + OUTAGE_MS;
      newEpochAt = outageUntil;
      killed.push({ mono: t, endMono: outageUntil, member: dead });
      for (const s of live) if (s.member === dead) s.member = MEMBERS.find((m) => m !== dead)!;
    }
    if (t >= newEpochAt) {
      epoch++; // the new leader's epoch: zxids start again from it
      counter = 0;
      newEpochAt = Infinity;
    }
    if (t >= nextExpiry) {
      nextExpiry += o.expireEveryMs ?? 30_000;
      const b = rnd.int(live.length);
      expire(live[b]);
      live[b] = newSession(b);
      create(live[b].main, `/brokers/ids/${b}`, { ephemeral: true });
      continue;
    }
    if (t >= nextElection) {
      // Each broker's campaign: create /controller, or find it held and wait (5 s bound).
      nextElection = t + 5_000;
      for (const s of live) {
        create(s.main, "/controller", { ephemeral: true });
        exists(s.main, "/controller");
      }
      continue;
    }
    const s = live[turn % live.length];
    const lane = s.lanes[Math.floor(turn / live.length) % s.lanes.length];
    turn++;
    if (lane.cas) {
      const { path: p, version, prev } = lane.cas;
      lane.cas = undefined;
      const v = value(lane);
      op(lane, { f: "cas", path: p, value: v, version, prev }, () => {
        const node = tree.get(p)!;
        if (node.version !== version) return refuse("BAD_VERSION");
        node.version++;
        node.value = v;
        node.mzxid = nextZxid();
        return { version: node.version, zxid: hex(node.mzxid) };
      });
      continue;
    }
    const roll = rnd.next();
    if (roll < 0.5) {
      const p = partitionPath(rnd.int(partitions));
      const node = read(lane, p);
      if (node && t >= outageUntil) lane.cas = { path: p, version: node.version, prev: node.value };
    } else if (roll < 0.75) {
      const bucket = Math.floor(changes++ / 1000);
      const parent = `${SET_ROOT}/b${String(bucket).padStart(4, "0")}`;
      if (!bucketsMade.has(bucket)) {
        mkdirp(lane, parent);
        if (tree.has(parent)) bucketsMade.add(bucket);
      }
      create(lane, `${parent}/${SET_PREFIX}${nonce}.${lane.process}.${writes + 1}_`, { sequential: true });
    } else read(lane, partitionPath(rnd.int(partitions)));
  }

  // The closing synced reads (readMembers): a write through each member, then its registers and the set.
  const syncedReads: Array<{ member: number; process: number }> = [];
  for (const member of MEMBERS.filter((m) => m !== dead)) {
    t += 5;
    const s = newSession(-1, `synced read on member ${member}`);
    s.member = member;
    const lane = s.main;
    syncedReads.push({ member, process: lane.process });
    mkdirp(lane, `/zkdrill/sync/m${member}`);
    const line = out.lineOfNextInvoke();
    const v = value(lane);
    op(lane, { f: "write", path: `/zkdrill/sync/m${member}`, value: v }, () => {
      const node = tree.get(`/zkdrill/sync/m${member}`)!;
      Object.assign(node, { value: v, version: node.version + 1, mzxid: nextZxid() });
      return { version: node.version, zxid: hex(node.mzxid) };
    });
    for (let p = 0; p < partitions; p++) read(lane, partitionPath(p), line);
    const children = new Map<string, string[]>();
    for (const p of tree.keys()) {
      const cut = p.lastIndexOf("/");
      const parent = p.slice(0, cut);
      if (!parent.startsWith(SET_ROOT)) continue;
      const list = children.get(parent);
      if (list) list.push(p.slice(cut + 1));
      else children.set(parent, [p.slice(cut + 1)]);
    }
    op(lane, { f: "children", path: SET_ROOT, syncedBy: line }, () => ({ value: [...(children.get(SET_ROOT) ?? [])].sort() }));
    for (const b of [...(children.get(SET_ROOT) ?? [])].sort()) op(lane, { f: "children", path: `${SET_ROOT}/${b}`, syncedBy: line }, () => ({ value: [...(children.get(`${SET_ROOT}/${b}`) ?? [])].sort() }));
    expire(s);
  }
  out.flushBefore(Infinity);
  return {
    anchor: out.close(),
    operations,
    znodes: tree.size,
    startMono,
    endMono: t,
    startTime,
    kills: killed,
    syncedReads,
    partitions,
    ackedPerSecond: Array.from(acked, (n) => n ?? 0),
  };
}
