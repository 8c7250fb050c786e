#!/bin/sh
# zkCli inside a member's container, for what the JS client lacks (reconfig, get /zookeeper/config).
set -eu
if [ -z "${ZK_HOME:-}" ]; then
  for d in /opt/zookeeper /apache-zookeeper-*-bin /zookeeper-*; do [ -d "$d/lib" ] && ZK_HOME=$d && break; done
fi
exec java -Xms32m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Djava.security.properties=/zkdrill/java.security \
  -Dlogback.configurationFile=/zkdrill/logback-quiet.xml \
  -Dlog4j.configuration=file:/zkdrill/log4j-quiet.properties \
  -cp "$ZK_HOME/lib/*:$ZK_HOME/*" \
  org.apache.zookeeper.ZooKeeperMain -server 127.0.0.1:${ZK_CLIENT_PORT:-2181} "$@"
