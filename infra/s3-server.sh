#!/usr/bin/env bash
# The local S3 server, as the stack runs it and as tests that stop and restart storage
# run a private one: versitygw serving a plain folder, in the foreground.
# Usage: infra/s3-server.sh HOST:PORT DIR, with ROOT_ACCESS_KEY_ID/ROOT_SECRET_ACCESS_KEY set.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: infra/s3-server.sh HOST:PORT DIR" >&2; exit 2; }
# --keep-alive: without it versitygw answers every request with `Connection: close`, so
# each S3 call of the API and the worker would open (and the server close) a new TCP
# connection, as no production S3 makes them do.
exec versitygw --port "$1" --region "${S3_REGION:-us-east-1}" --keep-alive --quiet posix "$2"
