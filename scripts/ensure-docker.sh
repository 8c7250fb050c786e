#!/usr/bin/env bash
# Makes sure a Docker engine answers. Does nothing when one already does.
# On a bare Debian machine (as root) it installs docker.io and starts dockerd;
# anywhere else it says what to do and exits non-zero.
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
  log "no Docker engine answers 'docker info'."
  log "fix: install and start Docker (https://docs.docker.com/engine/install/), or run this script as root on Debian."
  exit 2
fi

if ! command -v dockerd >/dev/null 2>&1; then
  # ZKDRILL_APT_ALSO: more packages for the same transaction (setup.sh's image tools): one update, one dpkg run.
  log "installing docker.io${ZKDRILL_APT_ALSO:+ $ZKDRILL_APT_ALSO} from Debian's archive..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # one word a package
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates ${ZKDRILL_APT_ALSO:-} >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/zkdrill-dockerd.log)..."
  nohup dockerd --storage-driver=overlay2 >/var/log/zkdrill-dockerd.log 2>&1 &
fi

# Bounded wait: 60 tries, 1 s apart.
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "engine ready: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; see /var/log/zkdrill-dockerd.log"
tail -n 20 /var/log/zkdrill-dockerd.log >&2 || true
exit 1
