#!/usr/bin/env bash
# Everything a fresh machine needs before a drill or the test suite: a Docker engine, the tools that build
# images offline (debootstrap, Maven, Go, a C compiler), the npm packages, and the images. Each step does nothing when
# its work is already done. Steps that need nothing of each other run side by side (scripts/steps.sh):
#   engine (and the image tools: one apt transaction)  beside  npm (the packages)
#   images (the base, jars and Toxiproxy side by side)  beside  dist (the compiled CLI)
# Every step ends with "[setup] STEP: done in N s", and the whole with "[setup] total: done in N s".
#
# --no-images: all but the images and dist/ (`npm run drill`: the run provides the images it needs and
# starts as soon as they are there; bin/zkdrill runs through tsx until dist/ is built).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/steps.sh
. scripts/steps.sh
setup_started=$(now_ms)

images=1
for arg in "$@"; do
  case "$arg" in
    --no-images) images=0 ;;
    *) log "unknown argument '$arg'; usage: bash scripts/setup.sh [--no-images]"; exit 2 ;;
  esac
done

missing_tools() {
  local missing=""
  command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
  command -v mvn >/dev/null 2>&1 || missing="$missing maven"
  command -v go >/dev/null 2>&1 || missing="$missing golang-go"
  # The disk shim (src/images/recipes/zookeeper/zkdrill-disk.c) is compiled here, not in the image.
  { command -v cc >/dev/null 2>&1 && [ -f /usr/include/stdio.h ]; } || missing="$missing gcc libc6-dev binutils"
  echo "${missing# }"
}

# The engine, then the tools that build images; on a bare Debian machine both in one apt transaction.
engine() {
  ZKDRILL_APT_ALSO="$(missing_tools)" bash scripts/ensure-docker.sh
  local missing
  missing=$(missing_tools)
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ]; then
    echo "installing $missing from Debian's archive..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # one word a package
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "missing $missing: install them (they build the images from package registries), then retry"
    return 2
  fi
}

# The packages alone. Their install scripts only build optional native speedups (ssh2's crypto,
# cpu-features) or check what is there (esbuild, protobufjs): zkdrill needs none of them. Ours
# (prepare: dist/) runs below, beside the images, off the drill's path.
npm_packages() {
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
}

start engine engine
fresh_packages=0
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  fresh_packages=1
  start npm npm_packages
fi
await_all

if [ "$images" = 1 ]; then
  # Official images when present or pullable; else built from Debian, Maven Central and the Go proxy.
  start images node --import tsx src/cli/main.ts images build
  if [ "$fresh_packages" = 1 ] || [ ! -f dist/src/cli/main.js ]; then
    # Below the images' priority: the base image's debootstrap is the longest chain.
    start dist nice -n 10 npm run --silent build
  fi
  await_all
fi
log "total: done in $(secs $(($(now_ms) - setup_started))) s"
