#!/usr/bin/env bash
# `npm start`: brings the local stack up, builds, and runs the API, one worker and the
# web client (static build served with a proxy to the API) with their logs prefixed.
# Ctrl-C stops all three (the stack keeps running; `npm run stack down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh
bash infra/stack.sh up
echo "[start] building api, worker and web client"
npm run --silent build >/dev/null
base="http://127.0.0.1:${PORT}"
web="http://127.0.0.1:${WEB_PORT:-5173}"
cat <<MSG
[start] Ephemera is starting:
[start]   web client   $web   (open this in a browser)
[start]   API          $base/v1
[start]   OpenAPI      $base/docs   (JSON: $base/docs-json)
[start]   health       $base/health/ready
[start]   metrics      $base/metrics   (worker: http://127.0.0.1:${WORKER_METRICS_PORT:-9464}/metrics)
[start]   queues       $base/admin/queues   (user $ADMIN_USER, password from .env / .env.example)
[start]   socket.io    $base/socket.io
[start]   S3 storage   $S3_ENDPOINT/$S3_BUCKET
MSG
exec npx concurrently --names api,worker,web --prefix '[{name}]' --kill-others-on-fail \
  "node dist/apps/api/apps/api/src/main.js" "node dist/apps/worker/apps/worker/src/main.js" \
  "npx vite preview --config apps/web/vite.config.ts"
