#!/usr/bin/env bash
# The whole suite: type check, unit tests, then integration tests on real containers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit
# Integration tests need the engine; they never skip quietly without one (setup.sh provides it).
npx mocha 'src/**/*.test.ts' 'test/**/*.test.ts'
