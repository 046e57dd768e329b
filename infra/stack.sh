#!/usr/bin/env bash
# The local stack without Docker: PostgreSQL, Redis and an S3-compatible server on
# loopback, plus the ffmpeg/exiftool tools the media pipeline and its fixtures use.
# Idempotent: a service already listening on its port is reused; what is missing
# is installed and started; then the database and bucket are created and the
# migrations applied.   Usage: infra/stack.sh [up|down|status]
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh

DATA_DIR="${EPHEMERA_DATA_DIR:-$PWD/.data}"
# MinIO at the newest commit the Go module proxy serves (2026-02-12): the proxy refuses its
# release tags, and MinIO publishes no binaries any more. It builds with `go install`.
MINIO_MODULE="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"
GOBIN_DIR="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
export PATH="$PATH:$GOBIN_DIR"

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# host port user password database, from a URL
url_parts() { node -e 'const u=new URL(process.argv[1]);console.log([u.hostname,u.port||process.argv[2],decodeURIComponent(u.username),decodeURIComponent(u.password),u.pathname.slice(1)].join(" "))' "$1" "$2"; }
read -r PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DB <<<"$(url_parts "$DATABASE_URL" 5432)"
read -r REDIS_HOST REDIS_PORT _ _ _ <<<"$(url_parts "$REDIS_URL" 6379)"
read -r S3_HOST S3_PORT _ _ _ <<<"$(url_parts "$S3_ENDPOINT" 9000)"

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { # name host port seconds
  local deadline=$((SECONDS + $4))
  until listening "$2" "$3"; do
    [ $SECONDS -lt $deadline ] || die "$1 did not start listening on $2:$3 (see $DATA_DIR/*.log)"
    sleep 0.2
  done
}
# As root the server runs as the postgres user, who must be able to reach its folder;
# a checkout under a private home directory gets a folder of its own under /var/tmp.
pg_base() {
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$DATA_DIR" 2>/dev/null; then
    local base="/var/tmp/ephemera-$(printf '%s' "$PWD" | sha256sum | cut -c1-12)"
    mkdir -p "$base" && chmod 755 "$base"
    echo "$base"
  else
    echo "$DATA_DIR"
  fi
}
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_missing() {
  local packages=()
  command -v redis-server >/dev/null || packages+=(redis-server)
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || packages+=(postgresql)
  command -v ffprobe >/dev/null || packages+=(ffmpeg)
  command -v exiftool >/dev/null || packages+=(libimage-exiftool-perl)
  # The web client's browser tests drive Debian's chromium (browser downloads are not possible everywhere).
  command -v chromium >/dev/null || packages+=(chromium fonts-dejavu-core)
  if [ ${#packages[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "please install these Debian packages: ${packages[*]}"
    say "installing ${packages[*]} with apt-get (first run only)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
  if ! command -v minio >/dev/null; then
    command -v go >/dev/null || die "Go is needed to build the S3 server (MinIO)"
    say "building the S3 server: go install $MINIO_MODULE (first run only, a few minutes)"
    go install "$MINIO_MODULE"
  fi
}

start_postgres() {
  if listening "$PG_HOST" "$PG_PORT"; then say "postgresql: reusing $PG_HOST:$PG_PORT"; return; fi
  local base bin
  base="$(pg_base)"
  local pgdata="$base/postgres" run="$base/run"
  bin="$(pg_bin)"
  local as=()
  # PostgreSQL refuses to run as root; the Debian package provides the postgres user.
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  mkdir -p "$pgdata" "$run"
  [ "$(id -u)" != 0 ] || chown postgres "$pgdata" "$run"
  chmod 700 "$pgdata"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "postgresql: initialising $pgdata"
    local pwfile="$run/pwfile"
    printf '%s\n' "$PG_PASSWORD" >"$pwfile"
    [ "$(id -u)" != 0 ] || chown postgres "$pwfile"
    "${as[@]}" "$bin/initdb" -D "$pgdata" -U "$PG_USER" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  say "postgresql: starting on $PG_HOST:$PG_PORT"
  # Local data is disposable, so durability is traded for speed (fsync off); production runs its own server.
  "${as[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$run/postgres.log" -w -t 60 \
    -o "-h $PG_HOST -p $PG_PORT -k $run -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
}

start_redis() {
  if listening "$REDIS_HOST" "$REDIS_PORT"; then say "redis: reusing $REDIS_HOST:$REDIS_PORT"; return; fi
  # One server per port (the dev stack's, the tests' next to it), each with its own files.
  local name="redis-$REDIS_PORT"
  mkdir -p "$DATA_DIR/$name"
  say "redis: starting on $REDIS_HOST:$REDIS_PORT (AOF everysec, noeviction, hz 100)"
  # hz 100: Redis ends blocking commands on its hz tick, so with the default 10 a delayed
  # job (a purge at its deadline) becomes active up to 100 ms late; see README, Ephemerality.
  redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --daemonize yes \
    --dir "$DATA_DIR/$name" --appendonly yes --appendfsync everysec --save "" --hz 100 \
    --maxmemory-policy noeviction --logfile "$DATA_DIR/$name.log" --pidfile "$DATA_DIR/$name.pid"
  wait_for redis "$REDIS_HOST" "$REDIS_PORT" 20
}

start_s3() {
  if listening "$S3_HOST" "$S3_PORT"; then say "s3: reusing $S3_HOST:$S3_PORT"; return; fi
  mkdir -p "$DATA_DIR/minio"
  say "s3: starting MinIO on $S3_HOST:$S3_PORT"
  nohup infra/s3-server.sh "$S3_HOST:$S3_PORT" "$DATA_DIR/minio" >>"$DATA_DIR/s3.log" 2>&1 </dev/null &
  echo $! >"$DATA_DIR/s3.pid"
  wait_for s3 "$S3_HOST" "$S3_PORT" 20
}

stop_all() {
  local bin pgdata
  bin="$(pg_bin)"
  pgdata="$(pg_base)/postgres"
  if [ -f "$pgdata/postmaster.pid" ]; then
    say "postgresql: stopping"
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null || true
    else "$bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null || true; fi
  fi
  local pidfile
  for pidfile in "$DATA_DIR"/*.pid; do
    [ -f "$pidfile" ] || continue
    say "$(basename "$pidfile" .pid): stopping"
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "${1:-up}" in
  up)
    mkdir -p "$DATA_DIR"
    install_missing
    start_postgres
    start_redis
    start_s3
    node infra/bootstrap.mjs
    say "ready: postgres $PG_HOST:$PG_PORT/$PG_DB, redis $REDIS_HOST:$REDIS_PORT, s3 $S3_ENDPOINT/$S3_BUCKET"
    ;;
  down) stop_all ;;
  status)
    for svc in "postgresql $PG_HOST $PG_PORT" "redis $REDIS_HOST $REDIS_PORT" "s3 $S3_HOST $S3_PORT"; do
      read -r name host port <<<"$svc"
      if listening "$host" "$port"; then say "$name: up on $host:$port"; else say "$name: down"; fi
    done
    ;;
  *) die "usage: infra/stack.sh [up|down|status]" ;;
esac
