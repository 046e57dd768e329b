#!/usr/bin/env bash
# `npm test`: brings the test stack up, then lint, typecheck, build, unit and e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
source infra/test-env.sh
export PATH="$PATH:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
# Tests run several workers at once; the one that checks worker metrics picks a free port.
export NODE_ENV=test LOG_LEVEL="${TEST_LOG_LEVEL:-warn}" WORKER_METRICS_PORT=0
step() { printf '\n[test] %s\n' "$*"; }

step "local stack"
bash infra/stack.sh up
step "lint"
npm run --silent lint
step "typecheck"
npm run --silent typecheck
step "build"
npm run --silent build >/dev/null
mkdir -p test-artifacts
step "unit tests"
npx jest --selectProjects unit --json --outputFile test-artifacts/unit.json
step "e2e tests (real PostgreSQL, Redis, S3)"
npx jest --selectProjects e2e --runInBand --json --outputFile test-artifacts/e2e.json
node -e '
const r = ["unit", "e2e"].map((p) => require(`./test-artifacts/${p}.json`));
const passed = r.reduce((n, x) => n + x.numPassedTests, 0);
const failed = r.reduce((n, x) => n + x.numFailedTests, 0);
const skipped = r.reduce((n, x) => n + x.numPendingTests, 0);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
'
