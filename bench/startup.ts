// bench/startup: seconds from the start call to quorum, and to tear down, for 3 and 5 members;
// the same ensemble started by plain `docker run` and removed by plain `docker rm -f` and
// `docker network rm` as a reference, in the same run.
// Run: node --import tsx bench/startup.ts [rounds]
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec, waitFor } from "../src/common";
import { ensureZookeeperImage, DEFAULT_ZOOKEEPER_VERSION } from "../src/images";
import { newRunId, StartedEnsemble, ASSETS_DIR } from "../src/runtime";
import { RUN_LABEL } from "../src/docker";
import { hostnameOf, memberFiles, parseTopology, Topology } from "../src/topology";
import { srvr } from "../src/zk";

const secs = (ms: number) => (ms / 1000).toFixed(2);

function topologyOf(n: number): Topology {
  return parseTopology({ name: `bench-${n}`, zones: [{ name: "az1", region: "r1" }], members: Array.from({ length: n }, (_, i) => ({ id: i + 1, zone: "az1" })) });
}

async function oneLeader(ports: number[]): Promise<void> {
  await waitFor(
    "one leader",
    async () => {
      const modes = await Promise.all(ports.map((port) => srvr({ host: "127.0.0.1", port }).then((s) => (s.serving ? s.mode : "not-serving"))));
      const ok = modes.filter((m) => m === "leader").length === 1 && modes.every((m) => m === "leader" || m === "follower");
      return ok ? { done: true, value: undefined } : { done: false, seen: modes.join(",") };
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  );
}

/**
 * A zkdrill ensemble to quorum; then torn down by zkdrill (its logs written, every container and
 * network removed), or, with `plain`, the same containers and networks removed by plain
 * `docker rm -f -v` and `docker network rm`: the teardown's reference.
 */
async function viaZkdrill(n: number, image: Awaited<ReturnType<typeof ensureZookeeperImage>>, plain = false) {
  const t0 = Date.now();
  const runId = newRunId("bench");
  const e = await StartedEnsemble.start({ runId, topology: topologyOf(n), image, version: DEFAULT_ZOOKEEPER_VERSION, logDir: join(tmpdir(), "zkdrill-bench-logs") });
  await e.waitForQuorum({ timeoutMs: 120_000 });
  const quorum = Date.now() - t0;
  const label = `label=${RUN_LABEL}=${runId}`;
  const [containers, networks] = await Promise.all([
    exec("docker", ["ps", "-aq", "--filter", label], { timeoutMs: 30_000 }).then((r) => r.stdout.split("\n").filter(Boolean)),
    exec("docker", ["network", "ls", "-q", "--filter", label], { timeoutMs: 30_000 }).then((r) => r.stdout.split("\n").filter(Boolean)),
  ]);
  const t1 = Date.now();
  if (plain) {
    await exec("docker", ["rm", "-f", "-v", ...containers], { timeoutMs: 60_000 });
    if (networks.length) await exec("docker", ["network", "rm", ...networks], { timeoutMs: 30_000 });
  } else {
    await e.teardown();
  }
  return { quorum, teardown: Date.now() - t1, containers: containers.length, networks: networks.length };
}

async function viaDockerRun(n: number, imageName: string) {
  const runId = newRunId("bench-ref");
  const t = topologyOf(n);
  const dir = mkdtempSync(join(tmpdir(), "zkdrill-bench-"));
  const assets = ASSETS_DIR;
  const t0 = Date.now();
  await exec("docker", ["network", "create", "--label", `${RUN_LABEL}=${runId}`, `zkdrill-${runId}`], { timeoutMs: 30_000 });
  const ports: number[] = [];
  const ids: string[] = [];
  await Promise.all(
    t.members.map(async (m, i) => {
      const files = memberFiles(t, m.id);
      const conf = join(dir, `conf${m.id}`);
      await exec("mkdir", ["-p", conf], { timeoutMs: 5_000 });
      writeFileSync(join(conf, "zoo.cfg"), files["zoo.cfg"]);
      for (const a of ["zk-run.sh", "java.security"]) copyFileSync(join(assets, a), join(dir, a));
      const port = 23_000 + (process.pid % 1000) * 5 + i;
      ports.push(port);
      const run = await exec(
        "docker",
        ["run", "-d", "--label", `${RUN_LABEL}=${runId}`, "--network", `zkdrill-${runId}`, "--network-alias", hostnameOf(m.id), "--hostname", hostnameOf(m.id),
          "-p", `127.0.0.1:${port}:2181`, "-v", `${conf}:/conf`, "-v", `${dir}:/zkdrill:ro`, "--entrypoint", "sh", imageName, "-c", `echo ${m.id} > /data/myid && exec sh /zkdrill/zk-run.sh`],
        { timeoutMs: 60_000 },
      );
      ids.push(run.stdout.trim());
    }),
  );
  await oneLeader(ports);
  const quorum = Date.now() - t0;
  const t1 = Date.now();
  await exec("docker", ["rm", "-f", "-v", ...ids], { timeoutMs: 60_000 });
  await exec("docker", ["network", "rm", `zkdrill-${runId}`], { timeoutMs: 30_000 });
  const teardown = Date.now() - t1;
  rmSync(dir, { recursive: true, force: true });
  return { quorum, teardown };
}

async function main() {
  const rounds = Number(process.argv[2] ?? 3);
  const image = await ensureZookeeperImage(DEFAULT_ZOOKEEPER_VERSION, { pull: false });
  console.log(`image ${image.name} (${image.kind}), ${rounds} round(s) each`);
  console.log("members  how                            start->quorum s  teardown s");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (n: number, how: string, x: { quorum: number; teardown: number }) => console.log(`${String(n).padEnd(8)} ${how.padEnd(30)} ${secs(x.quorum).padStart(15)}  ${secs(x.teardown).padStart(10)}`);
  for (const n of [3, 5]) {
    const ours: Array<{ quorum: number; teardown: number }> = [];
    const plain: Array<{ quorum: number; teardown: number }> = [];
    const refs: Array<{ quorum: number; teardown: number }> = [];
    let what = "";
    for (let r = 0; r < rounds; r++) {
      const a = await viaZkdrill(n, image);
      ours.push(a);
      row(n, "zkdrill start, zkdrill teardown", a);
      const c = await viaZkdrill(n, image, true);
      plain.push(c);
      what = `${c.containers} containers, ${c.networks} network(s)`;
      row(n, "zkdrill start, docker rm -f", c);
      const b = await viaDockerRun(n, image.name);
      refs.push(b);
      row(n, "docker run, docker rm -f", b);
    }
    const ratio = (xs: typeof ours, ys: typeof ours, k: "quorum" | "teardown") => (median(xs.map((x) => x[k])) / median(ys.map((x) => x[k]))).toFixed(2);
    // zkdrill's teardown also writes every container's log (the audit's evidence); plain docker rm -f writes none.
    console.log(`${n} members, medians of ${rounds}: start->quorum ${ratio(ours, refs, "quorum")}x docker run; teardown ${ratio(ours, plain, "teardown")}x plain docker rm -f of the same ${what} (goal: at most 1.0x)`);
  }
}

main().catch((err) => {
  // zkdrill's own runs reap themselves; a reference left by a failure is removed by `zkdrill down --all`.
  console.error(err);
  process.exit(1);
});
