#!/usr/bin/env bash
# `npm run bench -- <name>`: brings the local stack up, builds, and runs bench/<name>.mjs
# against the test database, so benchmark data never mixes with `npm start`'s.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run bench -- <auth>}"
source infra/env.sh
DATABASE_URL="$(node -e 'const u=new URL(process.argv[1]);u.pathname=u.pathname+"_test";console.log(u.toString())' "$DATABASE_URL")"
# Benchmarks may run several workers at once: no worker metrics port.
export DATABASE_URL S3_BUCKET="${S3_BUCKET}-test" WORKER_METRICS_PORT=0
bash infra/stack.sh up >/dev/null
npx nest build api >/dev/null
npx nest build worker >/dev/null
exec node "bench/$name.mjs"
