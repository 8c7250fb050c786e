// The trend as history.md and history.html: one table per drill (date, verdict, RTO, RPO, throughput,
// ZooKeeper version, commit), flags first, and the known bugs reproduced per version; the page draws
// each drill's RTO over time with Vega (SVG, no script).
import * as vega from "vega";
import type { DrillTrend, KnownBugCell, Trend, TrendRow } from "./trend";

/** Where the pages find the runs: the reports folder, relative to the folder the pages are written to ("" : the same). */
export interface TrendLinks {
  readonly runsAt?: string;
}

/** A run's page: a folder's report.html, or the archive itself. */
function runHref(source: string, l: TrendLinks): string {
  const path = `${l.runsAt ? `${l.runsAt.replace(/\/+$/, "")}/` : ""}${source}`;
  return /\.tar\.gz$/.test(source) ? path : `${path}/report.html`;
}

const KNOWN_BUGS_TITLE = "Known bugs: reproduced per version";
const KNOWN_BUGS_NOTE = "The newest run of each bug on each version; an affected version must reproduce the bug, one that carries the fix must not.";
const cellNote = (c: KnownBugCell) => `${c.date}${c.runs > 1 ? `, ${c.runs} runs` : ""}${c.asExpected ? "" : `; expected ${c.expected}`}`;

function knownBugsMarkdown(x: Trend, l: TrendLinks): string[] {
  const { versions, rows } = x.knownBugs;
  if (rows.length === 0) return [];
  const out = [`## ${KNOWN_BUGS_TITLE}`, "", KNOWN_BUGS_NOTE, "", `| Bug | ${versions.join(" | ")} |`, `|---|${versions.map(() => "---|").join("")}`];
  for (const r of rows) {
    const cells = versions.map((v) => {
      const c = r.cells.find((x) => x.version === v);
      if (!c) return "-";
      const link = `[${c.outcome}](${runHref(c.source, l)})`;
      return `${c.asExpected ? link : `**${link}**`} (${esc(cellNote(c))})`;
    });
    out.push(`| ${r.jira} (${esc(r.drill)}) | ${cells.join(" | ")} |`);
  }
  out.push("");
  return out;
}

function knownBugsHtml(x: Trend, l: TrendLinks): string {
  const { versions, rows } = x.knownBugs;
  if (rows.length === 0) return "";
  const body = rows.map((r) => {
    const cells = versions.map((v) => {
      const c = r.cells.find((x) => x.version === v);
      if (!c) return "<td>-</td>";
      const cls = c.asExpected ? (c.outcome === "reproduced" ? "reproduced" : "clean") : "unexpected";
      return `<td class="${cls}" title="${h(c.evidence)}"><a href="${h(runHref(c.source, l))}">${h(c.outcome)}</a> <small>${h(cellNote(c))}</small></td>`;
    });
    return `<tr><th><a href="https://issues.apache.org/jira/browse/${h(r.jira)}">${h(r.jira)}</a> <small>${h(r.drill)}</small></th>${cells.join("")}</tr>`;
  });
  return `<section id="known-bugs"><h2>${KNOWN_BUGS_TITLE}</h2><p>${h(KNOWN_BUGS_NOTE)}</p><div class="scroll"><table><thead><tr><th>Bug</th>${versions.map((v) => `<th>${h(v)}</th>`).join("")}</tr></thead><tbody>${body.join("")}</tbody></table></div></section>`;
}

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const h = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const s2 = (v: number | null) => (v === null ? "-" : `${v.toFixed(2)} s`);
const ops = (v: number | null) => (v === null ? "-" : `${v}`);

function tolerance(x: Trend): string {
  const o = x.options;
  return `regression: RTO or RPO more than ${(o.tolerance * 100).toFixed(0)}% (and ${o.minDeltaS} s) above, or throughput more than ${(o.tolerance * 100).toFixed(0)}% below, the previous passed run of the drill on the same ZooKeeper version and mode (quick or full); overdue: not run for ${o.days} days, or not re-run within ${o.days} days of a failure`;
}

const rowFlags = (r: TrendRow) => [...r.regressions.map(() => "regression"), ...(r.reRun && !r.reRun.by ? [`re-run due ${r.reRun.due}`] : [])];

