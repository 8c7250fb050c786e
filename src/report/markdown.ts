// report.md: readable in a code review or a ticket. The DR test record first (what an auditor signs),
// then the figures, what was done and checked, and the audit header an auditor needs to trust it.
import type { ReportModel } from "./model";
import type { KnownBugResult } from "./verdict";
import { knownBugTitle } from "./known-bug";
import { recordMarkdown } from "./record-render";

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const secs = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`);
const icon = (status: string) => (status === "passed" ? "passed" : `**${status.toUpperCase()}**`);

const fmtS = (ms: number | null | undefined) => (ms === null || ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);

/** report.md: the title, the DR test record, then the engineering report. */
export function renderMarkdown(m: ReportModel): string {
  return [`# ${reportTitle(m)}`, "", m.audit.description, "", recordMarkdown(m.record), markdownBody(m)].join("\n");
}

/** "Drill x: PASSED"; a known-bug run's says what it showed: "Drill x: FAILED: ZOOKEEPER-3830 reproduced on 3.5.8". */
export function reportTitle(m: Pick<ReportModel, "audit" | "report">): string {
  const bug = m.report.knownBug;
  return `Drill ${m.audit.drill}: ${m.report.status.toUpperCase()}${bug ? `: ${knownBugTitle(bug)}` : ""}`;
}

/**
 * Everything after the record: report.html shows its own record block above the charts, then this,
 * with every observation (its record block shows the first few, to fit one screen).
 */
export function markdownBody(m: ReportModel, opts: { observations?: boolean } = {}): string {
  const r = m.report;
  const a = m.audit;
  const passed = r.checks.filter((c) => c.status === "passed").length;
  const out: string[] = [];
  out.push("## Figures", "");
  out.push("| | |", "|---|---|");
  out.push(`| Verdict | ${icon(r.status)}: ${esc(r.statusReason)} (${passed}/${r.checks.length} checks passed) |`);
  if (r.headline) out.push(`| Headline outcome | ${icon(r.headline.status)}: ${esc(r.headline.outcome)} (${r.headline.checks.map((c) => `${c.kind} ${c.status}`).join(", ")}) |`);
  if (r.knownBug) out.push(`| Known bug | ${knownBugCell(r.knownBug)} |`);
  if (r.origin) out.push(`| Procedure | ${esc(r.procedure)} (${esc(r.origin)}) |`);
  out.push(`| RTO (longest clients' outage: last acknowledged write before it to the first after the fault) | ${r.metrics.rtoMs === null ? "not measured (no fault while the workload ran)" : fmtS(r.metrics.rtoMs)} |`);
  out.push(`| Longest window without an acknowledged write | ${fmtS(r.metrics.longestWriteGapMs)} |`);
  out.push(`| RPO | ${r.metrics.rpo ?? (r.metrics.writesLost === null ? "not measured" : `${r.metrics.writesLost} acknowledged write(s) lost`)} |`);
  out.push(`| Writes acknowledged / lost (distinct) | ${r.metrics.writesAcked ?? "-"} / ${r.metrics.writesLost ?? "-"} |`);
  out.push(`| Started / ended (UTC) | ${a.startedAt} / ${a.endedAt ?? "never (no run-end record)"}${r.status === "aborted" ? " (interrupted)" : ""} |`);
  out.push(`| Wall time | ${m.durationS.toFixed(1)} s${a.quick ? " (quick mode)" : ""} |`);
  if (r.error) out.push(`| Error | ${esc(r.error.split("\n")[0])} |`);
  out.push("");

  if (opts.observations && m.record.findings.length > 0) {
    out.push("## Observations", "", "| Severity | Observation | Detail |", "|---|---|---|");
    for (const f of m.record.findings) out.push(`| ${f.severity} | ${esc(f.title)} | ${esc(f.detail)} |`);
    out.push("");
  }

  if (r.faults.length > 0) {
    const outageRows = r.faults.some((f) => f.outage !== undefined);
    out.push("## Recovery per fault", "");
    if (outageRows) {
      out.push("| Fault | At (s) | Clients' outage | Engine (injection) | Detection | Election | Sync | Reconnection | Elections ZooKeeper logged |", "|---|---|---|---|---|---|---|---|---|");
    } else {
      out.push("| Fault | At (s) | RTO | Elections ZooKeeper logged |", "|---|---|---|---|");
    }
    for (const f of r.faults) {
      const elections = f.elections.map((e) => `zk${e.member}: ${e.tookMs} ms`).join(", ") || "-";
      const at = ((f.at - m.t0) / 1000).toFixed(1);
      if (!outageRows) {
        out.push(`| ${esc(f.fault)} | ${at} | ${f.rtoMs === null ? esc(f.unmeasured ?? "-") : fmtS(f.rtoMs)} | ${elections} |`);
        continue;
      }
      const outage = f.rtoMs === null ? esc(f.unmeasured ?? "-") : f.within ? `${fmtS(f.rtoMs)} (inside ${esc(f.within)}'s)` : fmtS(f.rtoMs);
      const note = f.expectOutage ? ` (expected: ${esc(f.expectOutage)})` : "";
      const p = f.parts;
      const ms = (v: number | null | undefined) => (v === null || v === undefined ? "-" : `${v} ms`);
      out.push(`| ${esc(f.fault)} | ${at} | ${outage}${note} | ${p ? ms(p.injectionMs) : "-"} | ${ms(p?.detectionMs)} | ${ms(p?.electionMs)} | ${ms(p?.syncMs)} | ${ms(p?.reconnectionMs)} | ${elections} |`);
    }
    out.push(
      "",
      outageRows
        ? "Clients' outage: from the last write acknowledged before it to the first write invoked after the fault took effect and acknowledged; a fault that interrupted nothing shows the workload's ordinary gap. Its parts, each from its own source: the engine's time to inject the fault (the harness's, not ZooKeeper's), then from ZooKeeper's logs the new leader's detection (last acknowledgement to its election starting), election (\"LEADER ELECTION TOOK\") and sync (to \"Have quorum of supporters\"), and the clients' reconnection (to the first acknowledged write)."
        : "RTO: from the fault to the first write that was invoked after the fault had taken effect and was acknowledged. ZooKeeper's own figure (\"LEADER ELECTION TOOK\") is the election alone; the difference is detection and the clients' recovery.",
      "",
    );
  }

  out.push("## Steps", "", "| # | Step | Status | Duration | Started (UTC) |", "|---|---|---|---|---|");
  m.steps.forEach((s, i) => out.push(`| ${i + 1} | ${esc(s.name)} | ${icon(s.status)}${s.error ? `: ${esc(s.error)}` : ""} | ${secs(s.durationMs)} | ${s.startedAt} |`));
  out.push("");

  out.push("## Checks", "", "| Check | Status | Evidence |", "|---|---|---|");
  for (const c of r.checks) out.push(`| ${esc(c.name)}${c.auto ? " (from the history)" : ""} | ${icon(c.status)} | ${esc(c.summary)} |`);
  out.push("");

  const phases = Object.entries(r.metrics.throughputByPhase);
  if (phases.length > 0) {
    out.push("## Throughput per phase", "", "| Phase | ops/s |", "|---|---|");
    for (const [name, ops] of phases) out.push(`| ${esc(name)} | ${ops} |`);
    out.push("");
  }

  if (m.versions.length > 1) {
    const ids = Object.keys(m.versions[0].versions);
    out.push("## Member versions", "", `| At (s) | ${ids.map((id) => `member ${id}`).join(" | ")} |`, `|---|${ids.map(() => "---|").join("")}`);
    for (const v of m.versions) out.push(`| ${v.t.toFixed(1)} | ${ids.map((id) => v.versions[id] ?? "-").join(" | ")} |`);
    out.push("");
  }

  if (m.leaders.length > 0) {
    out.push("## Leadership", "", "| From (s) | To (s) | Leader | Epoch |", "|---|---|---|---|");
    const rows = [...m.leaders.map((l) => ({ ...l, who: `member ${l.member}` })), ...m.leaderless.map((g) => ({ ...g, who: "none (election or quorum lost)", epoch: null }))].sort((x, y) => x.t0 - y.t0);
    for (const l of rows) out.push(`| ${l.t0.toFixed(1)} | ${l.t1.toFixed(1)} | ${l.who} | ${l.epoch ?? "-"} |`);
    out.push("");
  }

  out.push("## Audit", "");
  out.push("| | |", "|---|---|");
  out.push(`| Drill version (git commit) | \`${a.gitCommit}\` |`);
  out.push(`| Run by | ${a.user} on ${a.host}${a.ciRunId ? ` (CI run ${a.ciRunId})` : ""}, Node ${a.node} |`);
  out.push(`| Run id / seed | ${a.runId} / ${a.seed} (replay: \`zkdrill run ${a.drill} --seed ${a.seed}\`) |`);
  if (a.drillFile) out.push(`| Drill file | ${a.drillFile.inRepository ? `\`${a.drillFile.path}\` (in the repository)` : `\`${a.drillFile.path}\``}, SHA-256 \`${a.drillFile.sha256}\` |`);
  out.push(`| Engine / kernel | ${a.engine} / ${a.kernel} |`);
  out.push(`| ZooKeeper | ${a.zookeeperVersion} |`);
  for (const [what, img] of Object.entries(a.images)) out.push(`| Image: ${what} | ${img.name} (${img.kind}) \`${img.id}\` |`);
  out.push(`| Network | ${a.network} |`);
  if (m.history) out.push(`| History | ${m.history.lines} lines, SHA-256 \`${m.history.sha256}\` (anchored in the journal) |`);
  out.push("");
  out.push("### Topology", "", "```json", JSON.stringify(m.topologyYaml, null, 2), "```", "");
  out.push("### Configuration each member started with", "");
  for (const [id, files] of Object.entries(m.configs)) {
    for (const [name, content] of Object.entries(files)) out.push(`member ${id}, \`${name}\`:`, "", "```", content.trimEnd(), "```", "");
  }
  if (m.configChanges.length > 0) {
    out.push("### Configuration rewritten during the drill", "");
    for (const c of m.configChanges) out.push(`member ${c.member}, at ${c.t.toFixed(1)} s:`, "", "```", c.config.trimEnd(), "```", "");
  }
  out.push("### Artifacts (SHA-256)", "", "| File | Bytes | SHA-256 |", "|---|---|---|");
  for (const f of m.artifacts) out.push(`| ${f.path} | ${f.bytes} | \`${f.sha256}\` |`);
  out.push("", "The renderings (this file, report.html, report.pdf, junit.xml, metrics.prom) are hashed in SHA256SUMS; `zkdrill report verify <dir>` checks the journal's hash chain and every hash.", "");
  return out.join("\n");
}

/** The issue, its versions, this run's version and whether the symptom showed; the quote with its source. */
export function knownBugCell(b: KnownBugResult): string {
  const shown = b.outcome === "reproduced" ? "**REPRODUCED**" : b.outcome;
  const issue = esc(`${b.title}: affects ${b.affects.join(", ")}; fixed in ${b.fixedIn.join(", ")}. This run on ${b.version} (${b.stance}): `);
  const evidence = esc(` (its ${b.evidence.check} check: ${b.evidence.names}). The issue: "${b.symptom.quote}" (${b.symptom.source})${b.note ? `. ${b.note}` : ""}`);
  return `[${b.jira}](${b.url}) ${issue}${shown}${evidence}`;
}
