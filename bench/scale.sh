#!/usr/bin/env bash
# Scale-out benchmark: listings/s of 1, 2 and 4 `auditor worker` processes on one local PostgreSQL, beside one
# `auditor check` process into SQLite, on the same synthetic corpus; and the database round trips per listing (every
# statement a worker sends, BEGIN and COMMIT included, counted by pg_stat_statements), which batching must keep well
# under one.
#
# usage: bench/scale.sh [N]     N listings (default 5000); BATCH=K sets the workers' --batch (default 100).
# Starts its own throw-away PostgreSQL (scripts/pg-cluster.sh) and removes it. Each worker runs one checking thread
# (--jobs 1), so workers = cores used; on a 2-core machine 4 workers cannot beat 2.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
BATCH=${BATCH:-100}
OUT=bench/out/corpus-$N
[ -d "$OUT/pages" ] || python3 bench/gen_corpus.py "$OUT" "$N" --seed 7 >/dev/null
swift build -c release --product auditor >/dev/null
AUDITOR="$(swift build -c release --show-bin-path)/auditor"
FEED="$OUT/listings.ndjson"

export PG_CLUSTER_OPTIONS="-c shared_preload_libraries=pg_stat_statements"
pg_env=$(scripts/pg-cluster.sh start)
eval "$pg_env"
tmp=$(mktemp -d)
trap 'scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"; rm -rf "$tmp"' EXIT
BASE=${AUDITOR_TEST_POSTGRES_URL%/*}

now() { date +%s.%N; }
rate() { awk -v n="$N" -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", n / (b - a) }'; }

echo "corpus: $N listings ($(du -sh "$OUT/pages" | cut -f1) of pages), batch $BATCH, $(nproc) cores"
for jobs in 1 "$(nproc)"; do
  start=$(now)
  "$AUDITOR" check "$FEED" --db "$tmp/check-$jobs.sqlite" --jobs "$jobs" --format json >/dev/null || true
  end=$(now)
  printf '%-34s %6s listings/s\n' "check, SQLite, 1 process, --jobs $jobs" "$(rate "$start" "$end")"
done

for workers in 1 2 4; do
  db="scale_$workers"
  psql -q "$BASE/audit" -c "CREATE DATABASE $db"
  url="$BASE/$db"
  psql -q "$url" -c "CREATE EXTENSION pg_stat_statements"
  start=$(now)
  "$AUDITOR" queue add "$FEED" --db "$url" >/dev/null 2>&1
  end=$(now)
  enqueue=$(rate "$start" "$end")
  psql -qtA "$url" -c "SELECT pg_stat_statements_reset()" >/dev/null
  start=$(now)
  pids=()
  for _ in $(seq "$workers"); do
    "$AUDITOR" worker --db "$url" --jobs 1 --batch "$BATCH" --exit-when-idle 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  end=$(now)
  calls=$(psql -qtA "$url" -c "SELECT sum(calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = '$db' AND s.query NOT LIKE '%pg_stat_statements%'")
  done_jobs=$(psql -qtA "$url" -c "SELECT count(*) FROM job WHERE state = 'done'")
  printf '%-34s %6s listings/s   %.3f round trips/listing   (%s done; queue add %s listings/s)\n' \
    "worker ×$workers, PostgreSQL" "$(rate "$start" "$end")" "$(awk -v c="$calls" -v n="$N" 'BEGIN { print c / n }')" \
    "$done_jobs" "$enqueue"
done
