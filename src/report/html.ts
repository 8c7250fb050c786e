// report.html: one self-contained file. The DR test record first, on one desktop screen; then the
// charts, rendered to SVG here with Vega (no script and no network at view time): ops/s and p99
// latency with every fault and recovery marked, and who led when, leaderless windows shaded. The
// same page prints to report.pdf (A4), and reads on a phone (nothing wider than the screen).
import * as vega from "vega";
import { Marked } from "marked";
import { markdownBody } from "./markdown";
import { knownBugTitle } from "./known-bug";
import type { ReportModel } from "./model";
import { RECORD_CSS, recordHtml } from "./record-render";

const WIDTH = 800;
const MARK_COLOURS = { fault: "#c0392b", recovery: "#27ae60", partition: "#8e44ad" } as const;

async function svgOf(spec: vega.Spec): Promise<string> {
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Numbered markers on a chart; the legend below it says what each number is. */
function markerMarks(): vega.Mark[] {
  return [
    {
      type: "rule",
      from: { data: "markers" },
      encode: { enter: { x: { scale: "x", field: "t" }, y: { value: 0 }, y2: { signal: "height" }, stroke: { field: "colour" }, strokeDash: { value: [4, 3] } } },
    },
    {
      type: "text",
      from: { data: "markers" },
      encode: { enter: { x: { scale: "x", field: "t" }, y: { value: -4 }, text: { field: "n" }, align: { value: "center" }, fill: { field: "colour" }, fontSize: { value: 10 } } },
    },
  ];
}

function markerData(m: ReportModel) {
  return m.markers.map((x, i) => ({ ...x, n: String(i + 1), colour: MARK_COLOURS[x.kind] }));
}

function seriesChart(m: ReportModel, values: ReadonlyArray<{ t: number; v: number }>, title: string, colour: string): vega.Spec {
  return {
    $schema: "https://vega.github.io/schema/vega/v5.json",
    width: WIDTH,
    height: 180,
    padding: { top: 16, left: 5, right: 5, bottom: 5 },
    data: [
      { name: "samples", values: [...values] },
      { name: "markers", values: markerData(m) },
    ],
    scales: [
      { name: "x", type: "linear", domain: [0, Math.max(m.durationS, 1)], range: "width" },
      { name: "y", type: "linear", domain: { data: "samples", field: "v" }, nice: true, zero: true, range: "height" },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: "seconds since the run started" },
      { orient: "left", scale: "y", title, grid: true },
    ],
    marks: [
      ...markerMarks(),
      { type: "line", from: { data: "samples" }, encode: { enter: { x: { scale: "x", field: "t" }, y: { scale: "y", field: "v" }, stroke: { value: colour }, strokeWidth: { value: 2 } } } },
      { type: "symbol", from: { data: "samples" }, encode: { enter: { x: { scale: "x", field: "t" }, y: { scale: "y", field: "v" }, size: { value: 10 }, fill: { value: colour } } } },
    ],
  };
}

function leaderChart(m: ReportModel): vega.Spec {
  const rows = m.members.map((id) => `zk${id}`);
  return {
    $schema: "https://vega.github.io/schema/vega/v5.json",
    width: WIDTH,
    height: Math.max(60, rows.length * 22),
    padding: { top: 16, left: 5, right: 5, bottom: 5 },
    data: [
      { name: "terms", values: m.leaders.map((l) => ({ row: `zk${l.member}`, t0: l.t0, t1: l.t1, epoch: l.epoch === null ? "?" : String(l.epoch) })) },
      { name: "gaps", values: m.leaderless },
      { name: "markers", values: markerData(m) },
    ],
    scales: [
      { name: "x", type: "linear", domain: [0, Math.max(m.durationS, 1)], range: "width" },
      { name: "y", type: "band", domain: rows, range: "height", padding: 0.2 },
      { name: "colour", type: "ordinal", domain: { data: "terms", field: "epoch" }, range: { scheme: "category10" } },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: "seconds since the run started" },
      { orient: "left", scale: "y", title: "leader" },
    ],
    legends: [{ fill: "colour", title: "epoch", orient: "right" }],
    marks: [
      { type: "rect", from: { data: "gaps" }, encode: { enter: { x: { scale: "x", field: "t0" }, x2: { scale: "x", field: "t1" }, y: { value: 0 }, y2: { signal: "height" }, fill: { value: "#bbbbbb" }, opacity: { value: 0.45 } } } },
      ...markerMarks(),
      {
        type: "rect",
        from: { data: "terms" },
        encode: { enter: { x: { scale: "x", field: "t0" }, x2: { scale: "x", field: "t1" }, y: { scale: "y", field: "row" }, height: { scale: "y", band: 1 }, fill: { scale: "colour", field: "epoch" } } },
      },
    ],
  };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Journal text (error messages, names) may hold markup: raw HTML in the Markdown is shown, never run.
