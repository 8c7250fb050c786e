// The checks: pure verdicts over recorded evidence (srvr answers, the history, the journal's
// samples). They never start, stop or ask anything; the drill gathers, the checks judge.
export * from "./result";
export * from "./ensemble";
export * from "./throughput";
export * from "./lineage";
export * from "./snapshot";
export * from "./writes";
export * from "./sessions";
export * from "./availability";
export * from "./procedures";
export * from "./analysis";
export * from "./registry";
export * from "./from-journal";
export * from "./recorded-run";
export * from "./steady";
export * from "./kafka";
export * from "./kafka-delivery";
export * from "./kafka-throughput";
export * from "./kafka-metadata";
export * from "./wire";
export * from "./reconcile";
export * from "./recipes";
export * from "./read-only";
export * from "./service";
export * from "./ephemerals";
export * from "./disk";
export { earliestExpiryMs, grantedTimeoutMs } from "./clients";
