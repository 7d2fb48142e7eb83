#!/usr/bin/env bash
# Grading workers: the coding suite graded by 1 and by 4 `assay worker` processes (standing in
# for machines) through a throwaway PostgreSQL server, against the simulated zoo. The 1-worker
# run is the baseline measured in the same invocation; the figure is the ratio of wall times.
# Also checks that every job was stored exactly once (the workers' stored counts add up to the
# run's planned requests, and no claim was lost).
#
#   Benchmarks/workers/bench.sh                 # 3 models × 61 coding items, 300 ms per request
#   LATENCY_MS=1000 WORKER_CONCURRENCY=2 Benchmarks/workers/bench.sh
#   ASSAY=.build/release/assay Benchmarks/workers/bench.sh
#
# Needs PostgreSQL's server binaries (Debian: postgresql) and bubblewrap; run from the repo root.
set -euo pipefail

ASSAY=${ASSAY:-$PWD/.build/debug/assay}
LATENCY_MS=${LATENCY_MS:-300}
WORKER_CONCURRENCY=${WORKER_CONCURRENCY:-1}
COUNTS=${COUNTS:-"1 4"}
SUITES=$PWD/suites
source "$(dirname "$0")/../lib/throwaway-postgres.sh"
pg_workdir workers

pg_start "$WORK"

# The simulated zoo with a fixed latency: a stand-in for a provider's answer time.
"$ASSAY" simulate --port 0 --suites "$SUITES" --latency-ms "$LATENCY_MS" > "$WORK/sim.out" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do grep -q ':' "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
SIM_PORT=$(head -1 "$WORK/sim.out" | sed -E 's#.*:([0-9]+).*#\1#')

run_with() {  # run_with N: prints "wall planned stored lost"
    local n=$1 dir=$WORK/run-$1 database=bench_$1
    mkdir -p "$dir"
    pg_psql -d postgres -c "CREATE DATABASE $database" >/dev/null
    cat > "$dir/assay.yaml" <<YAML
suites: $SUITES
providers:
  sim: {type: openai, base_url: "http://127.0.0.1:$SIM_PORT/v1"}
models:
  - {id: sim/pebble-1, efforts: [none], price: {input: "0.02", output: "0.08"}}
  - {id: sim/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
  - {id: sim/heron-pro, efforts: [low], price: {input: "1.25", output: "10"}}
run: {concurrency: 64}
postgres: {url: "postgres://assay@127.0.0.1:$PG_PORT/$database", password_env: ASSAY_PG_PASSWORD}
YAML
    local workers=()
    for i in $(seq "$n"); do
        (cd "$dir" && ASSAY_LOG_LEVEL=warning exec "$ASSAY" worker --name "w$i" --concurrency "$WORKER_CONCURRENCY" --json > "w$i.json" 2> "w$i.err") &
        workers+=($!)
        PIDS+=($!)
    done
    sleep 1   # let the workers connect: their start-up is not what is measured
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && "$ASSAY" run --workers --suite coding --json > run.json 2> run.err) || true
    end=$(date +%s.%N)
    for pid in "${workers[@]}"; do kill -TERM "$pid"; done
    for pid in "${workers[@]}"; do wait "$pid" || true; done
    python3 - "$dir" "$n" "$start" "$end" <<'PY'
import json, sys
directory, n, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
run = json.load(open(f"{directory}/run.json"))
workers = [json.load(open(f"{directory}/w{i}.json")) for i in range(1, n + 1)]
stored = sum(w["jobs"] for w in workers)
lost = sum(w["lost_claims"] for w in workers)
print(f"{end - start:.2f} {run['planned']} {stored} {lost} {run['completed'] + run['errors']}")
PY
}

echo "coding suite × 3 models, simulator latency ${LATENCY_MS} ms, each worker --concurrency ${WORKER_CONCURRENCY}, $(nproc) cores"
declare -A WALL
for n in $COUNTS; do
    read -r wall planned stored lost samples < <(run_with "$n")
    WALL[$n]=$wall
    echo "workers=$n wall=${wall}s planned=$planned stored_by_workers=$stored samples_in_sqlite_run=$samples lost_claims=$lost"
    if [ "$stored" != "$planned" ] || [ "$lost" != 0 ]; then echo "FAIL: a job was stored twice or not at all"; exit 1; fi
done
set -- $COUNTS
python3 -c "
import sys
base, other = float('${WALL[$1]}'), float('${WALL[$2]}')
print(f'ratio {\"$2\"} workers / {\"$1\"} worker: {other / base:.2f} (ideal {int(\"$1\") / int(\"$2\"):.2f})')
"
