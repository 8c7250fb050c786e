#!/usr/bin/env bash
# The whole suite: type check, unit tests, then integration tests on real containers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report test opens report.html in headless Chromium (Debian's package; nothing downloaded).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ]; then
    echo "[test] installing chromium from Debian's archive..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "[test] chromium is missing: install Debian's chromium package, then retry" >&2
    exit 2
  fi
fi
npx tsc --noEmit
# Integration tests need the engine; they never skip quietly without one (setup.sh provides it).
out=$(mktemp)
status=0
npx mocha 'src/**/*.test.ts' 'test/**/*.test.ts' 2>&1 | tee "$out" || status=$?
# mocha's own summary is "N passing / N failing"; CI reads the plain form.
passed=$(sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -Eo '^ *[0-9]+ passing' | grep -Eo '[0-9]+' || echo 0)
failed=$(sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -Eo '^ *[0-9]+ failing' | grep -Eo '[0-9]+' || echo 0)
rm -f "$out"
echo "${passed} passed, ${failed} failed"
exit "$status"
