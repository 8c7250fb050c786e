import { expect } from "chai";
import { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION, ImageInputError, knownImages, ZOOKEEPER_RELEASES } from "./catalog";

const artifacts = (v: string, what: "binding" | "provided") => ZOOKEEPER_RELEASES[v][what].map((j) => j.artifact);

describe("image catalog: ZooKeeper releases", () => {
  it("knows one release per line from 3.4 to 3.9 (the seeds' 3.5.8 and 3.5.9 too), newest first", () => {
    expect(Object.keys(ZOOKEEPER_RELEASES)).to.deep.equal(["3.9.5", "3.8.6", "3.7.2", "3.6.4", "3.5.10", "3.5.9", "3.5.8", "3.4.14"]);
    expect(DEFAULT_ZOOKEEPER_VERSION).to.equal("3.9.5");
    expect(ZOOKEEPER_RELEASES["3.5.10"].line).to.equal("3.5");
  });

  it("an unknown version is bad input (exit 2) naming every known one", () => {
    expect(() => checkZookeeperVersion("3.1.0"))
      .to.throw(ImageInputError)
      .with.property("message", 'zookeeper version "3.1.0" is not one zkdrill can build; use one of 3.9.5, 3.8.6, 3.7.2, 3.6.4, 3.5.10, 3.5.9, 3.5.8, 3.4.14 (--zk-version)');
  });

  it("3.4 to 3.7 log through log4j 1.2 or reload4j (log4j.properties), 3.8+ through logback", () => {
    for (const v of ["3.4.14", "3.5.8", "3.5.9"]) expect(artifacts(v, "binding"), v).to.deep.equal(["slf4j-log4j12", "log4j"]);
    for (const v of ["3.5.10", "3.6.4", "3.7.2"]) expect(artifacts(v, "binding"), v).to.deep.equal(["slf4j-reload4j", "reload4j"]);
    for (const v of ["3.8.6", "3.9.5"]) expect(artifacts(v, "binding"), v).to.deep.equal(["logback-classic"]);
    for (const r of Object.values(ZOOKEEPER_RELEASES)) {
      expect(r.logConfig, r.version).to.equal(r.binding[0].artifact === "logback-classic" ? "logback.xml" : "log4j.properties");
    }
  });

  it("lists the provided jars each line loads at run time", () => {
    expect(artifacts("3.4.14", "provided")).to.deep.equal([]);
    for (const v of ["3.5.8", "3.5.9", "3.5.10"]) expect(artifacts(v, "provided"), v).to.deep.equal(["commons-cli"]);
    for (const v of ["3.6.4", "3.7.2", "3.8.6", "3.9.5"]) expect(artifacts(v, "provided"), v).to.deep.equal(["commons-cli", "metrics-core", "snappy-java"]);
    expect(ZOOKEEPER_RELEASES["3.6.4"].provided.find((j) => j.artifact === "metrics-core")?.version).to.equal("3.2.5");
  });

  it("knownImages lists each release's official and built image, Toxiproxy, Kafka and the base", () => {
    const names = knownImages().map((i) => i.name);
    for (const v of Object.keys(ZOOKEEPER_RELEASES)) expect(names).to.include.members([`zookeeper:${v}`, `zkdrill/zookeeper:${v}`]);
    expect(names).to.include.members(["apache/kafka:3.9.1", "zkdrill/kafka:3.9.1", "zkdrill/toxiproxy:2.12.0", "zkdrill/base:bookworm"]);
    expect(new Set(names).size).to.equal(names.length);
  });
});
