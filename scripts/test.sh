#!/usr/bin/env bash
# The whole suite: type check, unit tests, then integration tests on real containers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report tests open report.html in headless Chromium, turn report.pdf into page images and text
# (poppler-utils), check metrics.prom with promtool and scrape the live endpoint with a real Prometheus
# (prometheus): Debian's packages, nothing downloaded. Prometheus is started by the tests only. The
# compose test brings a generated file up with docker-compose (Debian's, v1) unless docker compose (v2) answers.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ]; then
    echo "[test] installing ${missing[*]} from Debian's archive..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d-less hosts would start the packaged Prometheus service: the tests start their own.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
  else
    echo "[test] missing: ${missing[*]}; install Debian's packages (apt-get install --no-install-recommends ${missing[*]}), then retry" >&2
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