export function trendMarkdown(x: Trend, links: TrendLinks = {}): string {
  const out: string[] = ["# Drill trend", "", `As of ${x.today}: ${x.drills.length} drill(s), ${x.drills.reduce((n, d) => n + d.rows.length, 0)} verified run(s), ${x.flagged} flag(s).`, "", `Rules: ${tolerance(x)}.`, ""];
  const flagged = x.drills.filter((d) => d.flags.length > 0);
  const bugFlags = x.knownBugs.rows.flatMap((r) => r.flags.map((f) => ({ drill: r.drill, f })));
  if (flagged.length > 0 || bugFlags.length > 0 || x.unverified.length > 0) {
    out.push("## Flags", "");
    for (const d of flagged) for (const f of d.flags) out.push(`- **${esc(d.drill)}**: ${esc(f)}`);
    for (const b of bugFlags) out.push(`- **${esc(b.drill)}**: ${esc(b.f)}`);
    for (const u of x.unverified) out.push(`- **${esc(u.drill ?? u.source)}**: \`${esc(u.source)}\` does not verify: ${esc(u.problems.slice(0, 3).join("; "))}${u.problems.length > 3 ? ` and ${u.problems.length - 3} more` : ""}`);
    out.push("");
  }
  out.push(...knownBugsMarkdown(x, links));
  for (const d of x.drills) {
    out.push(`## ${esc(d.drill)}`, "");
    for (const p of d.pending) out.push(`- pending: ${esc(p)}`);
    if (d.pending.length) out.push("");
    if (d.rows.length === 0) {
      out.push("No verified run.", "");
      continue;
    }
    out.push("| Date | Verdict | RTO | RPO | Throughput (ops/s, mean) | ZooKeeper | Commit | Run | Flags |", "|---|---|---|---|---|---|---|---|---|");
    for (const r of [...d.rows].reverse()) {
      const verdict = r.status === "passed" ? "passed" : `**${r.status.toUpperCase()}**`;
      out.push(`| ${r.date} | ${verdict}${r.quick ? " (quick)" : ""} | ${s2(r.rtoS)} | ${s2(r.rpoS)} | ${ops(r.opsPerSec)} | ${r.zookeeperVersion} | \`${r.commit.slice(0, 12)}\` | ${esc(r.source)} | ${esc(rowFlags(r).join(", ")) || "-"} |`);
    }
    out.push("");
  }
  if (x.unverified.length > 0) {
    out.push("## Folders that do not verify", "", "Not counted in any trend: their figures cannot be trusted until `zkdrill report verify` passes.", "", "| Folder | Drill | Problems |", "|---|---|---|");
    for (const u of x.unverified) out.push(`| ${esc(u.source)} | ${esc(u.drill ?? "unknown")} | ${esc(u.problems.join("; "))} |`);
    out.push("");
  }
  return out.join("\n");
}

