// The DR test record as the first thing a reader sees: in report.md a section of its own, in
// report.html a block that fits one desktop screen (1366x768) above the charts, and in print.
import type { DrillRecord, ObjectiveRow, RecordFinding } from "./record";

/** Blank rows the team fills in (actions found in the review, beyond the re-run). */
const BLANK_ACTIONS = 2;
/** Findings shown in the HTML record before "and N more": the record stays on one screen. */
const HTML_FINDINGS = 5;

const num = (v: number | null, unit: string) => (v === null ? "-" : unit === "s" ? `${v.toFixed(2)} s` : unit === "of baseline" ? `${Math.round(v * 100)}% of baseline` : `${v} ${unit}`);

export function objectiveText(o: ObjectiveRow): string {
  if (o.objective === null) return "none declared";
  return `${o.what === "Throughput floor" || o.what === "Throughput during faults" ? "at least" : "at most"} ${num(o.objective, o.unit)}`;
}

const resultWord = (o: ObjectiveRow) => (o.result === "met" ? "MET" : o.result === "missed" ? "MISSED" : o.result === "not judged" ? "NOT JUDGED" : "no objective");

function whoText(r: DrillRecord): string {
  const lead = r.who.lead ?? "not recorded (give --operator)";
  const obs = r.who.observers.length ? r.who.observers.join(", ") : "none recorded";
  return `lead ${lead}; observers ${obs}; run by ${r.who.ranBy}${r.who.ciRunId ? ` (CI run ${r.who.ciRunId})` : ""}`;
}

function whenText(r: DrillRecord): string {
  return `${r.when.startedAt} to ${r.when.endedAt ?? "(interrupted: no end)"}, ${r.when.durationS.toFixed(1)} s${r.quick ? " (quick mode)" : ""}`;
}

// ---------------------------------------------------------------- Markdown

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function recordMarkdown(r: DrillRecord): string {
  const out: string[] = [];
  out.push("## DR test record", "");
  out.push("| | |", "|---|---|");
  out.push(`| Test id | \`${r.testId}\` |`);
  out.push(`| Type | ${esc(r.type)} |`);
  out.push(`| Result | **${r.verdict.toUpperCase()}**: ${esc(r.verdictReason)} |`);
  if (r.headline) out.push(`| Headline outcome | ${r.headline.status}: ${esc(r.headline.outcome)} |`);
  if (r.reconciliation) out.push(`| Members reconciled | ${r.reconciliation.status === "failed" ? "**FAILED**" : r.reconciliation.status}: ${esc(r.reconciliation.line)} |`);
  out.push(`| Scenario | ${esc(r.scenario)} |`);
  out.push(`| Procedure | ${esc(r.procedure)} (drill \`${r.drill}\`) |`);
  out.push(`| Scope | ${esc(r.scope.summary)} |`);
  out.push(`| When (UTC) | ${esc(whenText(r))} |`);
  out.push(`| Who | ${esc(whoText(r))} |`);
  out.push(`| Change / ticket | ${r.ticket ? esc(r.ticket) : "none recorded (give --ticket)"} |`);
  out.push(`| Drill version | \`${r.drillVersion}\`, seed ${r.seed} |`);
  if (r.reRunBy) out.push(`| Re-run due | by ${r.reRunBy} (a ${r.verdict} test is re-run within 30 days) |`);
  out.push("");
  out.push("### Objectives against measured", "", "| | Objective | Measured | Result | How |", "|---|---|---|---|---|");
  for (const o of r.objectives) out.push(`| ${o.what} | ${objectiveText(o)} | ${num(o.measured, o.unit)} | ${o.result === "missed" || o.result === "not judged" ? `**${resultWord(o)}**` : resultWord(o)} | ${esc(o.detail)} |`);
  out.push("");
  out.push("### Observations", "");
  if (r.findings.length === 0) out.push("None: every check passed and no figure was flagged.", "");
  else {
    out.push("| Severity | Observation | Detail |", "|---|---|---|");
    for (const f of r.findings) out.push(`| ${f.severity} | ${esc(f.title)} | ${esc(f.detail)} |`);
    out.push("");
  }
  out.push("### Actions", "", "| Action | Owner | Due |", "|---|---|---|");
  for (const a of r.actions) out.push(`| ${esc(a.action)} | ${esc(a.owner)} | ${a.due} |`);
  for (let i = 0; i < BLANK_ACTIONS; i++) out.push("| | | |");
  out.push("");
  out.push("### Sign-off", "", "| Role | Name | Signature | Date |", "|---|---|---|---|");
  for (const s of r.signOff) out.push(`| ${s.role} | ${s.name ? esc(s.name) : ""} | | |`);
  out.push("");
  return out.join("\n");
}

// ---------------------------------------------------------------- HTML

