#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the platform's tests and benchmarks (Debian's postgresql package).
#   bash scripts/pg-cluster.sh start DIR [PORT]   → initdb in DIR, start on 127.0.0.1:PORT, create database
#                                                  lxt_test; prints the SQLAlchemy URL on the last line
#   bash scripts/pg-cluster.sh stop DIR           → stop the cluster (the caller removes DIR)
# Trust authentication on 127.0.0.1 and the unix socket in DIR only; as root the server runs as the
# `postgres` user (PostgreSQL refuses to run as root). Exit 3 when PostgreSQL is not installed.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL is not installed (run scripts/setup.sh)" >&2
  exit 3
fi
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
    # a throwaway cluster: durability settings off (the tests never crash it); the benchmark passes
    # PG_DURABLE=1 to keep fsync on
    extra=()
    if [ -z "${PG_DURABLE:-}" ]; then extra=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off); fi
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 ${extra[*]}" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$PGBIN/createdb" -h "$dir" -p "$port" -U postgres lxt_test
    echo "$port" >"$dir/port"
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/lxt_test"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
