// The layering DESIGN.md draws, enforced: data flows one way, so no import may run from a lower layer
// to a higher one. Bottom to top; a folder may import its own layer's and every lower layer's folders.
// `npm test` runs this (test/layering.test.ts), and a deliberate back-import there shows it failing.
const LAYERS = [
  ["common"],
  ["topology"],
  ["history", "journal"],
  ["zk"],
  ["checks"],
  ["report", "metrics"],
  ["docker"],
  ["images"],
  ["network"],
  ["runtime"],
  ["backup", "workload", "probes", "faults", "kafka"],
  ["drill"],
  ["cli"],
];

const folders = (layers) => layers.flat().join("|");

const layering = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-import-up-from-${layer.join("-")}`,
  comment: `src/${layer.join(", src/")} sit below src/${folders(LAYERS.slice(i + 1)).split("|").join(", src/")}: data flows one way (DESIGN.md), so they never import them`,
  severity: "error",
  from: { path: `^src/(${layer.join("|")})/` },
  to: { path: `^src/(${folders(LAYERS.slice(i + 1))})/` },
}));

module.exports = {
  forbidden: [
    ...layering,
    {
      name: "checks-and-reports-never-reach-docker",
      comment: "checks judge recorded evidence and reports render the journal: neither talks to Docker",
      severity: "error",
      from: { path: "^src/(checks|report|journal|history|topology)/" },
      to: { path: "node_modules/(dockerode|testcontainers|docker-modem)/" },
    },
    {
      name: "drills-import-only-the-drill-interface",
      comment: "a drill reads like its runbook: it imports the drill interface (src/drill/index.ts) and nothing else of src, never the words' machinery, runtime, Docker or the network",
      severity: "error",
      from: { path: "^drills/" },
      to: { path: "^src/", pathNot: "^src/drill/index\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.test\\.ts$" },
  },
};
