#!/usr/bin/env bash
# Instructions auditor executes on one corpus, counted by callgrind: the same for the same binary and input whatever
# else the machine is doing, so a change of a few tenths of a per cent shows where wall time on a shared machine
# (±10–30 %) cannot. Prints the total and the functions that cost most, themselves and with what they call.
#
# usage: bench/instructions.sh [N]     N listings (default 2000); needs valgrind and ../shared beside the checkout
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
SHARED=${SHARED:-../shared}
OUT=bench/out/corpus-$N
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
[ -d "$OUT/pages" ] || python3 "$SHARED/bench/gen_corpus.py" "$OUT" "$N"
swift build -c release --product auditor >/dev/null
# valgrind cannot read the debug information Swift emits ("possibly corrupted debuginfo"): count on a copy without it.
objcopy --strip-debug "$(swift build -c release --show-bin-path)/auditor" bench/out/auditor-nodebug
rm -f bench/out/callgrind.out
valgrind --tool=callgrind --callgrind-out-file=bench/out/callgrind.out bench/out/auditor-nodebug check \
  --rules rulesets "$OUT/listings.ndjson" --jobs 1 --fail-on never --format json 2>&1 >/dev/null |
  awk '/Collected/ {print "instructions: " $4 " (" n " listings, --jobs 1)"}' n="$N"
echo "-- most instructions, the function itself:"
callgrind_annotate bench/out/callgrind.out 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n 2,21p | cut -c1-150
echo "-- auditor's own functions, with what they call (below the per-listing check):"
callgrind_annotate --inclusive=yes bench/out/callgrind.out 2>/dev/null | grep -E '^ *[0-9,]+ \(.*auditor-nodebug\]' |
  grep -v -E 'InFlightBatch|auditor_main|AuditorV|CheckV|RunOptionsV|\$sIeg|ListingCheckerV5check' | sed -n 1,20p |
  cut -c1-150
