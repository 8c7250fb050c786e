// The Kafka controller broker dies (issue 14, on seed 003's Kafka-on-ZooKeeper): once while ZooKeeper
// is healthy, once while ZooKeeper elects a new leader. A new controller with a higher epoch each time,
// the dead broker's registration gone with its session and not before, and no acknowledged record lost.
import { drill } from "../src/drill";

export default drill({
  name: "kafka-controller-failover",
  description:
    "Three voters and three brokers (replication 3, min.insync.replicas 2, acks=all). The controller broker is killed with ZooKeeper healthy, " +
    "then again together with ZooKeeper's leader: each time a new controller and a higher /controller_epoch, its registration gone after its " +
    "session timeout and not before, every partition led by a running broker, and every acknowledged record read back at the end.",
  procedure: "Kafka on ZooKeeper (controller election through /controller and /controller_epoch); seed 003's Kafka cluster",
  origin: "kafka",
  headline: { outcome: "a new controller with a higher epoch after the controller dies, its registration gone with its session and not before, and no acknowledged record lost", checks: ["kafka-controller-epoch", "kafka-registration-expired", "kafka-delivery"] },
  topology: "kafka-three-brokers",
  needs: { voters: 3 },
  async run(d) {
    const all = d.members();
    const brokers = d.kafka.brokerIds();
    await d.waitForQuorum(undefined, { name: "wait for a quorum" });
    await d.kafka.createTopic("orders", { partitions: 3, replicationFactor: 3 });
    await d.kafka.expect.registered();
    await d.kafka.expect.oneController();
    await d.kafka.expect.partitionsLed(["orders"]);
    await d.startWorkload({ targetRate: 100 });
    await d.kafka.startVerifiable("orders", 200);

    // Act 1: ZooKeeper healthy. The controller's session lives on after a kill -9: it moves when the session expires.
    const first = await d.kafka.controller();
    const killedAt = Date.now();
    await d.kafka.kill(first.controller);
    await d.kafka.expect.registrationExpires(first.controller, killedAt);
    const healthy = await d.kafka.expect.controllerMoved({ controller: first.controller, epoch: first.epoch }, killedAt);
    await d.kafka.expect.partitionsLed(["orders"]);
    await d.kafka.start(first.controller);
    await d.kafka.expect.inSync(["orders"], brokers);

    // Act 2: the controller broker and ZooKeeper's leader die together.
    const q = await d.quorum(all);
    const second = await d.kafka.controller();
    const bothAt = Date.now();
    await Promise.all([d.kill(q.leader), d.kafka.kill(second.controller)]);
    await d.expect.leaderIn(all.filter((id) => id !== q.leader));
    await d.kafka.expect.registrationExpires(second.controller, bothAt);
    const electing = await d.kafka.expect.controllerMoved({ controller: second.controller, epoch: second.epoch }, bothAt);
    await d.kafka.expect.partitionsLed(["orders"]);
    d.finding(
      "controller failover",
      "info",
      `kill -9 of the controller broker to a new controller: ${(healthy.failoverMs / 1000).toFixed(2)} s with ZooKeeper healthy, ` +
        `${(electing.failoverMs / 1000).toFixed(2)} s while ZooKeeper elected (session timeout ${d.kafka.setting("zookeeper.session.timeout.ms") ?? "18000"} ms)`,
      { healthyMs: healthy.failoverMs, electingMs: electing.failoverMs },
    );

    await d.start(q.leader);
    await d.kafka.start(second.controller);
    await d.kafka.expect.inSync(["orders"], brokers);
    await d.kafka.expect.everyAckedConsumed();
    await d.stopWorkload();
    await d.kafka.memory("at the end");
  },
});
