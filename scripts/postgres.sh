#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the tests.
#   scripts/postgres.sh start [DIR] [PORT]   prints the URL to use
#   scripts/postgres.sh stop  [DIR]
#   scripts/postgres.sh restart DIR PORT [SECONDS]   stops the server, waits,
#                                                    starts it again (a drill)
# Installs Debian's postgresql when missing. The server runs as the
# `postgres` system user (it refuses root), trusts loopback connections,
# listens on 127.0.0.1 only and keeps its data in DIR (default
# /tmp/anneal-pg), which `stop` deletes.
set -euo pipefail
cmd="${1:-}"
dir="${2:-/tmp/anneal-pg}"
port="${3:-54329}"

options() {
  echo "-p $1 -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
}

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ -z "$(bindir)" ]; then
      sudo=""
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      echo "postgres: installing postgresql with apt-get" >&2
      $sudo apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    fi
    bin="$(bindir)"
    if [ -f "$dir/postmaster.pid" ]; then "$0" stop "$dir"; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U anneal -A trust --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "$(options "$port")" start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U anneal anneal >&2
    echo "postgresql://anneal@127.0.0.1:$port/anneal"
    ;;
  stop)
    bin="$(bindir)"
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  restart)
    bin="$(bindir)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    sleep "${4:-3}"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "$(options "$port")" start >&2
    ;;
  *)
    echo "usage: $0 start|stop|restart [DIR] [PORT] [SECONDS]" >&2
    exit 2
    ;;
esac
