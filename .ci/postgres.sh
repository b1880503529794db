#!/usr/bin/env bash
# A throwaway PostgreSQL server for the workflow/pgstore tests.
#
# Sourced (by .ci/run):  . .ci/postgres.sh && pg_start
#   starts a server on a loopback port, exports APPEALS_PG_DSN and stops the server when the
#   sourcing shell exits (trap EXIT). With APPEALS_PG_DSN already set it starts nothing.
# Called:                .ci/postgres.sh go test -count=1 ./workflow/pgstore/
#   starts a server, runs the command with APPEALS_PG_DSN set, stops the server.
#
# PostgreSQL comes from Debian's packages (installed with apt-get when initdb is absent). As
# root the server runs as the postgres user. Durability settings stay at their defaults (fsync,
# synchronous_commit on): the benchmarks measure what production would see.

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

# pg_as runs a command as the server's owner: postgres when we are root, else ourselves.
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_stop() {
  if [ -n "${APPEALS_PG_DIR:-}" ] && [ -d "$APPEALS_PG_DIR/data" ]; then
    pg_as "$APPEALS_PG_BIN/pg_ctl" -D "$APPEALS_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$APPEALS_PG_DIR"
  fi
}

pg_start() {
  if [ -n "${APPEALS_PG_DSN:-}" ]; then
    echo "== PostgreSQL: using APPEALS_PG_DSN from the environment"
    return 0
  fi
  APPEALS_PG_BIN=$(pg_bindir)
  if [ -z "$APPEALS_PG_BIN" ]; then
    echo "== PostgreSQL: installing Debian's packages"
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    APPEALS_PG_BIN=$(pg_bindir)
    [ -n "$APPEALS_PG_BIN" ] || { echo "PostgreSQL: initdb not found after install"; return 1; }
  fi
  local port=${APPEALS_PG_PORT:-55432}
  while ! pg_port_free "$port"; do port=$((port + 1)); done

  APPEALS_PG_DIR=$(mktemp -d /tmp/appeals-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$APPEALS_PG_DIR"; fi
  trap pg_stop EXIT
  echo "== PostgreSQL: $("$APPEALS_PG_BIN/postgres" --version) on 127.0.0.1:$port"
  pg_as "$APPEALS_PG_BIN/initdb" -D "$APPEALS_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  pg_as "$APPEALS_PG_BIN/pg_ctl" -D "$APPEALS_PG_DIR/data" -l "$APPEALS_PG_DIR/server.log" -w \
    -o "-p $port -k $APPEALS_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pg_as "$APPEALS_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres appeals
  export APPEALS_PG_DIR APPEALS_PG_BIN
  export APPEALS_PG_DSN="postgres://postgres@127.0.0.1:$port/appeals?sslmode=disable"
  # pgbench (for the pgstore benchmark) lives beside initdb.
  export PATH="$PATH:$APPEALS_PG_BIN"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  pg_start
  "$@"
fi
