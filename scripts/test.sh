#!/usr/bin/env bash
# The whole test suite (the README's test command), in two passes of `swift test`:
#   1. every suite except those in Tests/timed-suites.txt, in parallel;
#   2. the suites in Tests/timed-suites.txt, one test at a time (they hold wall-clock limits
#      while running several processes; see the file's header).
# Exits non-zero if either pass fails; both passes always run.
set -uo pipefail
cd "$(dirname "$0")/.."

names=$(grep -v '^[[:space:]]*\(#\|$\)' Tests/timed-suites.txt)
timed="\\.($(echo "$names" | paste -sd'|'))\\b"

swift build --build-tests || exit 1

# A name in the list that names no suite would silently move nothing to the second pass.
listed=$(swift test --skip-build --list-tests 2>/dev/null)
for name in $names; do
  if ! grep -q "\.$name/" <<<"$listed"; then
    echo "scripts/test.sh: Tests/timed-suites.txt names '$name', which is no test suite; fix the list" >&2
    exit 1
  fi
done

status=0
echo "== pass 1 of 2: every suite but the timed ones, in parallel"
swift test --skip-build --skip "$timed" || status=1
echo "== pass 2 of 2: the timed suites (Tests/timed-suites.txt), one test at a time"
swift test --skip-build --filter "$timed" --experimental-maximum-parallelization-width 1 || status=1
exit $status
