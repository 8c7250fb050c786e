// Which failures a layout survives, computed before any container starts (P1, P8).
import { MemberId, Topology, ZoneName } from "./types";
import { serversOf } from "./zoocfg";

export interface Scenario {
  readonly kind: "none" | "zone" | "region" | "zone-pair";
  /** What is lost, e.g. "zone az1", "region b", "zones a1+a2". */
  readonly lost: string;
  readonly lostZones: readonly ZoneName[];
  readonly aliveVoters: readonly MemberId[];
  readonly survives: boolean;
  /** Members that could lead: the alive voters, when a quorum remains. */
  readonly couldLead: readonly MemberId[];
}

export interface Survivability {
  readonly topology: string;
  /** The voters the running members' config lists: quorum is counted over these (P1). */
  readonly configuredVoters: readonly MemberId[];
  readonly runningVoters: readonly MemberId[];
  readonly observers: readonly MemberId[];
  readonly quorum: number;
  /** How many running voters may fail before quorum is lost. */
  readonly toleratedFailures: number;
  readonly scenarios: readonly Scenario[];
  readonly warnings: readonly string[];
  /** The deployment scheme's verdict, in seed 003's words (P8). */
  readonly scheme: SchemeVerdict;
}

/** Seed 003's verdicts on deployment schemes (P8 (docs/procedures.md)), derived from the layout itself. */
export interface SchemeVerdict {
  readonly verdict: "not enough" | "fine, without regional DR" | "recommended" | "not recommended" | "works, complex";
  readonly why: string;
}

/** The smallest majority of n voters. */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * The config the running members serve under. When running members disagree (a mid-migration
 * layout), the first running member's view wins and a warning says so.
 */
function ensembleView(t: Topology): { servers: MemberId[]; warning?: string } {
  const running = t.members.filter((m) => !m.standby);
  const views = running.map((m) => serversOf(t, m.id).join(","));
  const servers = serversOf(t, running[0].id);
  const distinct = [...new Set(views)];
  return distinct.length > 1
    ? { servers, warning: `running members list different servers (${distinct.map((v) => `{${v}}`).join(" vs ")}); the analysis uses member ${running[0].id}'s` }
    : { servers };
}

