#!/usr/bin/env bash
# The local S3 server, as the stack runs it and as tests that stop and restart storage
# run a private one: MinIO on a single folder, in the foreground, without its web console.
# Usage: infra/s3-server.sh HOST:PORT DIR, with S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY set.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: infra/s3-server.sh HOST:PORT DIR" >&2; exit 2; }
export MINIO_ROOT_USER="$S3_ACCESS_KEY_ID" MINIO_ROOT_PASSWORD="$S3_SECRET_ACCESS_KEY"
export MINIO_SITE_REGION="${S3_REGION:-us-east-1}" MINIO_BROWSER=off MINIO_UPDATE=off
exec minio server "$2" --address "$1" --quiet
