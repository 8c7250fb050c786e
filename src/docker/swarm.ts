// One swarm across the run's engines: its attachable overlay networks are what joins zones on
// different hosts (ENVIRONMENT.md: 2377/tcp and 4789/udp between hosts). `zkdrill hosts init` forms it
// from engines in none and says each change; an engine already in another swarm is the user's, and
// is left as it is. A run only checks that its engines share one swarm, with this machine's a manager.
import { EngineError } from "./engine";
import { engineAt, engineFacts, EngineFacts, LOCAL_ENGINE } from "./engines";

export interface SwarmMember {
  readonly endpoint: string;
  /** The address the other engines reach this one at (2377/tcp, 4789/udp). */
  readonly advertiseAddr?: string;
}

/**
 * Forms a swarm: this machine's engine a manager (initialised when in none), every other engine in none
 * joined as a worker. Returns the changes made, one line each.
 */
export async function formSwarm(local: SwarmMember, others: readonly SwarmMember[]): Promise<string[]> {
  const changes: string[] = [];
  const lf = await engineFacts(LOCAL_ENGINE);
  const l = engineAt(LOCAL_ENGINE);
  if (lf.swarm === "inactive") {
    if (!local.advertiseAddr) throw new EngineError("this machine's engine is in no swarm: give --advertise-addr ADDR (the address the other hosts reach it at) to form one");
    await l.swarmInit({ ListenAddr: "0.0.0.0:2377", AdvertiseAddr: local.advertiseAddr });
    changes.push(`this machine's engine: swarm initialised, a manager advertised at ${local.advertiseAddr}`);
  } else if (lf.swarm !== "active" || lf.managers === 0) {
    throw new EngineError(`this machine's engine is in swarm state "${lf.swarm}" and not a manager; zkdrill creates the overlays there: make it a manager, or give zkdrill a machine that is`);
  } else {
    changes.push(`this machine's engine: already a swarm manager (node ${lf.nodeId}), left as it is`);
  }
  const swarm = (await l.swarmInspect()) as { ID: string; JoinTokens: { Worker: string } };
  // Initialised just now: the address it was given; else the one it already advertises.
  const managerAddr = lf.swarm === "inactive" ? local.advertiseAddr! : lf.nodeAddr;
  const nodes = new Set(((await l.listNodes()) as Array<{ ID: string }>).map((n) => n.ID));
  for (const o of others) {
    const f = await engineFacts(o.endpoint);
    if (f.swarm === "active") {
      if (nodes.has(f.nodeId)) changes.push(`${o.endpoint}: already in this swarm (node ${f.nodeId}), left as it is`);
      else throw new EngineError(`host ${o.endpoint} is in another swarm; zkdrill does not touch it: leave that swarm there (docker swarm leave) or use another host`);
      continue;
    }
    if (!o.advertiseAddr) throw new EngineError(`host ${o.endpoint}: give the address the other hosts reach it at, as ${o.endpoint}@ADDR`);
    await engineAt(o.endpoint).swarmJoin({ ListenAddr: "0.0.0.0:2377", AdvertiseAddr: o.advertiseAddr, RemoteAddrs: [`${managerAddr}:2377`], JoinToken: swarm.JoinTokens.Worker });
    changes.push(`${o.endpoint}: joined the swarm as a worker, advertised at ${o.advertiseAddr}`);
  }
  return changes;
}

/**
 * A run that spans hosts needs them in one swarm with this machine's engine a manager: checked before
 * anything starts, each problem naming the host and the fix (exit 2).
 */
export async function checkRunEngines(endpoints: readonly string[]): Promise<EngineFacts[]> {
  const local = await engineFacts(LOCAL_ENGINE);
  const facts: EngineFacts[] = [];
  const problems: string[] = [];
  for (const e of endpoints) facts.push(await engineFacts(e));
  if (local.swarm !== "active" || local.managers === 0) problems.push(`this machine's engine is in no swarm as a manager; run: zkdrill hosts init --advertise-addr ADDR ${endpoints.map((e) => `${e}@ADDR`).join(" ")}`);
  else {
    const nodes = new Set(((await engineAt(LOCAL_ENGINE).listNodes()) as Array<{ ID: string }>).map((n) => n.ID));
    for (const f of facts) if (f.swarm !== "active" || !nodes.has(f.nodeId)) problems.push(`host ${f.endpoint} is not in this machine's swarm; run: zkdrill hosts init ${f.endpoint}@ADDR`);
  }
  if (problems.length > 0) throw new EngineError(`the run's hosts are not ready:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return facts;
}

/** Leaves the swarm on each engine (the tests' cleanup; a user's `hosts` commands never do this). */
export async function leaveSwarm(endpoints: readonly string[]): Promise<void> {
  for (const e of endpoints) await engineAt(e).swarmLeave({ force: true }).catch(() => undefined);
}
