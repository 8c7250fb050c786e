#!/usr/bin/env bash
# Everything a fresh machine needs before a drill or the test suite: a Docker engine, the tools
# that build images offline (debootstrap, Maven, Go), the npm packages, and the images.
# Each step does nothing when its work is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[setup] %s\n' "$*" >&2; }

bash scripts/ensure-docker.sh

missing=()
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ]; then
    log "installing ${missing[*]} from Debian's archive..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing ${missing[*]}: install them (they build the images from package registries), then retry"
    exit 2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages..."
  npm ci --no-audit --no-fund --loglevel=error
fi

# Official images when present or pullable; else built from Debian, Maven Central and the Go proxy.
node --import tsx src/cli/main.ts images build
