// The survivability matrix as a table a person reads (`zkdrill plan`).
import { Survivability } from "./survivability";
import { Topology } from "./types";

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

export function renderPlan(t: Topology, s: Survivability): string {
  const byZone = t.zones.map((z) => {
    const ms = t.members.filter((m) => m.zone === z.name);
    const label = ms.map((m) => `${m.id}${m.role === "observer" ? "(obs)" : ""}${m.standby ? "(standby)" : ""}`).join(" ");
    return `  ${z.name} (region ${z.region}${z.host ? `, on host ${z.host}` : ""}): ${label || "-"}`;
  });
  const lines = [
    `topology ${t.name}`,
    ...(t.description ? [`  ${t.description}`] : []),
    "zones:",
    ...byZone,
    `voters configured: ${s.configuredVoters.join(", ")}; running: ${s.runningVoters.join(", ")}; observers: ${s.observers.join(", ") || "none"}`,
    `quorum: ${s.quorum} of ${s.configuredVoters.length}; running voters may lose ${s.toleratedFailures} member(s)`,
    "",
    table([
      ["lost", "alive voters", "quorum", "could lead"],
      ...s.scenarios.map((sc) => [sc.lost, sc.aliveVoters.join(",") || "-", sc.survives ? "kept" : "LOST", sc.couldLead.join(",") || "-"]),
    ]),
  ];
  lines.push("", `scheme (P8): ${s.scheme.verdict}: ${s.scheme.why}`);
  if (s.warnings.length > 0) lines.push("", "warnings:", ...s.warnings.map((w) => `  ! ${w}`));
  return lines.join("\n") + "\n";
}
