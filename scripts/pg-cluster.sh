#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `eval "$(scripts/pg-cluster.sh start)"` starts one on a free local
# port and sets AUDITOR_TEST_POSTGRES_URL and PG_CLUSTER_DIR; `scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"` stops
# it and deletes it. PG_CLUSTER_OPTIONS adds server settings (`-c name=value`, as bench/scale.sh does). Installs
# Debian's postgresql when missing (CI machines start without it). As root the server runs as the `postgres` user
# (PostgreSQL refuses to run as root).
set -euo pipefail

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  if [ -z "$(bin_dir)" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
  fi
  BIN=$(bin_dir)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -d)
  chmod 755 "$dir"
  mkdir "$dir/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pg"
  as_owner "$BIN/initdb" -D "$dir/pg/data" -A trust -U postgres >"$dir/initdb.log" 2>&1
  # fsync off: a test cluster is thrown away, and fsync on a shared disk is what makes it slow.
  as_owner "$BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" \
    -o "-p $port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${PG_CLUSTER_OPTIONS:-}" \
    -w start >&2
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres audit
  echo "export AUDITOR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/audit"
  echo "export PG_CLUSTER_DIR=$dir"
  ;;
stop)
  dir=${2:?usage: pg-cluster.sh stop DIR}
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/pg/data" -m immediate stop >&2 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-cluster.sh start | stop DIR" >&2
  exit 2
  ;;
esac