const markdownToHtml = new Marked({ renderer: { html: (token) => escapeHtml(token.text) } });

export async function renderHtml(m: ReportModel): Promise<string> {
  const r = m.report;
  const charts: string[] = [];
  if (m.series.length > 0) {
    charts.push(`<h2>Throughput and latency</h2><figure id="chart-ops">${await svgOf(seriesChart(m, m.series.map((s) => ({ t: s.t, v: s.ops })), "ops/s", "#2c7fb8"))}<figcaption>Operations per second (each dot one second)</figcaption></figure>`);
    charts.push(`<figure id="chart-p99">${await svgOf(seriesChart(m, m.series.map((s) => ({ t: s.t, v: s.p99Ms })), "p99 latency (ms)", "#e67e22"))}<figcaption>p99 latency per second</figcaption></figure>`);
  }
  if (m.kafka.length > 0) {
    const points = m.kafka.map((k) => ({ t: k.t, v: k.recordsPerSec }));
    charts.push(`<h2>Kafka</h2><figure id="chart-kafka">${await svgOf(seriesChart(m, points, "Kafka records/s", "#27ae60"))}<figcaption>Records per second acknowledged by Kafka (the producer perf tool's lines, each over about 5 s), above the leader timeline</figcaption></figure>`);
  }
  if (m.leaders.length + m.leaderless.length > 0) {
    charts.push(`<h2>Leader timeline</h2><figure id="chart-leader">${await svgOf(leaderChart(m))}<figcaption>Who led when; grey: no single leader (election, or quorum lost)</figcaption></figure>`);
  }
  const legend = m.markers.length
    ? `<ol class="markers">${m.markers.map((x) => `<li style="color:${MARK_COLOURS[x.kind]}"><span>${x.t.toFixed(1)} s: ${escapeHtml(x.label)}</span></li>`).join("")}</ol>`
    : "";
  const verdictClass = r.status === "passed" ? "passed" : r.status === "inconclusive" ? "inconclusive" : "failed";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${m.audit.drill}: ${r.status}${r.knownBug ? `: ${knownBugTitle(r.knownBug)}` : ""} (${m.record.testId})`)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1240px;margin:1em auto;padding:0 1em;color:#222}
.verdict{font-size:1.6em;padding:.4em .8em;border-radius:6px;display:inline-block}
.verdict.passed{background:#e3f6e8;color:#1e7b34}.verdict.failed{background:#fde8e6;color:#a93226}.verdict.inconclusive,.verdict.aborted{background:#fff4d6;color:#8a6100}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;font-size:.92em;overflow-wrap:anywhere}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:.85em}figure{margin:1em 0}figcaption{color:#666;font-size:.85em}
svg{max-width:100%;height:auto}
ol.markers{columns:2;font-size:.85em}ol.markers span{color:#222}
@media (max-width:760px){body{margin:.5em auto;padding:0 .5em}main table{display:block;overflow-x:auto}ol.markers{columns:1}}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}figure,tr{break-inside:avoid}h2{break-after:avoid}}
${RECORD_CSS}
</style></head><body>
${recordHtml(m.record, verdictClass, r.knownBug ? knownBugTitle(r.knownBug) : undefined)}
<main>
${charts.join("\n")}
${legend}
${markdownToHtml.parse(markdownBody(m, { observations: true }), { async: false }) as string}
</main>
</body></html>
`;
}
