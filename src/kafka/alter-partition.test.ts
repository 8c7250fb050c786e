import { expect } from "chai";
import { alterPartitionThreadDeath, laggingLeaders } from "./alter-partition";
import type { PartitionState } from "./zk-state";

// As the drill's collected kafka2.log had them (seed 42, the revert's second roll).
const START = "2026-12-06T04:52:40.582860830Z [2026-12-06 04:52:40,547] INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)";
const DIED = "2026-12-06T04:53:42.992873799Z [2026-12-06 04:53:42,992] ERROR [zk-broker-2-to-controller-alter-partition-channel-manager]: Error due to (kafka.server.NodeToControllerRequestThread)";
const CAUSE =
  "2026-12-06T04:53:42.992891355Z java.lang.IllegalArgumentException: A metric named 'MetricName [name=io-waittime-total, group=alter-partition-metrics, description=*Deprecated* The total time the I/O thread spent waiting, tags={BrokerId=2}]' already exists, can't register another one.";
const STACK = "2026-12-06T04:53:42.992893999Z \tat org.apache.kafka.common.metrics.Sensor.add(Sensor.java:302)";
const STOPPED = "2026-12-06T04:53:42.992900000Z [2026-12-06 04:53:42,992] INFO [zk-broker-2-to-controller-alter-partition-channel-manager]: Stopped (kafka.server.NodeToControllerRequestThread)";

describe("Kafka's alter-partition thread dying on the controller's move back to ZooKeeper", () => {
  it("finds the Error due to line and its metric clash in the running process's log, the engine's time taken off", () => {
    expect(alterPartitionThreadDeath([START, DIED, CAUSE, STACK, STOPPED].join("\n"))).to.deep.equal([DIED.slice(31), CAUSE.slice(31)]);
  });

  it("does not count a death an earlier process logged: the container was restarted since", () => {
    const later = START.replace("04:52:40", "04:55:01");
    expect(alterPartitionThreadDeath([START, DIED, CAUSE, STOPPED, later].join("\n"))).to.equal(null);
  });

  it("does not count the thread's other errors (no metric clash), nor the clash without the thread's error line", () => {
    const other = "2026-12-06T04:53:42.992891355Z org.apache.kafka.common.errors.DisconnectException";
    expect(alterPartitionThreadDeath([START, DIED, other, STACK, STOPPED].join("\n"))).to.equal(null);
    expect(alterPartitionThreadDeath([START, CAUSE, STACK].join("\n"))).to.equal(null);
  });

  it("finds it in a log without the engine's receipt times (read from a file)", () => {
    expect(alterPartitionThreadDeath([DIED.slice(31), CAUSE.slice(31)].join("\n"))).to.deep.equal([DIED.slice(31), CAUSE.slice(31)]);
  });
});

describe("the leaders of the partitions whose ISR lacks a broker", () => {
  const p = (topic: string, partition: number, leader: number, isr: number[]): PartitionState => ({ topic, partition, leader, isr, leaderEpoch: 7 });

  it("names each leader once, ascending: those whose partitions miss a broker of the roll", () => {
    const ps = [p("orders", 0, 2, [2, 3]), p("orders", 1, 3, [1, 2, 3]), p("load", 1, 2, [2, 3]), p("load", 2, 1, [1, 3])];
    expect(laggingLeaders(ps, [1, 2, 3])).to.deep.equal([1, 2]);
  });

  it("none when every ISR holds every broker; a leaderless partition (-1) names no one", () => {
    expect(laggingLeaders([p("orders", 0, 2, [1, 2, 3])], [1, 2, 3])).to.deep.equal([]);
    expect(laggingLeaders([p("orders", 0, -1, [3])], [1, 2, 3])).to.deep.equal([]);
  });
});
