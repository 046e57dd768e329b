# Sourced (after infra/env.sh) by the scripts that run tests and benchmarks: their own
# database (<name>_test), bucket (<bucket>-test) and Redis server (the next port up), so
# they never touch what `npm start` holds. A test that flushes Redis or pauses a queue
# affects only them, and no worker of the dev stack takes their jobs (or they its).
_test_url() { node -e '
  const u = new URL(process.argv[1]);
  if (process.argv[2] === "db") u.pathname += "_test";
  else u.port = String(Number(u.port || 6379) + 1);
  console.log(u.toString().replace(/\/$/, ""));' "$1" "$2"; }
DATABASE_URL="$(_test_url "$DATABASE_URL" db)"
REDIS_URL="$(_test_url "$REDIS_URL" redis)"
export DATABASE_URL REDIS_URL S3_BUCKET="${S3_BUCKET}-test"
unset -f _test_url
