// The images a run needs: which releases, and provided or built.
export { ensureImages, ensureToxiproxyImage, ensureZookeeperImage, RECIPE_LABEL, type ImageRef } from "./build";
export { checkZookeeperVersion, DEFAULT_ZOOKEEPER_VERSION, ImageInputError, knownImages, toxiproxyImageNames, ZOOKEEPER_RELEASES, zookeeperImageNames } from "./catalog";
export { ensureKafkaImage, type KafkaImageRef } from "./kafka";
export { zookeeperLogConfigs } from "./recipe";
export { spreadImage, type Spread } from "./spread";
