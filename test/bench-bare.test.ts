// bench/bare's reading of setup's and the drill's lines (scripts/steps.sh and src/images/steps.ts print them).
import { expect } from "chai";
import { GOAL_SECONDS, stepTimes, summary, verdictOf } from "../bench/bare-lines";

const SETUP = [
  "[ensure-docker] engine ready: 26.1.5",
  "[setup] engine: done in 0.3 s",
  "[npm] npm warn something",
  "[setup] npm: done in 18.4 s",
  "[images] zookeeper:3.9.5: docker pull: failed in 0.4 s (not pullable here); building the equivalent from package registries",
  "[images] zkdrill/base:bookworm: debootstrap bookworm from http://mirror.invalid/debian (+ openjdk-17-jre-headless, iproute2): done in 52.3 s",
  "[images]   zkdrill/toxiproxy:2.12.0: go mod download github.com/Shopify/toxiproxy/v2@v2.12.0, patch, go build: 40 s, detail",
  "[images] zkdrill/toxiproxy:2.12.0: go mod download github.com/Shopify/toxiproxy/v2@v2.12.0, patch, go build: done in 48.0 s",
  "[images] zkdrill/base:bookworm: docker import: done in 6.9 s",
  "[images] zkdrill/zookeeper:3.9.5: docker build: done in 4.2 s",
  "[images] all images ready in 64.0 s:",
  "[setup] images: done in 65.2 s",
  "[setup] dist: done in 21.0 s",
  "[setup] total: done in 84.1 s",
];

describe("bench/bare: steps read from setup's lines", () => {
  it("reads every timed line, done or failed, and no heartbeat or other line", () => {
    const steps = stepTimes(SETUP);
    expect(steps.map((s) => `${s.who}|${s.seconds}|${s.failed}`)).to.deep.equal([
      "setup|0.3|false",
      "setup|18.4|false",
      "images|0.4|true",
      "images|52.3|false",
      "images|48|false",
      "images|6.9|false",
      "images|4.2|false",
      "setup|65.2|false",
      "setup|21|false",
      "setup|84.1|false",
    ]);
    expect(steps[3].what).to.equal("zkdrill/base:bookworm: debootstrap bookworm from http://mirror.invalid/debian (+ openjdk-17-jre-headless, iproute2)");
    expect(stepTimes(["[setup] engine: failed (exit 2) after 0.3 s; its lines above say why"])).to.deep.equal([{ who: "setup", what: "engine", seconds: 0.3, failed: true }]);
  });

  it("finds the drill's verdict, or says there was none and how it exited", () => {
    expect(verdictOf(["[   3.1 s] step", "", "verdict: PASSED  (9/9 checks passed, seed 1, 19.0 s)"], 0)).to.equal("PASSED");
    expect(verdictOf(["error"], 2)).to.equal("none (exit 2)");
  });

  it("sums setup and the drill against the goal, each setup step with the images' stages under it (long names cut to the column)", () => {
    const run = { ms: 21_000, exitCode: 0, lines: ["[setup] engine: done in 0.2 s", "[setup] total: done in 0.4 s", "verdict: PASSED  (9/9 checks passed)"] };
    const text = summary({ cores: 2, drill: "quickstart-leader-failover", setup: { ms: 84_500, exitCode: 0, lines: SETUP }, run });
    const lines = text.split("\n");
    expect(lines[0]).to.equal(`bare machine to first verdict: quickstart-leader-failover, 2 cores (goal: under ${GOAL_SECONDS} s)`);
    const labels = lines.slice(1).map((l) => l.replace(/\s+[\d.]+ s.*$/, ""));
    expect(labels).to.deep.equal([
      "setup (bash scripts/setup.sh)",
      "  engine",
      "  npm",
      "  images",
      "    zookeeper:3.9.5: docker pull",
      "    zkdrill/base:bookworm: debootstrap bookworm from http://mirror.invalid/de…",
      "    zkdrill/toxiproxy:2.12.0: go mod download github.com/Shopify/toxiproxy/v2…",
      "    zkdrill/base:bookworm: docker import",
      "    zkdrill/zookeeper:3.9.5: docker build",
      "  dist",
      "drill (npm run drill -- quickstart-leader-failover)",
      "  of which setup --no-images",
      "total",
    ]);
    expect(text).to.match(/drill \(npm run drill -- quickstart-leader-failover\)\s+21\.0 s {2}verdict: PASSED/);
    expect(lines.at(-1)).to.match(/^total\s+105\.5 s {2}goal under 120 s: met, 14\.5 s to spare$/);
  });

  it("says by how much the goal is missed, and that the drill did not start when setup failed", () => {
    const over = summary({ cores: 2, drill: "d", setup: { ms: 100_000, exitCode: 0, lines: [] }, run: { ms: 30_000, exitCode: 1, lines: ["verdict: FAILED"] } });
    expect(over.split("\n").at(-1)).to.match(/total\s+130\.0 s {2}goal under 120 s: NOT met, 10\.0 s over$/);
    const failed = summary({ cores: 2, drill: "d", setup: { ms: 5_000, exitCode: 2, lines: ["[setup] engine: failed (exit 2) after 0.3 s; x"] } });
    expect(failed).to.match(/setup \(bash scripts\/setup\.sh\)\s+5\.0 s {2}FAILED \(exit 2\)/).and.match(/ {2}engine\s+0\.3 s {2}failed/).and.include("drill: not started (setup failed)");
  });
});
