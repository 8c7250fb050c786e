import { Command } from "commander";
import { catalogDrills, drillSummary, type DrillSummary } from "./drills";

/** One line a drill fits a terminal: the name, the procedure's short form, as much of the description as fits. */
const LINE = 110;

export function listCommand(): Command {
  return new Command("list")
    .description("the drill catalog, one line per drill; the known-bug drills in a section of their own")
    .option("--json", "print as JSON")
    .option("--wide", "the procedure and the whole description")
    .action((opts: { json?: boolean; wide?: boolean }) => {
      const drills = catalogDrills().map((name) => drillSummary(name));
      if (opts.json) console.log(JSON.stringify(drills, null, 2));
      else for (const line of listLines(drills, opts.wide === true)) console.log(line);
    });
}

/**
 * The catalog as `list` prints it: the drills, then (when there are any) the known-bug drills under a
 * heading, each with its JIRA id, the versions it affects and the versions that carry the fix.
 */
export function listLines(drills: readonly DrillSummary[], wide = false): string[] {
  const plain = drills.filter((d) => !d.knownBug);
  const bugs = drills.filter((d) => d.knownBug);
  const line = (d: DrillSummary) => (wide ? `${d.name.padEnd(34)} ${d.procedure.padEnd(18)} ${d.description}` : shortLine(d));
  const out = plain.map(line);
  if (bugs.length === 0) return out;
  out.push("", "Known bugs (each fails on an affected version naming the symptom, passes where the fix is: --zk-version V):");
  const width = Math.max(...bugs.map((d) => d.name.length)) + 1;
  for (const d of bugs) out.push(knownBugListLine(d, wide, width));
  return out;
}

/** `zookeeper-3109  ZOOKEEPER-3109  affects 3.4.14, 3.5.8  fixed in 3.6.0  Avoid long unavailable time...` */
export function knownBugListLine(d: DrillSummary, wide = false, nameWidth = 34): string {
  const b = d.knownBug!;
  const head = `${d.name.padEnd(nameWidth)} ${b.jira.padEnd(15)} affects ${b.affects.join(", ")}; fixed in ${b.fixedIn.join(", ")}`;
  if (wide) return `${head}: ${b.title}`;
  const room = LINE - head.length - 2;
  return room < 20 ? head : `${head}: ${b.title.length <= room ? b.title : `${b.title.slice(0, room - 3).trimEnd()}...`}`;
}

/** `p2-two-az-standby-promotion  P2  AZ1 {1,2}, AZ2 {3 + standbys 4,5}, a load running throughout.` */
export function shortLine(d: { name: string; procedure: string; description: string }): string {
  const head = `${d.name.padEnd(34)} ${procedureTag(d.procedure).padEnd(15)} `;
  const room = Math.max(20, LINE - head.length);
  return head + (d.description.length <= room ? d.description : `${d.description.slice(0, room - 3).trimEnd()}...`);
}

/** The procedure's short name: P2, ZOOKEEPER-1366, seed 003; else its first words ("ZooKeeper admin..."). */
export function procedureTag(procedure: string): string {
  const tag = /\b(P\d+|ZOOKEEPER-\d+|KAFKA-\d+|seed \d+)\b/.exec(procedure)?.[1];
  if (tag) return tag;
  const first = procedure.split(/[(;,]/)[0].trim();
  return first.length <= 15 ? first : `${first.slice(0, 12).trimEnd()}...`;
}
