#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the store tests and
# prints its URL on stdout (diagnostics go to stderr). Stop it with
#   tests/start_postgres.sh --stop DIR
# where DIR is the data folder printed on stderr.
#
# Usage: export IOCSCAN_TEST_PG_URL="$(tests/start_postgres.sh)"
#        deno test -P=test store/ tests/store_concurrency_test.ts
set -euo pipefail

if [[ "${1:-}" == "--stop" ]]; then
  dir="${2:?usage: start_postgres.sh --stop DIR}"
  run() { if [[ "$(id -u)" == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  run "pg_ctl -D '$dir/data' -m fast stop" >&2 || true
  rm -rf "$dir"
  exit 0
fi

bindir=""
for candidate in "$(command -v pg_ctl 2>/dev/null | xargs -r readlink -f | xargs -r dirname)" /usr/lib/postgresql/*/bin; do
  if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
    bindir="$candidate"
    break
  fi
done
if [[ -z "$bindir" ]]; then
  echo "start_postgres.sh: initdb/pg_ctl not found; install them with: apt-get install -y postgresql" >&2
  exit 1
fi

# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
if [[ "$(id -u)" == 0 ]]; then
  owner=postgres
  run() { su "$owner" -s /bin/sh -c "$*"; }
else
  owner="$(id -un)"
  run() { sh -c "$*"; }
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/iocscan-pg.XXXXXX")"
chown "$owner" "$dir" 2>/dev/null || true
chmod 700 "$dir"

# A free TCP port: ask the kernel for one.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)"

run "'$bindir/initdb' -D '$dir/data' -U iocscan --auth=trust -E UTF8 --no-locale" >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
run "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
  -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c full_page_writes=off\" start" >&2 || {
  cat "$dir/server.log" >&2
  exit 1
}
run "'$bindir/createdb' -h 127.0.0.1 -p $port -U iocscan iocscan" >&2

echo "start_postgres.sh: cluster in $dir (stop with: $0 --stop $dir)" >&2
echo "postgres://iocscan@127.0.0.1:$port/iocscan"
