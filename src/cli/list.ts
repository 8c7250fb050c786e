import { Command } from "commander";
import { catalogDrills, drillSummary } from "./drills";

/** One line a drill fits a terminal: the name, the procedure's short form, as much of the description as fits. */
const LINE = 110;

export function listCommand(): Command {
  return new Command("list")
    .description("the drill catalog, one line per drill")
    .option("--json", "print as JSON")
    .option("--wide", "the procedure and the whole description")
    .action((opts: { json?: boolean; wide?: boolean }) => {
      const drills = catalogDrills().map((name) => drillSummary(name));
      if (opts.json) console.log(JSON.stringify(drills, null, 2));
      else if (opts.wide) for (const d of drills) console.log(`${d.name.padEnd(34)} ${d.procedure.padEnd(18)} ${d.description}`);
      else for (const d of drills) console.log(shortLine(d));
    });
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
