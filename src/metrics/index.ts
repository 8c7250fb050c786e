// The live OpenMetrics endpoint.
export { startMetricsServer, type MetricsServer } from "./server";
