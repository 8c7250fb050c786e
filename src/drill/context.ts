// The drill's words, composed (src/drill/compose.ts) from parts that each hold the run core and the
// parts they name, never the whole: the core's (steps, who leads, the drill's writes), the faults',
// the operator's, ZooKeeper's tools', the workload's, and `d.expect` and `d.kafka`. Drills see
// `Drill`: the operator's words and nothing of the machinery under them.
import { Faults } from "../faults/faults";
import { compose, Words } from "./compose";
import { RunCore } from "./core";
import { Expectations } from "./expect";
import { IncidentExpectations } from "./expect-incidents";
import { DiskExpectations } from "./expect-disk";
import { ServiceExpectations } from "./expect-service";
import { Reconciliation } from "./expect-reconciled";
import { FaultWords } from "./fault-words";
import { KafkaWords } from "./kafka-words";
import { OperatorWords, Versions } from "./operator-words";
import { ToolWords } from "./tool-words";
import { WorkloadControl } from "./workload-control";

/** The run core's fields the words are built on: the machinery, not words. */
type CoreFields = "ensemble" | "journal" | "history" | "live" | "named" | "lineageStart" | "workloadPartitions" | "random" | "quick" | "objectives";

/** What the runner and the YAML interpreter reach under the words (src/drill only). */
export interface Machinery {
  readonly run: RunCore;
  readonly faults: Faults;
  readonly workload: WorkloadControl;
}

export type DrillContext = Omit<Words<RunCore>, CoreFields> &
  Words<FaultWords> &
  Words<OperatorWords> &
  Words<ToolWords> &
  Words<WorkloadControl> & {
    /** Verdicts: evidence judged by a named check of src/checks. */
    readonly expect: Words<Expectations> & Words<IncidentExpectations> & Words<DiskExpectations> & Words<ServiceExpectations> & Words<Reconciliation>;
    /** A real Kafka cluster on the ensemble, when the topology has brokers (src/drill/kafka-words.ts). */
    readonly kafka: KafkaWords;
    readonly random: RunCore["random"];
    readonly quick: boolean;
    readonly objectives: RunCore["objectives"];
    readonly machinery: Machinery;
  };

/** The words a drill file is written in: no machinery, no check by hand, no stop or journal of its own. */
export type Drill = Omit<DrillContext, "machinery" | "check" | "abort" | "abortedFor" | "unlessStopped" | "registersToRead" | "closeClients" | "proveLatency" | "started" | "finish" | "throughputByPhase">;

export function drillContext(run: RunCore, versions: Versions): DrillContext {
  const faults = new Faults(run.ensemble, run.journal);
  const workload = new WorkloadControl(run);
  const tools = new ToolWords(run);
  // An upgrade fault goes to the images provided for this run, and --to-version by default.
  faults.upgrades = () => ({ images: versions.images ?? new Map(), upgradeTo: versions.upgradeTo });
  const faultWords = new FaultWords(run, faults);
  const operator = new OperatorWords(run, faults, faultWords, versions);
  const words = compose(run, faultWords, operator, tools, workload);
  return Object.assign(words, {
    expect: compose(new Expectations(run, workload, tools), new IncidentExpectations(run), new DiskExpectations(run, workload), new ServiceExpectations(run), new Reconciliation(run, workload)),
    kafka: new KafkaWords(run, faults, workload),
    random: run.random,
    quick: run.quick,
    objectives: run.objectives,
    machinery: { run, faults, workload },
  }) as unknown as DrillContext;
}

/** The ensemble under a drill's words: for tests that make it lie behind the drill's back, never for drills. */
export function behindTheDrillsBack(d: Drill): RunCore["ensemble"] {
  return (d as DrillContext).machinery.run.ensemble;
}
