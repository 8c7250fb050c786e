#!/bin/sh
# Starts one ZooKeeper member in the foreground, the same way on zkdrill's image and the official one.
# The harness copies this file, zoo.cfg and myid into the container; it never relies on the image's entrypoint.
set -eu
# P2: a standby must join with empty version-2 folders; the harness drops this marker to ask for it.
if [ -f /zkdrill/wipe-data ]; then
  rm -rf /data/version-2 /datalog/version-2
  rm -f /zkdrill/wipe-data
  echo "zkdrill: wiped /data/version-2 and /datalog/version-2 before start"
fi
# P3: a backup the harness restored is staged under /zkdrill/restore; it replaces the data folders.
if [ -d /zkdrill/restore ]; then
  rm -rf /data/version-2 /datalog/version-2
  mkdir -p /data /datalog
  if [ -d /zkdrill/restore/data/version-2 ]; then mv /zkdrill/restore/data/version-2 /data/; fi
  if [ -d /zkdrill/restore/datalog/version-2 ]; then mv /zkdrill/restore/datalog/version-2 /datalog/; fi
  rm -rf /zkdrill/restore
  echo "zkdrill: restored /data/version-2 and /datalog/version-2 from a backup before start"
fi
if [ -z "${ZK_HOME:-}" ]; then
  for d in /opt/zookeeper /apache-zookeeper-*-bin; do [ -d "$d/lib" ] && ZK_HOME=$d && break; done
fi
mkdir -p /data /datalog
# networkaddress.cache.negative.ttl=0: a member that starts before its peers must not remember
# "unknown host" for 10 s (elections would take 10-20 s; ENVIRONMENT.md).
exec java -Xms128m -Xmx128m -XX:+UseSerialGC \
  -Djava.security.properties=/zkdrill/java.security \
  -Dzookeeper.admin.enableServer=false \
  ${ZK_JVM_FLAGS:-} \
  -cp "$ZK_HOME/lib/*:$ZK_HOME/*:$ZK_HOME/conf" \
  org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg
