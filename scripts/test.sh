#!/usr/bin/env bash
# The whole suite: type check, unit tests, then integration tests on real containers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
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