const h = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The record's own styles; compact so it reads on one 1366x768 screen, stacked on a phone. */
export const RECORD_CSS = `
#record{border:1px solid #ccd;border-radius:8px;padding:.6em .9em;margin:0 0 1.2em;font-size:.88em;line-height:1.3}
#record h1{font-size:1.25em;margin:0 0 .4em;display:flex;flex-wrap:wrap;gap:.4em;align-items:baseline}
#record h1 .verdict{font-size:1em;padding:.1em .5em}
#record h1 .testid{font:500 .7em ui-monospace,monospace;color:#555;overflow-wrap:anywhere}
#record h2{font-size:1em;margin:.5em 0 .25em;color:#334}
#record .grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 1.4em}
#record dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.12em .7em;margin:0}
#record dt{color:#556;font-weight:600}#record dd{margin:0;overflow-wrap:anywhere}
#record table{width:100%;margin:0;border-collapse:collapse}#record td,#record th{padding:.15em .4em;font-size:.95em;text-align:left}
#record .met{color:#1e7b34;font-weight:700}#record .missed{color:#a93226;font-weight:700}#record .not-judged{color:#8a6100;font-weight:700}#record .measured-only{color:#555}
#record th,#record td{overflow-wrap:break-word}#record td.result{white-space:nowrap}#record .sev{font-weight:700;text-transform:uppercase;font-size:.8em;white-space:nowrap}#record .sev.critical,#record .sev.high{color:#a93226}#record .sev.medium{color:#8a6100}#record .sev.low,#record .sev.info{color:#556}
#record .fill td{height:1.35em}#record .more{color:#556;margin:.2em 0 0}
#record .clip{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
#record .clip4{display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
@media screen and (max-width:760px){#record .grid{grid-template-columns:minmax(0,1fr)}#record .grid>.figures{order:-1}#record td.result{white-space:normal}#record dl{grid-template-columns:minmax(0,1fr)}#record dt{margin-top:.3em}}
#record tr.extra{display:none}#record td.due{white-space:nowrap}
@media print{#record{break-inside:avoid;border-color:#999}#record .grid{grid-template-columns:minmax(0,1fr)}#record .clip,#record .clip4{display:block}#record tr.extra{display:table-row}#record .more{display:none}#record .signoff .fill td{height:2.2em}}
`;

function objectivesTable(r: DrillRecord): string {
  const rows = r.objectives.map((o) => {
    const cls = o.result.replace(" ", "-").replace("no-objective", "measured-only");
    return `<tr><th>${o.what}</th><td>${h(objectiveText(o))}</td><td>${h(num(o.measured, o.unit))}</td><td class="result ${cls}">${resultWord(o)}</td></tr>`;
  });
  return `<table class="objectives"><thead><tr><th></th><th>Objective</th><th>Measured</th><th>Result</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function findingsBlock(r: DrillRecord): string {
  if (r.findings.length === 0) return `<p>None: every check passed and no figure was flagged.</p>`;
  // Every observation is in the page; those past the first few show in print only (the screen says "and N more").
  const row = (f: RecordFinding, i: number) => `<tr${i >= HTML_FINDINGS ? ' class="extra"' : ""}><td class="sev ${f.severity}">${f.severity}</td><td><div class="clip" title="${h(f.detail)}"><b>${h(f.title)}</b>: ${h(f.detail)}</div></td></tr>`;
  const more = r.findings.length - HTML_FINDINGS;
  return `<table class="findings"><tbody>${r.findings.map(row).join("")}</tbody></table>${more > 0 ? `<p class="more">and ${more} more: see Observations and Checks below</p>` : ""}`;
}

function actionsTable(r: DrillRecord): string {
  const rows = r.actions.map((a) => `<tr><td>${h(a.action)}</td><td>${h(a.owner)}</td><td class="due">${a.due}</td></tr>`);
  for (let i = 0; i < BLANK_ACTIONS; i++) rows.push(`<tr class="fill"><td></td><td></td><td></td></tr>`);
  return `<table class="actions"><thead><tr><th>Action</th><th>Owner</th><th>Due</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function signOffTable(r: DrillRecord): string {
  const rows = r.signOff.map((s) => `<tr class="fill"><th>${s.role}</th><td>${s.name ? h(s.name) : ""}</td><td></td><td></td></tr>`);
  return `<table class="signoff"><thead><tr><th>Role</th><th>Name</th><th>Signature</th><th>Date</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The record block; `verdictClass` is the page's own verdict colouring; `outcome`: what a known-bug run showed, beside the verdict. */
export function recordHtml(r: DrillRecord, verdictClass: string, outcome?: string): string {
  const facts: Array<[string, string]> = [
    ["Type", h(r.type)],
    // A long scenario is cut to four lines here (the full text: its tooltip, report.md, the PDF).
    ["Scenario", `<div class="clip4" title="${h(r.scenario)}">${h(r.scenario)}</div>`],
    ["Scope", h(r.scope.summary)],
    ["When (UTC)", h(whenText(r))],
    ["Who", h(whoText(r))],
    ["Ticket", r.ticket ? h(r.ticket) : "none recorded"],
    ["Procedure", `${h(r.procedure)}; drill <code>${h(r.drill)}</code> at <code>${h(r.drillVersion.slice(0, 12))}</code>, seed ${r.seed}`],
    ["Result", `${h(r.verdictReason)}${r.reRunBy ? `; <b>re-run due by ${r.reRunBy}</b>` : ""}`],
    ...(r.headline ? [["Headline outcome", `<b>${h(r.headline.status)}</b>: ${h(r.headline.outcome)}`] as [string, string]] : []),
    ...(r.reconciliation ? [["Members reconciled", `<b>${h(r.reconciliation.status)}</b>: <div class="clip" title="${h(r.reconciliation.line)}">${h(r.reconciliation.line)}</div>`] as [string, string]] : []),
  ];
  return `<section id="record" aria-label="DR test record">
<h1><span class="verdict ${verdictClass}">${h(r.drill)}: ${r.verdict.toUpperCase()}</span>${outcome ? `<span class="outcome">${h(outcome)}</span>` : ""}<span>DR test record</span><span class="testid">${h(r.testId)}</span></h1>
<div class="grid">
<div><dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl></div>
<div class="figures"><h2>Objectives against measured</h2>${objectivesTable(r)}<h2>Observations (${r.findings.length})</h2>${findingsBlock(r)}</div>
<div><h2>Actions</h2>${actionsTable(r)}</div>
<div><h2>Sign-off</h2>${signOffTable(r)}</div>
</div>
</section>`;
}
