#!/usr/bin/env bash
# End-to-end test of `auditor serve`: a real browser (Debian's chromium + chromedriver, Selenium) through the review
# queue, then schemathesis against the served OpenAPI document, then a graceful stop. Installs what is missing.
#
# usage: scripts/e2e-serve.sh [OUT]   OUT (default .build/e2e) gets the queue screenshot and the logs.
# Prints `e2e …` lines only, nothing that looks like a test total (CI reads scripts/test.sh's line for that).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-.build/e2e}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

need=()
for pkg in chromium chromium-driver fonts-noto-cjk; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
VENV=.venv-e2e
if ! "$VENV/bin/python" -c "import selenium, schemathesis" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q selenium schemathesis >"$OUT/pip.log" 2>&1
fi

swift build --product auditor >/dev/null
AUDITOR="$PWD/.build/debug/auditor"
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The example shop plus a hostile listing: markup in its title and category, a script in its page.
cp -r examples/shop "$WORK/shop"
cat >>"$WORK/shop/listings.ndjson" <<'JSON'
{"id": "xss-1", "title": "<img src=x onerror=alert(1)>", "category": "食品/<img src=x onerror=alert(1)>", "price": 9.9, "detail_page": "pages/xss-1.html"}
JSON
cat >"$WORK/shop/pages/xss-1.html" <<'HTML'
<html><body><h1>&lt;img src=x onerror=alert(1)&gt;</h1><p>全网最好</p><script>window.__pwned = 1; alert(1)</script></body></html>
HTML
DB="$WORK/audit.sqlite"
"$AUDITOR" check "$WORK/shop/listings.ndjson" --db "$DB" --fail-on never >/dev/null
REVIEWER=$("$AUDITOR" users add rita --role reviewer --db "$DB")

"$AUDITOR" serve --db "$DB" --port 0 2>"$OUT/serve.log" &
SERVER=$!
for _ in $(seq 1 100); do
  grep -q '^listening on http://' "$OUT/serve.log" && break
  kill -0 "$SERVER" 2>/dev/null || { echo "e2e: the server did not start" >&2; cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.1
done
BASE=$(grep -m 1 -oE 'http://[^ ]+' "$OUT/serve.log")
echo "e2e: serving $BASE"

"$VENV/bin/python" Tests/e2e/browser_review.py "$BASE" "$DB" "$REVIEWER" "$OUT/review-queue.png"

# Schemathesis: generated requests against every operation, as a reviewer (so decisions are tried too), after the
# browser test; no 500 and every response as the document says. Its own report goes to a file.
if ! "$VENV/bin/schemathesis" run Sources/ReviewServer/Web/openapi.json --url "$BASE" \
  --header "Authorization: Bearer $REVIEWER" --max-examples 25 --checks not_a_server_error,response_schema_conformance \
  --suppress-health-check all >"$OUT/schemathesis.log" 2>&1; then
  echo "e2e schemathesis: FAIL (see $OUT/schemathesis.log)" >&2
  tail -n 60 "$OUT/schemathesis.log" >&2
  exit 1
fi
echo "e2e schemathesis: ok   no server error, every response matches the document"

kill -TERM "$SERVER"
status=0
wait "$SERVER" || status=$?
SERVER=""
if [ "$status" -ne 0 ]; then echo "e2e: the server exited $status on SIGTERM" >&2; exit 1; fi
echo "e2e: ok   the server stopped on SIGTERM with exit 0 ($(grep -c ' ms\| [0-9.]*ms ' "$OUT/serve.log") requests logged)"
