#!/usr/bin/env bash
# Side-by-side benchmark on one synthetic corpus, in one run:
#   xmllint (parse-only limit of the system libxml2) · peer_python.py --jobs 2 · auditor check --jobs 2 (SQLite and JSON paths)
# Prints listings/s and MB/s for each, auditor/peer and auditor/(2 × xmllint), auditor's peak RSS and its recall per
# rule family against the corpus's truth.ndjson.
#
# usage: bench/compare.sh [N=5000] [--keep]      (needs ../shared beside the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
SHARED=${SHARED:-../shared}
OUT=bench/out/corpus-$N
PY=bench/out/venv/bin/python

# What the benchmark needs, installed only if missing.
if ! command -v xmllint >/dev/null; then apt-get update -qq && apt-get install -y -qq libxml2-utils >/dev/null; fi
if [ ! -x /usr/bin/time ]; then apt-get update -qq && apt-get install -y -qq time >/dev/null; fi
if [ ! -x "$PY" ] || ! "$PY" -c "import lxml, ahocorasick" 2>/dev/null; then
  python3 -m venv bench/out/venv
  bench/out/venv/bin/pip install -q lxml pyahocorasick
fi
[ -d "$OUT/pages" ] || python3 "$SHARED/bench/gen_corpus.py" "$OUT" "$N"
swift build -c release --product auditor >/dev/null
AUDITOR=$(swift build -c release --show-bin-path)/auditor

MB=$(du -sb "$OUT/pages" | awk '{printf "%.1f", $1/1048576}')
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.0f", n/s}'; }
mbps() { awk -v m="$MB" -v s="$1" 'BEGIN{printf "%.1f", m/s}'; }

echo "corpus: $N listings, $MB MB of pages ($OUT)"

t0=$(now); find "$OUT/pages" -name '*.html' -print0 | xargs -0 xmllint --html --noout --nonet 2>/dev/null || true; t1=$(now)
XML_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
printf "%-28s %8s listings/s %7s MB/s  (%.2f s)\n" "xmllint (1 process)" "$(rate "$N" "$XML_S")" "$(mbps "$XML_S")" "$XML_S"

t0=$(now); PEER_OUT=$("$PY" "$SHARED/bench/peer_python.py" "$OUT" bench/out/peer.sqlite --jobs 2); t1=$(now)
PEER_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
printf "%-28s %8s listings/s %7s MB/s  (%.2f s)  %s\n" "peer_python --jobs 2" "$(rate "$N" "$PEER_S")" "$(mbps "$PEER_S")" "$PEER_S" "$PEER_OUT"

run_auditor() { # $1 = label, rest = extra args
  local label=$1; shift
  rm -f bench/out/auditor.sqlite*
  t0=$(now)
  /usr/bin/time -v -o bench/out/time.txt "$AUDITOR" check "$OUT/listings.ndjson" --jobs 2 --fail-on never "$@" >bench/out/report.out
  t1=$(now)
  local secs rss
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' bench/out/time.txt)
  printf "%-28s %8s listings/s %7s MB/s  (%.2f s)  peak RSS %s MB\n" "$label" "$(rate "$N" "$secs")" "$(mbps "$secs")" "$secs" "$rss"
  echo "$secs"
}

SQL_LINE=$(run_auditor "auditor --jobs 2 (SQLite)" --db bench/out/auditor.sqlite --format text | tee /dev/stderr | tail -n 1)
JSON_LINE=$(run_auditor "auditor --jobs 2 (JSON)" --format json | tee /dev/stderr | tail -n 1)
AUD_S=$SQL_LINE
awk -v a="$AUD_S" -v p="$PEER_S" -v x="$XML_S" 'BEGIN{
  printf "ratio auditor/peer (listings/s): %.2fx   auditor/(2 x xmllint): %.0f%%\n", p/a, 100*x/(2*a) }'
awk -v a="$JSON_LINE" -v p="$PEER_S" 'BEGIN{ printf "ratio auditor/peer on the JSON path: %.2fx\n", p/a }'

# Recall per family against truth.ndjson, from the JSON report of the last run.
python3 - "$OUT/truth.ndjson" bench/out/report.out <<'PY'
import json, sys
family = {"license": "license", "food_license": "food_sc", "health_food": "blue_hat", "cross_border": "cross_border",
          "returns": "return_7day", "induced_sharing": "induced_sharing", "pricing": "price", "advertising": "ad_absolute"}
report = json.load(open(sys.argv[2]))
got = {}
for f in report["findings"]:
    if f["severity"] != "info":
        got.setdefault(f["listing_id"], set()).add(family[f["area"]])
hits, total = {}, {}
for line in open(sys.argv[1]):
    t = json.loads(line)
    for fam in t["violations"]:
        total[fam] = total.get(fam, 0) + 1
        hits[fam] = hits.get(fam, 0) + (fam in got.get(t["id"], set()))
print("recall per family (warnings and errors):", "  ".join(f"{k} {hits[k]/total[k]:.3f} ({hits[k]}/{total[k]})" for k in sorted(total)))
PY
