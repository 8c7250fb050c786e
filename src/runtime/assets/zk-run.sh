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
  # An empty or missing backup would start an empty ensemble that looks restored: refuse, naming the folder.
  if ! ls /zkdrill/restore/data/version-2 /zkdrill/restore/datalog/version-2 2>/dev/null | grep -Eq '^(snapshot|log)\.'; then
    echo "zkdrill: restore refused: /zkdrill/restore/data/version-2 and /zkdrill/restore/datalog/version-2 hold no snapshot and no transaction log" >&2
    exit 3
  fi
  rm -rf /data/version-2 /datalog/version-2
  mkdir -p /data /datalog
  if [ -d /zkdrill/restore/data/version-2 ]; then mv /zkdrill/restore/data/version-2 /data/; fi
  if [ -d /zkdrill/restore/datalog/version-2 ]; then mv /zkdrill/restore/datalog/version-2 /datalog/; fi
  rm -rf /zkdrill/restore
  echo "zkdrill: restored /data/version-2 and /datalog/version-2 from a backup before start"
fi
# Clock faults: libfaketime moves the wall clock by the offset in /zkdrill/faketime (read again every
# second); monotonic time is left alone, as ZooKeeper's timeouts and the JVM's own timers run on it.
if [ -n "${ZK_FAKETIME:-}" ]; then
  lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
  if [ -z "$lib" ]; then echo "zkdrill: clock faults need libfaketime (zkdrill's images have it)" >&2; exit 1; fi
  [ -f /zkdrill/faketime ] || echo "+0" > /zkdrill/faketime
  export LD_PRELOAD="$lib" FAKETIME_TIMESTAMP_FILE=/zkdrill/faketime FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_CACHE_DURATION=1
fi
# Disk faults: zkdrill-disk.so (built into zkdrill's images from src/images/recipes/zookeeper/zkdrill-disk.c)
# delays the transaction log's fsyncs or makes them lie, as /zkdrill/disk says; absent or empty: untouched.
if [ -n "${ZK_DISK_FAULTS:-}" ]; then
  shim=/usr/local/lib/zkdrill-disk.so
  if [ ! -f "$shim" ]; then echo "zkdrill: disk faults need $shim (zkdrill's images have it; the official image does not: run with ZKDRILL_OFFLINE=1 to build zkdrill's)" >&2; exit 1; fi
  export LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD }$shim"
fi
if [ -z "${ZK_HOME:-}" ]; then
  # zkdrill's images, then the official ones (3.5+ unpack to apache-zookeeper-*-bin, 3.4 to zookeeper-*).
  for d in /opt/zookeeper /apache-zookeeper-*-bin /zookeeper-*; do [ -d "$d/lib" ] && ZK_HOME=$d && break; done
fi
mkdir -p /data /datalog
# networkaddress.cache.negative.ttl=0: a member that starts before its peers must not remember
# "unknown host" for 10 s (elections would take 10-20 s; ENVIRONMENT.md).
# The log configs are the harness's (official images keep theirs off the classpath): every line logs
# the same ISO8601 shape, which the election times are read from.
exec java -Xms128m -Xmx128m -XX:+UseSerialGC \
  -Djava.security.properties=/zkdrill/java.security \
  -Dzookeeper.admin.enableServer=false \
  -Dlog4j.configuration=file:/zkdrill/log4j.properties \
  -Dlogback.configurationFile=/zkdrill/logback.xml \
  ${ZK_JVM_FLAGS:-} \
  -cp "$ZK_HOME/lib/*:$ZK_HOME/*:$ZK_HOME/conf" \
  org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg
