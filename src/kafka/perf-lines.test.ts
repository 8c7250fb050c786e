import { expect } from "chai";
import { parsePerfLine, settled, splitTimestamp } from "./perf-lines";

describe("the producer perf tool's lines", () => {
  it("reads seed 003's 5-second line", () => {
    expect(parsePerfLine("557475 records sent, 111495.0 records/sec (108.88 MB/sec), 276.4 ms avg latency, 346.0 ms max latency.")).to.deep.equal({
      kind: "window",
      records: 557475,
      recordsPerSec: 111495,
      mbPerSec: 108.88,
      avgMs: 276.4,
      maxMs: 346,
    });
  });

  it("reads the final line with its percentiles (Kafka 3.9 prints records/sec unrounded)", () => {
    const l = parsePerfLine("300000 records sent, 7717.240315 records/sec (7.54 MB/sec), 3804.43 ms avg latency, 9122.00 ms max latency, 3114 ms 50th, 7308 ms 95th, 8743 ms 99th, 8963 ms 99.9th.");
    expect(l).to.deep.include({ kind: "total", records: 300000, recordsPerSec: 7717.240315, p50Ms: 3114, p95Ms: 7308, p99Ms: 8743, p999Ms: 8963 });
  });

  it("ignores warnings, blank lines and the ZooKeeper workload's own line", () => {
    expect(parsePerfLine("")).to.equal(null);
    expect(parsePerfLine("[2026-11-23 12:00:00,000] WARN [Producer clientId=perf-producer-client] Got error produce response (org.apache.kafka.clients.producer.internals.Sender)")).to.equal(null);
    expect(parsePerfLine("100 ops acknowledged, 100.0 ops/sec, 4.1 ms avg latency, 11.0 ms max latency, 0 errors.")).to.equal(null);
  });

  it("splits Docker's timestamp (nanoseconds) from the text", () => {
    const s = splitTimestamp("2026-11-23T12:32:22.667123456Z 11554 records sent, 2306.6 records/sec (2.25 MB/sec), 2479.8 ms avg latency, 4216.0 ms max latency.");
    expect(s.at).to.equal(Date.parse("2026-11-23T12:32:22.667Z"));
    expect(parsePerfLine(s.text)?.records).to.equal(11554);
    expect(splitTimestamp("no stamp").at).to.equal(null);
  });

  it("settled: the last three windows within 30 % of their mean and not climbing; a warm-up still climbing is not", () => {
    expect(settled([370, 1349, 1921, 2271, 2631])).to.equal(false);
    expect(settled([8163, 11286, 14211])).to.equal(false);
    expect(settled([11286, 14211, 13812])).to.equal(false);
    expect(settled([8163, 11286, 14211, 13812, 11598])).to.equal(true);
    expect(settled([16000, 17000])).to.equal(false);
    expect(settled([0, 0, 0])).to.equal(false);
  });
});
