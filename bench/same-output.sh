#!/usr/bin/env bash
# Checks that an optimisation changed nothing a user sees: runs a baseline auditor binary and a new one on the same
# inputs — the N-listing synthetic corpus (--jobs 2), every feed of the repository's corpus/ and examples/ — and diffs
# their text and JSON reports and a dump of the SQLite tables the run writes, with timestamps and durations masked.
# Exits 1 and shows the first differences when anything differs.
#
# usage: bench/same-output.sh BASELINE_BINARY NEW_BINARY [N]     N listings (default 5000; 0 skips the synthetic corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$1
NEW=$2
N=${3:-5000}
SHARED=${SHARED:-../shared}
WORK=bench/out/same-output
rm -rf "$WORK" && mkdir -p "$WORK"

feeds=()
if [ "$N" != 0 ]; then
  [ -d "bench/out/corpus-$N/pages" ] || python3 "$SHARED/bench/gen_corpus.py" "bench/out/corpus-$N" "$N"
  feeds+=("bench/out/corpus-$N/listings.ndjson")
fi
for feed in corpus/*/listings.ndjson examples/*/listings.ndjson examples/*/listings.csv; do feeds+=("$feed"); done

# Timestamps, durations and the database path are the only things two runs may differ in.
mask() {
  sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/<time>/g' \
    -e 's/"(duration|duration_ms|duration_seconds|elapsed)" *: *[0-9.e+-]+/"\1": <d>/g' \
    -e 's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/<d>/g' -e "s#$WORK/[a-z]+#<work>#g"
}

# dump BINARY NAME FEED: the three outputs of one binary on one feed, masked, into $WORK/NAME.*
dump() {
  local binary=$1 name=$2 feed=$3 db="$WORK/$2.sqlite"
  rm -f "$db"*
  "$binary" check "$feed" --jobs 2 --fail-on never --format json | mask >"$WORK/$name.json"
  "$binary" check "$feed" --jobs 2 --fail-on never --format text --db "$db" | mask >"$WORK/$name.txt"
  for table in listing finding input_issue; do
    echo "-- $table"
    sqlite3 -header "$db" "SELECT * FROM $table ORDER BY rowid" 2>/dev/null || true
  done | mask >"$WORK/$name.db"
}

status=0
for feed in "${feeds[@]}"; do
  dump "$BASE" base "$feed"
  dump "$NEW" new "$feed"
  for kind in json txt db; do
    if ! cmp -s "$WORK/base.$kind" "$WORK/new.$kind"; then
      echo "DIFFERENT: $feed ($kind)"
      diff "$WORK/base.$kind" "$WORK/new.$kind" | head -20
      status=1
    fi
  done
  [ -s "$WORK/new.json" ] || { echo "EMPTY REPORT: $feed"; status=1; }
done
[ $status = 0 ] && echo "same output on ${#feeds[@]} feeds (json, text, SQLite tables)"
exit $status
