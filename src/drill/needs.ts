// What a drill needs of a topology to run on it (zones it names, members it names, how many voters),
// so a catalog drill can run on a user's own layout, or be refused before anything starts.
import type { Topology } from "../topology";

export interface DrillNeeds {
  /** At least this many running voters (participants that are not standbys). */
  readonly voters?: number;
  /** Zones the drill's steps name (d.membersIn("a1")). */
  readonly zones?: readonly string[];
  /** Member ids the drill's steps name. */
  readonly members?: readonly number[];
  /** At least this many standbys (configured, not started: P2's). */
  readonly standbys?: number;
  /** At least this many observers. */
  readonly observers?: number;
}

/** What the topology lacks for the drill, each in words with the fix; empty when it has all. */
export function missingNeeds(needs: DrillNeeds | undefined, t: Topology): string[] {
  if (!needs) return [];
  const out: string[] = [];
  const voters = t.members.filter((m) => m.role === "participant" && !m.standby);
  if (needs.voters !== undefined && voters.length < needs.voters) out.push(`${needs.voters} running voters (the topology has ${voters.length}: ${voters.map((m) => m.id).join(", ") || "none"})`);
  const zones = t.zones.map((z) => z.name);
  for (const z of needs.zones ?? []) if (!zones.includes(z)) out.push(`zone "${z}" (zones are ${zones.join(", ")}; name yours so, or choose a drill for your layout)`);
  const ids = t.members.map((m) => m.id);
  const absent = (needs.members ?? []).filter((id) => !ids.includes(id));
  if (absent.length) out.push(`member(s) ${absent.join(", ")} (members are ${ids.join(", ")})`);
  const standbys = t.members.filter((m) => m.standby).length;
  if (needs.standbys !== undefined && standbys < needs.standbys) out.push(`${needs.standbys} standby member(s) (the topology has ${standbys})`);
  const observers = t.members.filter((m) => m.role === "observer").length;
  if (needs.observers !== undefined && observers < needs.observers) out.push(`${needs.observers} observer(s) (the topology has ${observers})`);
  return out;
}
