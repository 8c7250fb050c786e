// junit.xml: one test case per check (and a failing case for a run that broke before judging),
// so CI dashboards show a drill like a test suite.
import builder from "junit-report-builder";
import type { ReportModel } from "./model";

export function renderJunit(m: ReportModel): string {
  const r = m.report;
  const b = builder.newBuilder();
  const suite = b
    .testSuite()
    .name(`zkdrill.${m.audit.drill}`)
    .timestamp(r.startedAt)
    .time(m.durationS)
    .property("seed", String(m.audit.seed))
    .property("zookeeperVersion", m.audit.zookeeperVersion)
    .property("gitCommit", m.audit.gitCommit)
    .property("runId", m.audit.runId)
    .property("status", r.status)
    // The DR test record's who and why, for CI dashboards that show suite properties.
    .property("testType", m.record.type)
    .property("operator", m.record.who.lead ?? "")
    .property("observers", m.record.who.observers.join(", "))
    .property("ticket", m.record.ticket ?? "")
    .property("scenario", m.record.scenario);
  const className = `zkdrill.${m.audit.drill}`;
  for (const c of r.checks) {
    const tc = suite.testCase().className(className).name(c.name).standardOutput(`${c.summary}\nevidence: ${JSON.stringify(c.evidence)}`);
    if (c.status === "failed") tc.failure(c.summary, "CheckFailed");
    // No evidence is not a pass: CI sees it as a failure of its own kind.
    if (c.status === "inconclusive") tc.failure(c.summary, "Inconclusive");
  }
  // A run that failed outside a check (a step's error) or was aborted still fails in CI.
  const failedCheck = r.checks.some((c) => c.status !== "passed");
  // An interrupted run always says so in CI, whatever its checks had judged by then.
  if (r.status === "aborted" || (r.status !== "passed" && !failedCheck)) {
    suite
      .testCase()
      .className(className)
      .name(r.status === "aborted" ? "run completed" : "drill steps completed")
      .error(r.error ?? r.statusReason, r.status === "aborted" ? "Aborted" : "StepFailed");
  }
  return b.build();
}
