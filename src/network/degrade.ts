// A degraded link between zones, on top of its latency (Toxiproxy's toxics): a bandwidth cap,
// slicing (small delayed chunks), slow closes, extra latency. Pure: which toxics on which proxy.
import type { Topology, ZoneName } from "../topology";
import { CutError, ProxySpec, Stream, ToxicSpec } from "./wiring";

export interface Degradation {
  readonly from: readonly ZoneName[];
  readonly to: readonly ZoneName[];
  /** Only bytes from `from` to `to` are degraded (default: both ways). */
  readonly oneWay?: boolean;
  /** KB/s each way. */
  readonly bandwidthKBps?: number;
  /** Bytes cut into chunks of about this size (± variation), each delayed (Toxiproxy's slicer). */
  readonly slicer?: { readonly averageBytes: number; readonly variationBytes?: number; readonly delayUs?: number };
  /** A close waits this long before it reaches the other side (Toxiproxy's slow_close). */
  readonly slowCloseMs?: number;
  /** Added to the link's round trip, split half each way. */
  readonly extraLatencyMs?: number;
}

export function validateDegradation(t: Topology, d: Degradation): void {
  const zones = t.zones.map((z) => z.name);
  for (const field of ["from", "to"] as const) {
    if (d[field].length === 0) throw new CutError(`degrade.${field}: empty; name at least one zone of ${zones.join(", ")}`);
    for (const z of d[field]) if (!zones.includes(z)) throw new CutError(`degrade.${field}: "${z}" is not a zone; zones are ${zones.join(", ")}`);
  }
  if (d.from.some((z) => d.to.includes(z))) throw new CutError("degrade: a zone is on both sides; a zone's own links have no gateway to degrade");
  const positive = (v: number | undefined, field: string, unit: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new CutError(`degrade.${field}: ${v} must be a whole number of ${unit} above 0 (Toxiproxy takes integers)`);
  };
  positive(d.bandwidthKBps, "bandwidthKBps", "KB/s");
  positive(d.slowCloseMs, "slowCloseMs", "ms");
  positive(d.extraLatencyMs, "extraLatencyMs", "ms");
  if (d.slicer) {
    positive(d.slicer.averageBytes, "slicer.averageBytes", "bytes");
    if (d.slicer.variationBytes !== undefined && !(d.slicer.variationBytes >= 0 && d.slicer.variationBytes < d.slicer.averageBytes)) {
      throw new CutError(`degrade.slicer.variationBytes: ${d.slicer.variationBytes} must be 0 or more and below averageBytes (${d.slicer.averageBytes})`);
    }
  }
  if (d.bandwidthKBps === undefined && !d.slicer && d.slowCloseMs === undefined && d.extraLatencyMs === undefined) {
    throw new CutError("degrade: nothing to degrade; give bandwidthKBps, slicer, slowCloseMs or extraLatencyMs");
  }
}

/** The streams of a proxy (in front of a member in `gatewayZone`, serving `proxy.sourceZone`) the degradation reaches. */
export function degradedStreams(gatewayZone: ZoneName, proxy: ProxySpec, d: Degradation): Stream[] {
  const s = proxy.sourceZone;
  const out: Stream[] = [];
  // Upstream carries source -> member bytes; downstream member -> source.
  if ((d.from.includes(s) && d.to.includes(gatewayZone)) || (!d.oneWay && d.to.includes(s) && d.from.includes(gatewayZone))) out.push("upstream");
  if ((d.from.includes(gatewayZone) && d.to.includes(s)) || (!d.oneWay && d.to.includes(gatewayZone) && d.from.includes(s))) out.push("downstream");
  return out;
}

/** The toxics of one degraded stream, named with `tag` so several degradations and the link's own toxics never clash. */
export function degradationToxics(d: Degradation, stream: Stream, tag: string): ToxicSpec[] {
  const out: ToxicSpec[] = [];
  const name = (type: string) => `${tag}-${type}-${stream}`;
  if (d.extraLatencyMs !== undefined) {
    const half = stream === "upstream" ? Math.floor(d.extraLatencyMs / 2) : d.extraLatencyMs - Math.floor(d.extraLatencyMs / 2);
    if (half > 0) out.push({ name: name("latency"), type: "latency", stream, attributes: { latency: half, jitter: 0 } });
  }
  if (d.bandwidthKBps !== undefined) out.push({ name: name("bandwidth"), type: "bandwidth", stream, attributes: { rate: d.bandwidthKBps } });
  if (d.slicer) {
    out.push({ name: name("slicer"), type: "slicer", stream, attributes: { average_size: d.slicer.averageBytes, size_variation: d.slicer.variationBytes ?? 0, delay: d.slicer.delayUs ?? 0 } });
  }
  if (d.slowCloseMs !== undefined) out.push({ name: name("slow_close"), type: "slow_close", stream, attributes: { delay: d.slowCloseMs } });
  return out;
}

export function describeDegradation(d: Degradation): string {
  const what = [
    d.bandwidthKBps !== undefined ? `${d.bandwidthKBps} KB/s` : "",
    d.slicer ? `sliced into ~${d.slicer.averageBytes} B chunks${d.slicer.delayUs ? ` ${d.slicer.delayUs} µs apart` : ""}` : "",
    d.slowCloseMs !== undefined ? `closes ${d.slowCloseMs} ms late` : "",
    d.extraLatencyMs !== undefined ? `+${d.extraLatencyMs} ms round trip` : "",
  ].filter(Boolean);
  return `${d.from.join("+")} ${d.oneWay ? "->" : "<->"} ${d.to.join("+")}: ${what.join(", ")}`;
}