async function rtoChart(d: DrillTrend): Promise<string | null> {
  const points = d.rows.filter((r) => r.rtoS !== null).map((r) => ({ t: Date.parse(r.startedAt), rto: r.rtoS, version: r.zookeeperVersion, status: r.status, regression: r.regressions.length > 0 }));
  if (points.length === 0) return null;
  const spec: vega.Spec = {
    $schema: "https://vega.github.io/schema/vega/v5.json",
    width: 640,
    height: 160,
    padding: 5,
    data: [{ name: "runs", values: points }],
    scales: [
      { name: "x", type: "time", domain: { data: "runs", field: "t" }, range: "width", nice: true, padding: 10 },
      { name: "y", type: "linear", domain: { data: "runs", field: "rto" }, range: "height", zero: true, nice: true },
      { name: "colour", type: "ordinal", domain: { data: "runs", field: "version" }, range: { scheme: "category10" } },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: "run date (UTC)" },
      { orient: "left", scale: "y", title: "RTO (s)", grid: true },
    ],
    legends: [{ stroke: "colour", title: "ZooKeeper", orient: "right" }],
    marks: [
      {
        type: "group",
        from: { facet: { name: "series", data: "runs", groupby: "version" } },
        marks: [{ type: "line", from: { data: "series" }, encode: { enter: { x: { scale: "x", field: "t" }, y: { scale: "y", field: "rto" }, stroke: { scale: "colour", field: "version" }, strokeWidth: { value: 2 } } } }],
      },
      {
        type: "symbol",
        from: { data: "runs" },
        encode: {
          enter: {
            x: { scale: "x", field: "t" },
            y: { scale: "y", field: "rto" },
            size: { signal: "datum.regression ? 140 : 50" },
            shape: { signal: "datum.status === 'passed' ? 'circle' : 'cross'" },
            fill: { signal: "datum.regression || datum.status !== 'passed' ? '#c0392b' : scale('colour', datum.version)" },
          },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const figure = (svg: string | null) => (svg === null ? `<p>No RTO measured in any run.</p>` : `<figure>${svg}<figcaption>RTO per run; a cross: not passed; red: a regression or a failure</figcaption></figure>`);

export async function trendHtml(x: Trend, links: TrendLinks = {}): Promise<string> {
  const sections: string[] = [];
  for (const d of x.drills) {
    const rows = [...d.rows].reverse().map((r) => {
      const cls = r.regressions.length ? "regression" : r.status;
      return `<tr class="${cls}"><td>${r.date}</td><td>${r.status.toUpperCase()}${r.quick ? " (quick)" : ""}</td><td>${s2(r.rtoS)}</td><td>${s2(r.rpoS)}</td><td>${ops(r.opsPerSec)}</td><td>${h(r.zookeeperVersion)}</td><td><code>${h(r.commit.slice(0, 12))}</code></td><td>${h(r.source)}</td><td>${h(rowFlags(r).join(", ")) || "-"}</td></tr>`;
    });
    const flags = [...d.flags.map((f) => `<li class="flag">${h(f)}</li>`), ...d.pending.map((p) => `<li>pending: ${h(p)}</li>`)].join("");
    sections.push(`<section id="drill-${h(d.drill)}"><h2>${h(d.drill)}</h2>${flags ? `<ul>${flags}</ul>` : ""}${d.rows.length ? `${figure(await rtoChart(d))}<div class="scroll"><table><thead><tr><th>Date</th><th>Verdict</th><th>RTO</th><th>RPO</th><th>ops/s</th><th>ZooKeeper</th><th>Commit</th><th>Run</th><th>Flags</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>` : "<p>No verified run.</p>"}</section>`);
  }
  const few = (ps: readonly string[]) => `${ps.slice(0, 3).join("; ")}${ps.length > 3 ? `; and ${ps.length - 3} more (history.md lists all)` : ""}`;
  const unverified = x.unverified.length
    ? `<section id="unverified"><h2>Folders that do not verify</h2><p>Not counted in any trend; <code>zkdrill report verify &lt;folder&gt;</code> says why.</p><ul>${x.unverified.map((u) => `<li class="flag"><code>${h(u.source)}</code> (${h(u.drill ?? "unknown drill")}): ${h(few(u.problems))}</li>`).join("")}</ul></section>`
    : "";
  const allFlags = [
    ...x.drills.flatMap((d) => d.flags.map((f) => `<li class="flag"><a href="#drill-${h(d.drill)}">${h(d.drill)}</a>: ${h(f)}</li>`)),
    ...x.knownBugs.rows.flatMap((r) => r.flags.map((f) => `<li class="flag"><a href="#known-bugs">${h(r.drill)}</a>: ${h(f)}</li>`)),
    ...x.unverified.map((u) => `<li class="flag"><a href="#unverified">${h(u.source)}</a> does not verify (${u.problems.length} problem(s))</li>`),
  ];
  const flagList = allFlags.length ? `<section id="flags"><h2>Flags</h2><ul>${allFlags.join("")}</ul></section>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>zkdrill trend: ${x.flagged} flag(s)</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .45em;font-size:.9em;text-align:left}.scroll{overflow-x:auto}
tr.failed td,tr.inconclusive td,tr.aborted td{background:#fde8e6}tr.regression td{background:#fff4d6}
li.flag{color:#a93226}svg{max-width:100%;height:auto}.summary{font-size:1.1em}
td.reproduced{background:#f3e8fd}td.clean{background:#e3f6e8}td.unexpected{background:#fde8e6;font-weight:700}
</style></head><body>
<h1>Drill trend</h1>
<p class="summary">As of ${x.today}: ${x.drills.length} drill(s), ${x.drills.reduce((n, d) => n + d.rows.length, 0)} verified run(s), <b>${x.flagged} flag(s)</b>.</p>
<p>Rules: ${h(tolerance(x))}.</p>
${flagList}
${knownBugsHtml(x, links)}
${sections.join("\n")}
${unverified}
</body></html>
`;
}
