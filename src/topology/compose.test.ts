import { expect } from "chai";
import { join } from "node:path";
import { parse } from "yaml";
import { composeFile, loadTopology, memberFiles } from ".";

const catalog = (name: string) => loadTopology(join(__dirname, "..", "..", "drills", "topologies", `${name}.yaml`));

const FILES = { "zk-run.sh": '#!/bin/sh\nexec java -cp "$ZK_HOME/lib/*" ${ZK_JVM_FLAGS:-} Main\n', "java.security": "networkaddress.cache.ttl=2\n" };

interface Service {
  entrypoint: string[];
  environment: Record<string, string>;
  profiles?: string[];
}
interface Doc {
  services: Record<string, Service>;
  [key: string]: unknown;
}

/** What Compose (v1 and v2) makes of a value: `$$` is a literal `$`; any other `$` would be a variable. */
function interpolated(value: string): string {
  expect(value.replace(/\$\$/g, ""), `an unescaped $ in ${JSON.stringify(value.slice(0, 80))}`).to.not.include("$");
  return value.replace(/\$\$/g, "$");
}

describe("compose files for Compose v1 and v2", () => {
  const t = catalog("p6-reconfig-dynamic");
  // Compose reads YAML's merge key (<<), as every YAML 1.1 reader does.
  const doc = parse(composeFile(t, { image: "zkdrill/zookeeper:3.9.5", files: FILES }), { merge: true }) as Doc;

  it("use nothing Compose v1 (1.27+) lacks: no configs, no top-level name, no version", () => {
    expect(Object.keys(doc).sort()).to.deep.equal(["networks", "services", "x-zkdrill-files"]);
    for (const s of Object.values(doc.services)) expect(s).to.not.have.property("configs");
  });

  it("carry every file a member needs in its environment, intact once Compose has interpolated it", () => {
    for (const m of t.members) {
      const env = doc.services[`zk${m.id}`].environment;
      const files = memberFiles(t, m.id);
      expect(interpolated(env.ZKDRILL_FILE_ZK_RUN_SH)).to.equal(FILES["zk-run.sh"]);
      expect(interpolated(env.ZKDRILL_FILE_JAVA_SECURITY)).to.equal(FILES["java.security"]);
      expect(interpolated(env.ZKDRILL_FILE_ZOO_CFG)).to.equal(files["zoo.cfg"]);
      expect(interpolated(env.ZKDRILL_FILE_ZOO_CFG_DYNAMIC)).to.equal(files["zoo.cfg.dynamic"]);
    }
  });

  it("write them where the harness puts them, then myid, then start ZooKeeper", () => {
    const script = interpolated(doc.services.zk4.entrypoint[2]).split("\n");
    expect(doc.services.zk4.entrypoint.slice(0, 2)).to.deep.equal(["sh", "-c"]);
    expect(script).to.include.members([
      `printf '%s' "$ZKDRILL_FILE_ZK_RUN_SH" > /zkdrill/zk-run.sh`,
      `printf '%s' "$ZKDRILL_FILE_ZOO_CFG" > /conf/zoo.cfg`,
      `printf '%s' "$ZKDRILL_FILE_ZOO_CFG_DYNAMIC" > /conf/zoo.cfg.dynamic`,
      "echo 4 > /data/myid",
    ]);
    expect(script.filter(Boolean).pop()).to.equal("exec sh /zkdrill/zk-run.sh");
  });
});