export function analyse(t: Topology): Survivability {
  const view = ensembleView(t);
  const byId = new Map(t.members.map((m) => [m.id, m]));
  const configuredVoters = view.servers.filter((id) => byId.get(id)?.role === "participant");
  const runningVoters = configuredVoters.filter((id) => !byId.get(id)?.standby);
  const observers = view.servers.filter((id) => byId.get(id)?.role === "observer");
  const quorum = quorumOf(configuredVoters.length);

  const scenario = (kind: Scenario["kind"], lost: string, lostZones: ZoneName[]): Scenario => {
    const aliveVoters = runningVoters.filter((id) => !lostZones.includes(byId.get(id)!.zone));
    const survives = aliveVoters.length >= quorum;
    return { kind, lost, lostZones, aliveVoters, survives, couldLead: survives ? aliveVoters : [] };
  };

  const zones = t.zones.map((z) => z.name);
  const regions = [...new Set(t.zones.map((z) => z.region))];
  const scenarios: Scenario[] = [scenario("none", "nothing", [])];
  for (const z of zones) scenarios.push(scenario("zone", `zone ${z}`, [z]));
  if (regions.length > 1) {
    for (const r of regions) scenarios.push(scenario("region", `region ${r}`, t.zones.filter((z) => z.region === r).map((z) => z.name)));
  }
  for (let a = 0; a < zones.length; a++) {
    for (let b = a + 1; b < zones.length; b++) scenarios.push(scenario("zone-pair", `zones ${zones[a]}+${zones[b]}`, [zones[a], zones[b]]));
  }

  const warnings: string[] = [];
  if (view.warning) warnings.push(view.warning);
  if (configuredVoters.length % 2 === 0) {
    warnings.push(`${configuredVoters.length} voters is even: it tolerates no more failures than ${configuredVoters.length - 1} would, and costs a vote per write`);
  }
  const phantoms = configuredVoters.filter((id) => byId.get(id)!.standby);
  if (phantoms.length > 0) {
    warnings.push(
      `P1: voters ${phantoms.join(", ")} are configured but not started: quorum is ${quorum} of ${configuredVoters.length}, so the ${runningVoters.length} running voters tolerate ${Math.max(0, runningVoters.length - quorum)} failure(s)`,
    );
  }
  for (const z of zones) {
    const inZone = runningVoters.filter((id) => byId.get(id)!.zone === z);
    if (zones.length > 1 && inZone.length >= quorum) warnings.push(`zone ${z} holds a majority (${inZone.length} of ${configuredVoters.length} voters): losing it loses quorum`);
  }
  // A zone with no majority can still take the quorum with it: 2+2 leaves 2 of 4 where 3 are needed.
  const fatalMinorities = scenarios.filter((s) => s.kind === "zone" && !s.survives && runningVoters.filter((id) => s.lostZones.includes(byId.get(id)!.zone)).length < quorum);
  if (fatalMinorities.length > 0) {
    const each = fatalMinorities.map((s) => `${s.lost} leaves ${s.aliveVoters.length}`).join(", ");
    const none = zones.every((z) => runningVoters.filter((id) => byId.get(id)!.zone === z).length < quorum);
    warnings.push(
      fatalMinorities.length === zones.length && none
        ? `no zone holds a majority, yet losing ${zones.length === 2 ? "either" : "any"} zone loses quorum (${each} of ${configuredVoters.length} voters; quorum is ${quorum})`
        : `losing ${fatalMinorities.map((s) => s.lost).join(" or ")} loses quorum though no majority is there (${each} of ${configuredVoters.length} voters; quorum is ${quorum})`,
    );
  }
  for (const s of scenarios) {
    if (s.survives || s.kind === "none") continue;
    const localObservers = observers.filter((id) => !s.lostZones.includes(byId.get(id)!.zone) && !byId.get(id)!.standby);
    if (localObservers.length === 0) continue;
    warnings.push(
      s.aliveVoters.length === 0
        ? `losing ${s.lost} leaves only observers ${localObservers.join(", ")} with no quorum: observers never vote; promoting them is a manual step (P9)`
        : `losing ${s.lost} leaves voters ${s.aliveVoters.join(", ")} (under the quorum of ${quorum}) and observers ${localObservers.join(", ")}, which never vote: promoting observers is a manual step (P9)`,
    );
  }
  const toleratedFailures = Math.max(0, runningVoters.length - quorum);
  return { topology: t.name, configuredVoters, runningVoters, observers, quorum, toleratedFailures, scenarios, warnings, scheme: schemeOf(t, scenarios, observers) };
}

/**
 * P8: a layout that loses its quorum with one zone (data centre) is not enough, or, where observers
 * remain, needs the manual promotion the seed does not recommend; one that survives any one zone is
 * fine within one region and recommended across two; independent copies kept in step outside
 * ZooKeeper work, at the price of that sync and no automatic failover.
 */
function schemeOf(t: Topology, scenarios: readonly Scenario[], observers: readonly MemberId[]): SchemeVerdict {
  const zoneLosses = scenarios.filter((s) => s.kind === "zone");
  const fatal = zoneLosses.find((s) => !s.survives);
  const regions = new Set(t.zones.map((z) => z.region));
  if (fatal) {
    const left = observers.filter((id) => !fatal.lostZones.includes(t.members.find((m) => m.id === id)!.zone));
    if (left.length > 0) return { verdict: "not recommended", why: `losing ${fatal.lost} loses the quorum; observers ${left.join(", ")} serve on only after a manual switch to participants` };
    return { verdict: "not enough", why: `losing ${fatal.lost} loses the quorum${t.zones.length === 1 ? ": it survives a member's loss, not the data centre's" : ""}` };
  }
  if (t.copies && t.copies.length > 0) {
    return { verdict: "works, complex", why: `survives any one zone; a region lost is survived only through the copies in ${t.copies.map((c) => `region ${c.region} (${c.sync})`).join(", ")}, with no automatic failover` };
  }
  if (regions.size === 1) return { verdict: "fine, without regional DR", why: `survives any one of ${t.zones.length} zones, all in region ${[...regions][0]}: not the region's loss` };
  return { verdict: "recommended", why: `survives any one of ${t.zones.length} zones over ${regions.size} regions, the production zone included; writes pay the cross-region round trip` };
}
