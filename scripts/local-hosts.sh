#!/usr/bin/env bash
# Extra Docker engines on this machine, each in a network namespace of its own, for testing zones on
# separate hosts (ENVIRONMENT.md "Several Docker hosts on one machine"):
#   scripts/local-hosts.sh up N     engines zkdh1..zkdhN at unix:///run/zkdhI/docker.sock, reachable
#                                   from this machine's engine at 10.199.77.(I+1) over a bridge (zkdh-br, 10.199.77.1)
#   scripts/local-hosts.sh down     stops them and removes namespaces, links, bridge and data
# nsenter --net, not `ip netns exec`: the latter remounts /sys and dockerd then finds no devices cgroup.
# Needs root, iproute2, nsenter (util-linux) and dockerd. Every wait is bounded.
set -euo pipefail

BRIDGE=zkdh-br
NET=10.199.77
log() { printf '[local-hosts] %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }

[ "$(id -u)" = "0" ] || die "needs root (it creates network namespaces and runs dockerd)"
for c in ip nsenter dockerd; do command -v "$c" >/dev/null || die "needs $c"; done

fwd() { # the engines' bridged traffic must pass this machine's FORWARD chain (Docker sets it to DROP)
  iptables "$1" FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
}

up() {
  local n=$1
  ip link show "$BRIDGE" >/dev/null 2>&1 || {
    ip link add "$BRIDGE" type bridge
    ip addr add "$NET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  }
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || fwd -I
  for i in $(seq 1 "$n"); do
    local ns=zkdh$i dir=/run/zkdh$i data=/var/lib/zkdh$i
    if [ -S "$dir/docker.sock" ] && docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1; then log "$ns: up already"; continue; fi
    ip netns add "$ns" 2>/dev/null || true
    if ! ip link show "$ns-a" >/dev/null 2>&1; then
      ip link add "$ns-a" type veth peer name "$ns-b"
      ip link set "$ns-a" master "$BRIDGE" up
      ip link set "$ns-b" netns "$ns"
    fi
    nsenter --net=/var/run/netns/$ns ip addr replace "$NET.$((i + 1))/24" dev "$ns-b"
    nsenter --net=/var/run/netns/$ns ip link set "$ns-b" up
    nsenter --net=/var/run/netns/$ns ip link set lo up
    mkdir -p "$dir" "$data"
    nohup nsenter --net=/var/run/netns/$ns dockerd --data-root "$data/docker" --exec-root "$dir/exec" \
      -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" --storage-driver=overlay2 >"$dir/dockerd.log" 2>&1 &
    local ok=0
    for _ in $(seq 1 120); do
      if docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.5
    done
    [ "$ok" = 1 ] || { tail -20 "$dir/dockerd.log" >&2; die "$ns: dockerd did not answer within 60 s (log above)"; }
    log "$ns: unix://$dir/docker.sock at $NET.$((i + 1))"
  done
}

down() {
  for dir in /run/zkdh*; do
    [ -d "$dir" ] || continue
    local ns; ns=$(basename "$dir")
    if [ -f "$dir/docker.pid" ]; then
      local pid; pid=$(cat "$dir/docker.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    # What the engine mounted under its roots (overlay layers, netns files) goes before the folders.
    grep -E " (/var/lib/$ns|$dir)[/ ]" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    ip link del "$ns-a" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$dir" "/var/lib/$ns"
    log "$ns: removed"
  done
  for ns in $(ip netns list 2>/dev/null | awk '/^zkdh/ {print $1}'); do ip netns del "$ns" 2>/dev/null || true; done
  fwd -D
  ip link del "$BRIDGE" 2>/dev/null || true
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down ;;
  *) die "usage: $0 up N | down" ;;
esac
