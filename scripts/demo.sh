#!/usr/bin/env bash
# Quick start: install what is missing, build Assay, and run the whole pipeline on the
# built-in simulated model zoo (no API keys). Extra arguments go to 'assay demo'.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "assay: building (the first build takes several minutes)" >&2
swift build --product assay
.build/debug/assay demo "$@"
