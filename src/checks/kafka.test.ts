import { expect } from "chai";
import { brokersRegistered, controllerEpochRose, KafkaReading, oneController, partitionsLed, registrationExpired } from "./kafka";
import { deliveryFigure, everyAckedRecordConsumed, RecordRef } from "./kafka-delivery";
import { kafkaPhaseRate, kafkaThroughputHolds, KafkaWindow } from "./kafka-throughput";

const reading = (over: Partial<KafkaReading> = {}): KafkaReading => ({
  registered: [1, 2, 3],
  controller: 1,
  controllerEpoch: 1,
  partitions: [
    { topic: "t", partition: 0, leader: 1, isr: [1, 2, 3] },
    { topic: "t", partition: 1, leader: 2, isr: [1, 2, 3] },
  ],
  errors: {},
  ...over,
});

describe("Kafka's znodes, judged", () => {
  it("registration: passes with every running broker registered; a dead one still registered is only said", () => {
    const r = brokersRegistered({ reading: reading(), running: [1, 2] });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.include("3 not running but still registered");
  });

  it("registration: fails naming a running broker that is not registered", () => {
    const r = brokersRegistered({ reading: reading({ registered: [1, 3] }), running: [1, 2, 3] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("running but not registered: 2");
  });

  it("registration: inconclusive when ZooKeeper could not be read, or nothing runs", () => {
    expect(brokersRegistered({ reading: reading({ registered: [], errors: { "/kafka/brokers/ids": "CONNECTION_LOSS" } }), running: [1] }).status).to.equal("inconclusive");
    expect(brokersRegistered({ reading: reading(), running: [] }).status).to.equal("inconclusive");
  });

  it("one controller: fails with no /controller, and with a controller that does not run", () => {
    expect(oneController({ reading: reading(), running: [1, 2, 3] }).status).to.equal("passed");
    expect(oneController({ reading: reading({ controller: null }), running: [1, 2, 3] }).summary).to.include("no /controller znode");
    const r = oneController({ reading: reading({ controller: 3 }), running: [1, 2] });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("broker 3, which is not running");
  });

  it("controller epoch: passes when another broker controls with a higher epoch; fails when the epoch stays", () => {
    expect(controllerEpochRose({ before: { controller: 1, epoch: 1 }, after: { controller: 3, epoch: 2 }, failoverMs: 5800 }).summary).to.equal("controller 1 -> 3 in 5.80 s, epoch 1 -> 2");
    expect(controllerEpochRose({ before: { controller: 1, epoch: 1 }, after: { controller: 1, epoch: 1 } }).status).to.equal("failed");
    expect(controllerEpochRose({ before: { controller: 1, epoch: 1 }, after: { controller: null, epoch: null } }).summary).to.include("no controller after the fault");
    expect(controllerEpochRose({ before: { controller: null, epoch: null }, after: { controller: 2, epoch: 2 } }).status).to.equal("inconclusive");
  });

  it("partition states: fail naming a dead leader, a dead ISR member, and no leader", () => {
    expect(partitionsLed({ reading: reading(), running: [1, 2, 3], topics: ["t"] }).status).to.equal("passed");
    const dead = partitionsLed({ reading: reading(), running: [2, 3], topics: ["t"] });
    expect(dead.status).to.equal("failed");
    expect(dead.summary).to.include("t-0: leader 1 is not running");
    expect(dead.summary).to.include("holds 1, not running");
    const none = partitionsLed({ reading: reading({ partitions: [{ topic: "t", partition: 0, leader: -1, isr: [2] }] }), running: [2, 3], topics: ["t"] });
    expect(none.summary).to.include("t-0: no leader");
    expect(partitionsLed({ reading: reading({ partitions: [] }), running: [1], topics: ["t"] }).status).to.equal("inconclusive");
  });

  it("registration expiry: passes after two thirds of the negotiated timeout, fails before it and when it never goes", () => {
    const base = { broker: 1, killedAt: 1_000, requestedMs: 6_000, tickTime: 2_000, watchedUntil: 30_000 };
    expect(registrationExpired({ ...base, vanishedAt: 1_000 + 5_710 }).status).to.equal("passed");
    const early = registrationExpired({ ...base, vanishedAt: 1_000 + 1_500 });
    expect(early.status).to.equal("failed");
    expect(early.summary).to.include("not before 4.00 s");
    expect(registrationExpired({ ...base, vanishedAt: null }).summary).to.include("still registered 29.0 s after the kill");
    // ZooKeeper raises a request under two ticks to two ticks: the bound follows the negotiated timeout.
    expect(registrationExpired({ ...base, requestedMs: 1_000, vanishedAt: 1_000 + 2_000 }).status).to.equal("failed");
  });
});

describe("acknowledged minus consumed (acks=all)", () => {
  const acked: RecordRef[] = [
    [0, 0, "0"],
    [0, 1, "1"],
    [1, 0, "2"],
  ];

  it("passes when every acknowledged record is read, counting duplicates and unacknowledged reads", () => {
    const r = everyAckedRecordConsumed({ topic: "t", acked, consumed: [...acked, [0, 1, "1"], [1, 1, "9"]], sendErrors: 1, consumerStopped: "read past every acknowledged offset" });
    expect(r.status).to.equal("passed");
    expect(r.summary).to.equal("3 acknowledged, all consumed; 1 duplicate(s), 1 read but never acknowledged, 1 send error(s)");
  });

  it("fails naming each lost record by value, partition and offset: the consumer read past their offsets without them", () => {
    const consumed: RecordRef[] = [[0, 2, "other"], [1, 0, "2"]];
    const r = everyAckedRecordConsumed({ topic: "t", acked, consumed, sendErrors: 0, consumerStopped: "read past every acknowledged offset" });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("2 of 3 acknowledged record(s) lost: value 0 (partition 0, offset 0); value 1 (partition 0, offset 1)");
    expect(deliveryFigure({ acked, consumed }).lost).to.deep.equal([acked[0], acked[1]]);
  });

  it("is inconclusive, not failed, for records past where a consumer stopped by its deadline got to", () => {
    const r = everyAckedRecordConsumed({ topic: "t", acked, consumed: [[0, 0, "0"], [1, 0, "2"]], sendErrors: 0, consumerStopped: "deadline of 120 s passed (partition 0 read to 0 of 1)" });
    expect([r.status, r.summary]).to.deep.equal(["inconclusive", "inconclusive: 1 of 3 acknowledged record(s) not read: the consumer stopped first (deadline of 120 s passed (partition 0 read to 0 of 1)); 0 duplicate(s), 0 read but never acknowledged, 0 send error(s)"]);
  });

  it("is inconclusive with nothing acknowledged", () => {
    expect(everyAckedRecordConsumed({ topic: "t", acked: [], consumed: [], sendErrors: 5, consumerStopped: "x" }).status).to.equal("inconclusive");
  });
});

describe("Kafka's records/s per phase (5-second windows)", () => {
  const windows: KafkaWindow[] = [5, 10, 15, 20, 25, 30].map((s) => ({ at: s * 1000, windowMs: 5000, records: s <= 15 ? 50_000 : 40_000 }));
  const phase = (name: string, start: number, end: number) => ({ name, start, end });

  it("uses the windows inside the phase", () => {
    const r = kafkaPhaseRate(windows, phase("p", 0, 15_000));
    expect(r?.recordsPerSec).to.equal(10_000);
    expect(r?.windows).to.equal(3);
  });

  it("falls back to windows ending in the phase, then to a proven stall, else nothing", () => {
    expect(kafkaPhaseRate(windows, phase("short", 11_000, 16_000))?.basis).to.include("ending in the phase");
    expect(kafkaPhaseRate([], phase("silent", 40_000, 52_000), { startedAt: 0 })?.recordsPerSec).to.equal(0);
    expect(kafkaPhaseRate([], phase("silent", 40_000, 52_000), { startedAt: 0, stoppedAt: 45_000 })).to.equal(undefined);
  });

  it("the objective passes at or above its ratio, fails below it, and is inconclusive without windows", () => {
    const tool = { startedAt: 0 };
    expect(kafkaThroughputHolds({ windows, tool, baseline: phase("baseline", 0, 15_000), phase: phase("leader killed", 15_000, 30_000), minRatio: 0.6 }).status).to.equal("passed");
    const r = kafkaThroughputHolds({ windows, tool, baseline: phase("baseline", 0, 15_000), phase: phase("leader killed", 15_000, 30_000), minRatio: 0.9 });
    expect(r.status).to.equal("failed");
    expect(r.summary).to.include("8000 vs 10000 records/s (80%");
    expect(kafkaThroughputHolds({ windows: [], tool: { startedAt: 50_000 }, baseline: phase("b", 0, 15_000), phase: phase("p", 15_000, 30_000), minRatio: 0.5 }).status).to.equal("inconclusive");
  });
});
