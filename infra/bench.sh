#!/usr/bin/env bash
# `npm run bench -- <name>`: brings the local stack up, builds, and runs bench/<name>.mjs
# against the test stack, so benchmark data never mixes with `npm start`'s.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run bench -- <auth>}"
source infra/env.sh
source infra/test-env.sh
# Benchmarks may run several workers at once: no worker metrics port.
export WORKER_METRICS_PORT=0
bash infra/stack.sh up >/dev/null
npx nest build api >/dev/null
npx nest build worker >/dev/null
exec node "bench/$name.mjs"
