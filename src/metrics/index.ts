// The live OpenMetrics endpoint.
export { startMetricsServer } from "./server";
