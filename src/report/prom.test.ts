import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { variantRun } from "../../test/support/runs";
import { readJournal } from "../journal";
import { buildReport } from "./verdict";
import { REPORT_FORMATS, writeReports } from ".";
import { labelValue, renderTextfile } from "./prom";
import { buildRecord } from "./record";

interface Family {
  type: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

/**
 * The Prometheus text format (0.0.4) as node_exporter's textfile collector reads it, strictly: HELP
 * then TYPE before a family's samples, each family once, valid names, quoted and escaped label
 * values, a float value, no timestamp (the collector refuses them), a newline at the end.
 */
function parseTextfile(text: string): Map<string, Family> {
  expect(text.endsWith("\n"), "ends with a newline").to.equal(true);
  const families = new Map<string, Family>();
  let current: string | null = null;
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    const where = `line ${i + 1}: ${line}`;
    const help = new RegExp(`^# HELP (${NAME}) (.+)$`).exec(line);
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (help) {
      expect(families.has(help[1]), `${where}: family declared twice`).to.equal(false);
      families.set(help[1], { type: "", help: help[2], samples: [] });
      current = help[1];
    } else if (type) {
      expect(type[1], where).to.equal(current);
      families.get(type[1])!.type = type[2];
    } else {
      const m = new RegExp(`^(${NAME})\\{((?:${LABEL},?)*)\\} (\\S+)$`).exec(line);
      expect(m, `${where}: not a sample line (name{labels} value, no timestamp)`).to.not.equal(null);
      expect(m![1], `${where}: sample outside its family`).to.equal(current);
      const labels: Record<string, string> = {};
      for (const l of m![2].matchAll(new RegExp(LABEL, "g"))) labels[l[1]] = l[2];
      const value = Number(m![m!.length - 1]);
      expect(Number.isNaN(value), `${where}: value`).to.equal(false);
      families.get(current!)!.samples.push({ labels, value });
    }
  }
  return families;
}

describe("metrics.prom for node_exporter's textfile collector", () => {
  it("parses strictly, and carries last verdict, RTO, RPO, checks and the last run's time per drill", async () => {
    const dir = variantRun({ record: { operator: "Dana" } });
    await writeReports(dir, REPORT_FORMATS.filter((f) => f !== "pdf"));
    const f = parseTextfile(readFileSync(join(dir, "metrics.prom"), "utf8"));
    const one = (name: string, labels: Record<string, string> = {}) => f.get(name)!.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    const drill = { drill: "quickstart-leader-failover", zookeeper_version: "3.9.5" };
    expect([...f.values()].every((x) => x.type === "gauge")).to.equal(true);
    expect(one("zkdrill_drill_last_status", { ...drill, status: "passed" })[0].value).to.equal(1);
    expect(one("zkdrill_drill_last_status").map((s) => s.value).reduce((a, b) => a + b)).to.equal(1);
    expect(one("zkdrill_drill_rto_seconds", drill)[0].value).to.equal(0.513);
    expect(one("zkdrill_drill_rto_objective_seconds", drill)[0].value).to.equal(15);
    expect(one("zkdrill_drill_rpo_seconds", drill)[0].value).to.equal(0);
    expect(one("zkdrill_drill_checks", { status: "passed" })[0].value).to.equal(10);
    expect(one("zkdrill_drill_last_run_timestamp_seconds")[0].value).to.equal(Date.parse("2026-11-23T10:27:41.370Z") / 1000);
    expect(one("zkdrill_drill_objective_met", { objective: "RTO" })[0].value).to.equal(1);
    // Not declared, so not judged: absent rather than a made-up value.
    expect(f.has("zkdrill_drill_rpo_objective_seconds")).to.equal(false);
    expect(f.has("zkdrill_drill_rerun_due_timestamp_seconds")).to.equal(false);
  });

  it("a failed run: status failed, a re-run due time, and label values escaped", () => {
    const events = readJournal(join(variantRun({ drill: 'odd "drill"\\name', failChecks: [0] }), "journal.jsonl"));
    const report = buildReport(events);
    const f = parseTextfile(renderTextfile(report, buildRecord(events, report)));
    const status = f.get("zkdrill_drill_last_status")!.samples.find((s) => s.value === 1)!;
    expect(status.labels).to.include({ status: "failed", drill: 'odd \\"drill\\"\\\\name' });
    expect(f.get("zkdrill_drill_rerun_due_timestamp_seconds")!.samples[0].value).to.equal(Date.parse("2026-12-23T00:00:00Z") / 1000);
    expect(labelValue('a"b\\c\nd')).to.equal('a\\"b\\\\c\\nd');
  });
});
