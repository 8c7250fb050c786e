import { expect } from "chai";
import { ZOOKEEPER_RELEASES } from "./catalog";
import { checkJars, kafkaRecipe, mavenArgs, recipeFile, ReadRecipe, zookeeperRecipe, zookeeperRecipeOf } from "./recipe";

/** The recipe files, one of them changed. */
const editing = (file: string, extra: string): ReadRecipe => (...path) => recipeFile(...path) + (path.join("/") === file ? extra : "");

describe("image recipes (ZooKeeper per line, Kafka)", () => {
  it("each line's pom asks for the release, its binding and its provided jars, and nothing else", () => {
    for (const r of Object.values(ZOOKEEPER_RELEASES)) {
      const pom = zookeeperRecipe(r.version).files["pom.xml"];
      const asked = [...pom.matchAll(/<artifactId>([^<]+)<\/artifactId><version>([^<]+)</g)].map((m) => `${m[1]}:${m[2]}`);
      expect(asked, r.version).to.deep.equal([`zookeeper:${r.version}`, ...[...r.binding, ...r.provided].map((j) => `${j.artifact}:${j.version}`)]);
    }
    expect(zookeeperRecipe("3.4.14").files["pom.xml"]).to.include("<artifactId>slf4j-log4j12</artifactId><version>1.7.25</version>");
    expect(zookeeperRecipe("3.7.2").files["pom.xml"]).to.include("<artifactId>reload4j</artifactId><version>1.2.22</version>");
    expect(zookeeperRecipe("3.9.5").files["pom.xml"]).to.include("<artifactId>logback-classic</artifactId>");
  });

  it("ships both log configs with the same line shape (the election parser reads the ISO8601 time)", () => {
    const files = zookeeperRecipe("3.5.9").files;
    expect(Object.keys(files).sort()).to.deep.equal(["Dockerfile", "conf/log4j.properties", "conf/logback.xml", "pom.xml", "zkdrill-disk.c"]);
    const log4j = /ConversionPattern=(.*)/.exec(files["conf/log4j.properties"])![1];
    const logback = /<pattern>(.*)<\/pattern>/.exec(files["conf/logback.xml"])![1];
    // Only the names of the level and message conversions differ between the two.
    expect(log4j.replace("%-5p", "%-5level").replace("%m%n", "%msg%n")).to.equal(logback);
    expect(logback).to.equal("%d{ISO8601} [myid:%X{myid}] %-5level [%t:%C{1}@%L] - %msg%n");
  });

  it("the recipe hash changes with any input: version, pom template, Dockerfile, either log config, architecture", () => {
    const base = zookeeperRecipe("3.9.5").hash;
    expect(zookeeperRecipe("3.9.5").hash).to.equal(base);
    const changed = [
      zookeeperRecipe("3.8.6").hash,
      zookeeperRecipe("3.9.5", editing("pom.xml.tmpl", "<!-- -->")).hash,
      zookeeperRecipe("3.9.5", editing("zookeeper/Dockerfile", "\n# x")).hash,
      zookeeperRecipe("3.9.5", editing("zookeeper/log4j.properties", "\n# x")).hash,
      zookeeperRecipe("3.9.5", editing("zookeeper/logback.xml", "\n")).hash,
      zookeeperRecipe("3.9.5", editing("zookeeper/zkdrill-disk.c", "\n")).hash,
      zookeeperRecipe("3.9.5", recipeFile, "arm64").hash,
    ];
    expect(new Set([base, ...changed]).size).to.equal(changed.length + 1);
    expect(kafkaRecipe(editing("kafka/tools-log4j.properties", "\n")).hash).to.not.equal(kafkaRecipe().hash);
  });

  it("a release's pins are part of the hash: another binding or provided version rebuilds", () => {
    const r = ZOOKEEPER_RELEASES["3.6.4"];
    const base = zookeeperRecipeOf(r).hash;
    expect(base).to.equal(zookeeperRecipe("3.6.4").hash);
    expect(zookeeperRecipeOf({ ...r, binding: [r.binding[0], { ...r.binding[1], version: "1.2.25" }] }).hash).to.not.equal(base);
    expect(zookeeperRecipeOf({ ...r, provided: r.provided.slice(1) }).hash).to.not.equal(base);
  });

  it("the disk shim is compiled into every ZooKeeper image and copied where zk-run.sh preloads it", () => {
    const r = zookeeperRecipe("3.4.14");
    expect(r.native).to.deep.equal([{ source: "zkdrill-disk.c", output: "zkdrill-disk.so" }]);
    expect(r.files["zkdrill-disk.c"]).to.include("fdatasync");
    expect(r.files.Dockerfile).to.include("COPY zkdrill-disk.so /usr/local/lib/zkdrill-disk.so");
  });

  it("Maven keeps only this architecture's native jars, with a pinned dependency plugin", () => {
    const x64 = mavenArgs("lib", "x64");
    expect(x64).to.include("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies");
    expect(x64).to.include("-DexcludeClassifiers=linux-aarch_64,osx-x86_64,osx-aarch_64,windows-x86_64");
    expect(mavenArgs("lib", "arm64")).to.include("-DexcludeClassifiers=linux-x86_64,osx-x86_64,osx-aarch_64,windows-x86_64");
    expect(mavenArgs("lib", "s390x").some((a) => a.startsWith("-DexcludeClassifiers"))).to.equal(false);
  });

  it("Kafka: broker, tools and one reload4j binding into libs/, console configs into config/", () => {
    const k = kafkaRecipe();
    expect(k.image).to.equal("zkdrill/kafka:3.9.1");
    expect(k.jarsDir).to.equal("libs");
    expect(Object.keys(k.files).sort()).to.deep.equal(["Dockerfile", "config/log4j.properties", "config/tools-log4j.properties", "pom.xml"]);
    expect(k.required.map((j) => j.artifact)).to.deep.equal(["kafka_2.13", "kafka-tools", "slf4j-reload4j", "reload4j"]);
    expect(k.files["config/tools-log4j.properties"]).to.match(/Target=System\.err/);
  });

  it("checkJars refuses a missing pin and zero or two SLF4J bindings", () => {
    const r = zookeeperRecipe("3.8.6");
    const ok = ["zookeeper-3.8.6.jar", "logback-classic-1.3.15.jar", "logback-core-1.3.15.jar", "commons-cli-1.5.0.jar", "metrics-core-4.1.12.1.jar", "snappy-java-1.1.10.5.jar"];
    expect(() => checkJars(r.what, ok, r.required)).to.not.throw();
    expect(() => checkJars(r.what, [...ok, "slf4j-reload4j-1.7.36.jar"], r.required)).to.throw(/one SLF4J binding, found logback-classic-1.3.15.jar, slf4j-reload4j-1.7.36.jar/);
    expect(() => checkJars(r.what, ok.filter((f) => !f.startsWith("logback-classic")), r.required)).to.throw(/logback-classic-1.3.15.jar is missing.*found none/);
  });
});
