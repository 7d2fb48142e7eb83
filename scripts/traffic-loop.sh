#!/usr/bin/env bash
# The traffic loop on the simulated zoo, end to end and offline:
#   capture (assay serve with capture on + assay traffic replay) → assay suites from-traffic →
#   assay nightly → catalog → replay again → assay report, with the before and after figures.
# Usage: scripts/traffic-loop.sh [WORKDIR]   (from the repository root, after 'swift build';
# ASSAY=path picks another binary, FIXTURE=file another fixture, SUITES="math writing" only those
# shipped task folders, FROM_TRAFFIC_ARGS="--per-task 10" options, CONCURRENCY=4 requests in flight
# for the demo, the nightly and the replays, default 16). Everything is written in WORKDIR
# (default: a new temporary folder): suites/ (a copy of the shipped ones, plus suites/private),
# assay.yaml, results/, catalog/, and loop.json, the figures.
set -euo pipefail
REPO=$(pwd)
ASSAY=${ASSAY:-$REPO/.build/debug/assay}
FIXTURE=${FIXTURE:-$REPO/traffic/everyday.jsonl}
WORK=${1:-$(mktemp -d /tmp/assay-loop.XXXXXX)}
SIM_PORT=${SIM_PORT:-$((20000 + RANDOM % 10000))}
SERVE_PORT=$((SIM_PORT + 1))
mkdir -p "$WORK" && cd "$WORK"
rm -rf suites && mkdir suites
for task in ${SUITES:-$(cd "$REPO/suites" && ls -d */ | tr -d / | grep -vx private)}; do cp -r "$REPO/suites/$task" suites/; done
log() { printf '\n== %s\n' "$*" >&2; }
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

log "1. the catalog of the shipped suites (assay demo on the simulated zoo)"
"$ASSAY" demo --concurrency "${CONCURRENCY:-16}" --json > demo.json

cat > assay.yaml <<YAML
database: results/assay.sqlite
suites: suites
catalog: catalog
providers:
  sim:
    type: openai
    base_url: http://127.0.0.1:$SIM_PORT/v1
    timeout_seconds: 30
    max_retries: 2
models:
  - {id: sim/pebble-1, efforts: [none, low, medium], price: {input: "0.02", cached_input: "0.005", output: "0.08"}}
  - {id: sim/finch-mini, efforts: [minimal, low, medium, high], price: {input: "0.10", cached_input: "0.025", output: "0.40"}}
  - {id: sim/finch, efforts: [low, medium, high], price: {input: "0.40", cached_input: "0.10", output: "1.60"}}
  - {id: sim/heron-flash, efforts: [none, low, medium, high], price: {input: "0.30", cached_input: "0.03", output: "2.50"}}
  - {id: sim/heron-pro, efforts: [low, medium, high], price: {input: "1.25", cached_input: "0.125", output: "10.00"}}
  - {id: sim/condor, efforts: [low, medium, high, xhigh], price: {input: "3.00", cached_input: "0.30", output: "15.00"}}
  - {id: sim/condor-max, efforts: [low, medium, high], price: {input: "15.00", cached_input: "1.50", output: "75.00"}}
judge: sim/heron-flash
run: {concurrency: ${CONCURRENCY:-16}, epochs: 1, max_tokens: 32768}
nightly: {budget_usd: "500.00"}
serve:
  baseline: sim/condor-max
  traffic: {capture_sample_rate: 1.0}
YAML
# The unknown-prompt policy (serve.unknown_prompts): by default a prompt whose nearest measured
# item is less similar than UNKNOWN_SIMILARITY (default 0.2) goes to UNKNOWN_DEFAULT (default
# sim/finch@medium, the configured default entry), or to an entry that costs no more than it;
# UNKNOWN_CONFIDENCE (default 0: off) also counts a classifier posterior below it as unknown.
# UNKNOWN_DEFAULT=mix routes unknown prompts as any other (the policy's own default).
UNKNOWN_DEFAULT=${UNKNOWN_DEFAULT:-sim/finch@medium}
if [ "$UNKNOWN_DEFAULT" != mix ]; then
  printf '  unknown_prompts: {policy: default_entry, entry: "%s", confidence_below: %s, similarity_below: %s}\n' \
    "$UNKNOWN_DEFAULT" "${UNKNOWN_CONFIDENCE:-0}" "${UNKNOWN_SIMILARITY:-0.2}" >> assay.yaml
fi

start_simulator() {
  "$ASSAY" simulate --port "$SIM_PORT" --suites suites > simulate.log 2>&1 &
  SIM_PID=$!; PIDS+=("$SIM_PID")
  until curl -sf "http://127.0.0.1:$SIM_PORT/healthz" > /dev/null; do sleep 0.2; done
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }
serve_and_replay() {  # $1: name of the phase
  "$ASSAY" serve --config assay.yaml --port "$SERVE_PORT" > "serve-$1.log" 2>&1 &
  local serve_pid=$!; PIDS+=("$serve_pid")
  until curl -sf "http://127.0.0.1:$SERVE_PORT/healthz" > /dev/null; do sleep 0.2; done
  "$ASSAY" traffic replay "$FIXTURE" --server "http://127.0.0.1:$SERVE_PORT" --concurrency "${CONCURRENCY:-8}" --json > "replay-$1.json"
  stop "$serve_pid"   # a graceful stop writes the rest of the traffic log
  # Keep the phase's log apart (with its write-ahead log, which may still hold the last pages).
  for suffix in "" -wal -shm; do
    if [ -e "results/traffic.sqlite$suffix" ]; then mv "results/traffic.sqlite$suffix" "results/traffic-$1.sqlite$suffix"; fi
  done
  "$ASSAY" report --traffic "results/traffic-$1.sqlite" --by model --json > "report-$1.json"
  "$ASSAY" report --traffic "results/traffic-$1.sqlite" --by model
}

log "2. capture: serve the shipped catalog with capture on, replay the fixture"
start_simulator
serve_and_replay before

log "3. assay suites from-traffic (references asked of the baseline, sim/condor-max)"
"$ASSAY" suites from-traffic --config assay.yaml --traffic results/traffic-before.sqlite ${FROM_TRAFFIC_ARGS:-} --json > from-traffic.json
cat from-traffic.json

log "4. assay nightly measures the new suites (the simulator now knows their items) and rebuilds the catalog"
stop "$SIM_PID"; start_simulator
"$ASSAY" nightly --config assay.yaml --json > nightly.json || [ $? -eq 3 ]
cat nightly.json

log "5. the router on the traffic suites' held-out items (quality against always-best)"
"$ASSAY" router eval --config assay.yaml --suites suites/private --json > router-eval.json || [ $? -eq 3 ]

log "6. replay again through the new catalog"
serve_and_replay after

log "7. before and after"
python3 "$REPO/scripts/traffic-loop-figures.py" "$WORK" "$UNKNOWN_DEFAULT"
