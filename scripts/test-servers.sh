#!/usr/bin/env bash
# Throw-away PostgreSQL and Redis servers on loopback, for the test suite and for local fleets.
#
#   scripts/test-servers.sh install        install the Debian packages if missing (root; apt-get)
#   scripts/test-servers.sh start [DIR]    start both on free ports under DIR (default: a new temp dir),
#                                          print the DIR; DIR/env holds the export lines
#   scripts/test-servers.sh stop DIR       stop both and delete DIR
#   scripts/test-servers.sh available      exit 0 when the packages are installed
#   scripts/test-servers.sh stop-postgres DIR | start-postgres DIR | stop-redis DIR | start-redis DIR
#                                          stop or restart one server on its port, keeping DIR (outage tests)
#
#   eval "$(scripts/test-servers.sh start-env)"   start in a temp dir and export
#                                                 TEST_DATABASE_URL, TEST_REDIS_URL, FACEMATCH_TEST_SERVERS_DIR
#
# Redis runs with persistence off (--save '' --appendonly no): it holds face crops and embeddings,
# which must never reach the disk. PostgreSQL's data directory lives in DIR and is deleted on stop.
set -euo pipefail

die() { echo "test-servers: $*" >&2; exit 1; }

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && [ -x "$(pg_config --bindir)/pg_ctl" ]; then
    pg_config --bindir; return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  return 1
}

have_servers() { pg_bindir >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; }

install() {
  if have_servers; then return 0; fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL or redis-server is missing; install the Debian packages postgresql and redis-server"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL or redis-server is missing and apt-get is not available"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null
  have_servers || die "installation did not provide PostgreSQL and redis-server"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# Run a command as the owner of the PostgreSQL files: initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Socket in DIR (not /var/run/postgresql, which may not exist); TCP on loopback only.
start_postgres() {
  local dir="$1" bin port
  bin=$(pg_bindir)
  port=$(cat "$dir/pg/port")
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $port -k $dir/pg -c fsync=on -c max_connections=100" start >/dev/null ||
    { cat "$dir/pg/server.log" >&2; die "PostgreSQL did not start"; }
}

stop_postgres() {
  local bin
  bin=$(pg_bindir) || return 0
  as_pg "$bin/pg_ctl" -D "$1/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

start_redis() {
  local dir="$1" port
  port=$(cat "$dir/redis.port")
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$dir/redis.log" >&2; die "Redis did not start"
}

stop_redis() {
  local dir="$1" pid
  [ -f "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  # Wait until the port is free, so that a restart on the same port cannot fail.
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$dir/redis.pid"
}

start() {
  have_servers || die "PostgreSQL or redis-server is not installed (run: $0 install)"
  local dir="${1:-}"
  [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/facematch-servers.XXXXXX")
  mkdir -p "$dir"
  chmod 755 "$dir"
  local bin pg_port redis_port
  bin=$(pg_bindir)
  pg_port=$(free_port)
  redis_port=$(free_port)

  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pg"
  as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; die "initdb failed"; }
  echo "$pg_port" >"$dir/pg/port"
  echo "$redis_port" >"$dir/redis.port"
  start_postgres "$dir"
  "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qAt -c 'CREATE DATABASE facematch_test' >/dev/null
  start_redis "$dir"

  cat >"$dir/env" <<EOF
export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/facematch_test
export TEST_REDIS_URL=redis://127.0.0.1:$redis_port
export FACEMATCH_TEST_SERVERS_DIR=$dir
EOF
  echo "$dir"
}

stop() {
  local dir="${1:-}"
  [ -n "$dir" ] && [ -d "$dir" ] || die "usage: $0 stop DIR"
  [ -d "$dir/pg/data" ] && stop_postgres "$dir"
  stop_redis "$dir"
  rm -rf "$dir"
}

# The directory of a running pair, for the single-server commands.
servers_dir() {
  [ -n "${1:-}" ] && [ -f "$1/pg/port" ] && [ -f "$1/redis.port" ] || die "usage: $0 stop-postgres|start-postgres|stop-redis|start-redis DIR (a DIR made by start)"
  echo "$1"
}

case "${1:-}" in
  install) install ;;
  start) shift; start "${1:-}" ;;
  start-env) dir=$(start) && cat "$dir/env" ;;
  stop) shift; stop "${1:-}" ;;
  available) have_servers ;;
  stop-postgres) shift; dir=$(servers_dir "${1:-}"); stop_postgres "$dir" ;;
  start-postgres) shift; dir=$(servers_dir "${1:-}"); start_postgres "$dir" ;;
  stop-redis) shift; dir=$(servers_dir "${1:-}"); stop_redis "$dir" ;;
  start-redis) shift; dir=$(servers_dir "${1:-}"); start_redis "$dir" ;;
  *) die "usage: $0 install | available | start [DIR] | start-env | stop DIR | stop-postgres|start-postgres|stop-redis|start-redis DIR" ;;
esac
