// What goes into each built image, as plain data: the docker build context's files, the Maven call
// that fills its jar folder, and the hash of all of it. No Docker here, so tests can check recipes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE_PACKAGES, checkZookeeperVersion, KAFKA_JARS, KAFKA_VERSION, kafkaImageNames, MavenJar, ZookeeperRelease, zookeeperImageNames } from "./catalog";
import { sourceDir } from "../common";

export const RECIPES = join(sourceDir(__dirname), "recipes");

export type ReadRecipe = (...path: string[]) => string;
export const recipeFile: ReadRecipe = (...path) => readFileSync(join(RECIPES, ...path), "utf8");

export function hashOf(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** Unchanged since base-v1: a different value would rebuild the 350 MB base for nothing. */
export function baseRecipe(): string {
  return hashOf("base-v1", "bookworm", BASE_PACKAGES.join(","));
}

/**
 * Pinned: Maven 3.8's default is 2.8 (2013), and neither may change under a recipe hash. Maven reads
 * its repository (Maven Central or the mirror in ~/.m2/settings.xml) from its own settings.
 */
export const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
const NATIVE_CLASSIFIERS = ["linux-x86_64", "linux-aarch_64", "osx-x86_64", "osx-aarch_64", "windows-x86_64"];

/**
 * `mvn` arguments that copy the runtime jars into `outputDir`. Native jars for other platforms (netty's
 * tcnative ships five) are left out; the image is built for this machine's architecture.
 * Note: the user property is `excludeClassifiers`; `mdep.excludeClassifiers` is silently ignored.
 */
export function mavenArgs(outputDir: string, arch: string = process.arch): string[] {
  const own = arch === "x64" ? "linux-x86_64" : arch === "arm64" ? "linux-aarch_64" : undefined;
  const others = own ? NATIVE_CLASSIFIERS.filter((c) => c !== own) : [];
  return [
    "-B",
    "-ntp",
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    "-DincludeScope=runtime",
    `-DoutputDirectory=${outputDir}`,
    ...(others.length ? [`-DexcludeClassifiers=${others.join(",")}`] : []),
  ];
}

export function renderPom(artifact: string, what: string, jars: readonly MavenJar[], read: ReadRecipe = recipeFile): string {
  const deps = jars
    .map((j) => `    <dependency><groupId>${j.group}</groupId><artifactId>${j.artifact}</artifactId><version>${j.version}</version></dependency>`)
    .join("\n");
  return read("pom.xml.tmpl").replace("@WHAT@", what).replace("@ARTIFACT@", artifact).replace("@DEPENDENCIES@", deps);
}

/** SLF4J bindings by artifact: two on one class path and SLF4J picks one at random. */
const SLF4J_BINDINGS = ["slf4j-log4j12", "slf4j-reload4j", "logback-classic", "slf4j-simple", "slf4j-jdk14", "slf4j-nop", "slf4j-jcl", "log4j-slf4j-impl", "log4j-slf4j2-impl"];

/**
 * Refuses a jar folder that would start but misbehave: a pinned jar missing or mediated to another
 * version (Maven's nearest-wins), no SLF4J binding (the server logs nothing) or two of them.
 */
export function checkJars(what: string, files: readonly string[], required: readonly MavenJar[]): void {
  const problems: string[] = [];
  for (const j of required) {
    if (!files.includes(`${j.artifact}-${j.version}.jar`)) problems.push(`${j.artifact}-${j.version}.jar is missing`);
  }
  const bindings = files.filter((f) => SLF4J_BINDINGS.some((b) => new RegExp(`^${b}-\\d[^/]*\\.jar$`).test(f)));
  if (bindings.length !== 1) problems.push(`expected one SLF4J binding, found ${bindings.length ? bindings.join(", ") : "none"}`);
  if (problems.length) {
    throw new Error(`${what}: the jars Maven resolved are not the recipe's (${problems.join("; ")}); fix the pins in src/images/catalog.ts`);
  }
}

export interface ImageRecipe {
  /** The image zkdrill builds. */
  readonly image: string;
  /** What it is, for progress lines and errors: "ZooKeeper 3.9.5". */
  readonly what: string;
  /** The docker build context's files, by path inside it. */
  readonly files: Readonly<Record<string, string>>;
  /** The context folder Maven copies jars into, and the arguments that do it. */
  readonly jarsDir: string;
  readonly mavenArgs: readonly string[];
  /** Jars that must come out of Maven as pinned (checkJars). */
  readonly required: readonly MavenJar[];
  /** C sources in the context compiled by this machine's cc into shared objects beside them (the disk shim). */
  readonly native?: readonly NativeLib[];
  /** Everything above plus the base image's recipe: a built image is reused while this matches. */
  readonly hash: string;
}

export interface NativeLib {
  /** The C source's path in the context (one of the recipe's files, so its text is in the hash). */
  readonly source: string;
  /** The shared object's path in the context, which the Dockerfile copies. */
  readonly output: string;
}

/**
 * `cc` arguments for a preloadable shared object. Compiled on this machine, not in the image: the base has
 * no compiler, and adding one would rebuild the 350 MB base; the host is Debian like the base (glibc 2.36),
 * and the shim asks glibc for nothing newer than 2.34 (dlsym).
 */
export function ccArgs(lib: NativeLib): string[] {
  return ["-shared", "-fPIC", "-O2", "-Wall", "-o", lib.output, lib.source, "-ldl"];
}

function recipe(kind: string, r: Omit<ImageRecipe, "hash">): ImageRecipe {
  const files = Object.keys(r.files).sort().flatMap((path) => [path, r.files[path]]);
  const native = (r.native ?? []).flatMap(ccArgs);
  return { ...r, hash: hashOf(kind, baseRecipe(), r.image, r.jarsDir, ...r.mavenArgs, ...files, ...native) };
}

/** The disk shim: fsyncs of the transaction log slowed or lying, for disk faults (src/faults/fsync.ts). */
export const DISK_SHIM: NativeLib = { source: "zkdrill-disk.c", output: "zkdrill-disk.so" };

/** ZooKeeper's jars: the release, its binding, its provided jars. */
export function zookeeperJars(release: ZookeeperRelease): MavenJar[] {
  return [{ group: "org.apache.zookeeper", artifact: "zookeeper", version: release.version }, ...release.binding, ...release.provided];
}

/** Both log configs go in every image: the line's binding reads its own, the other file is inert. */
export function zookeeperLogConfigs(read: ReadRecipe = recipeFile): { "log4j.properties": string; "logback.xml": string } {
  return { "log4j.properties": read("zookeeper", "log4j.properties"), "logback.xml": read("zookeeper", "logback.xml") };
}

export function zookeeperRecipe(version: string, read: ReadRecipe = recipeFile, arch: string = process.arch): ImageRecipe {
  return zookeeperRecipeOf(checkZookeeperVersion(version), read, arch);
}

/** The recipe of a release as given (tests vary one pin to see the hash move). */
export function zookeeperRecipeOf(release: ZookeeperRelease, read: ReadRecipe = recipeFile, arch: string = process.arch): ImageRecipe {
  const version = release.version;
  const jars = zookeeperJars(release);
  const logs = zookeeperLogConfigs(read);
  return recipe("zookeeper-v2", {
    image: zookeeperImageNames(version).built,
    what: `ZooKeeper ${version}`,
    files: {
      "pom.xml": renderPom(`zookeeper-${version}-jars`, `ZooKeeper ${version}`, jars, read),
      Dockerfile: read("zookeeper", "Dockerfile"),
      "conf/log4j.properties": logs["log4j.properties"],
      "conf/logback.xml": logs["logback.xml"],
      [DISK_SHIM.source]: read("zookeeper", DISK_SHIM.source),
    },
    jarsDir: "lib",
    mavenArgs: mavenArgs("lib", arch),
    required: jars,
    native: [DISK_SHIM],
  });
}

/** The broker's and the tools' console log configs (the same files the official tarball names). */
export function kafkaLogConfigs(read: ReadRecipe = recipeFile): { "log4j.properties": string; "tools-log4j.properties": string } {
  return { "log4j.properties": read("kafka", "log4j.properties"), "tools-log4j.properties": read("kafka", "tools-log4j.properties") };
}

export function kafkaRecipe(read: ReadRecipe = recipeFile, arch: string = process.arch): ImageRecipe {
  const logs = kafkaLogConfigs(read);
  return recipe("kafka-v1", {
    image: kafkaImageNames().built,
    what: `Kafka ${KAFKA_VERSION}`,
    files: {
      "pom.xml": renderPom(`kafka-${KAFKA_VERSION}-jars`, `Kafka ${KAFKA_VERSION}`, KAFKA_JARS, read),
      Dockerfile: read("kafka", "Dockerfile"),
      "config/log4j.properties": logs["log4j.properties"],
      "config/tools-log4j.properties": logs["tools-log4j.properties"],
    },
    jarsDir: "libs",
    mavenArgs: mavenArgs("libs", arch),
    required: KAFKA_JARS,
  });
}
