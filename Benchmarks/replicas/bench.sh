#!/usr/bin/env bash
# The traffic log of three `assay serve` replicas at 1,000 requests/s in total, on two stores side
# by side: each replica's log in its own SQLite file (the baseline, measured in the same
# invocation), and one throwaway PostgreSQL server (`postgres:`), where the client keys and their
# per-minute counters are shared too. The load (an open loop spread over a store's three
# replicas) goes to one store at a time in slices that alternate, --seconds per store in all, so
# the shared machine's noise falls on both. For each store: the serve processes' CPU per request
# (/proc/PID/stat, during its slices), and every request found in its log after a graceful stop
# (SIGTERM); then the ratio PostgreSQL / SQLite and the host's load average. Last, a burst row
# per store: one key with rpm --burst-rpm sent --burst-count requests at once over the three
# replicas, admitted against the limit and the tolerance docs/deploy.md states.
#
#   Benchmarks/replicas/bench.sh                  # 60 s per store at 1,000 req/s
#   Benchmarks/replicas/bench.sh --seconds 20 --rate 500
#   ASSAY=.build/debug/assay DRIVER=Benchmarks/.build/debug/replicas-load Benchmarks/replicas/bench.sh --seconds 5
#
# Run from the repository root after
#   swift build -c release --product assay
#   swift build -c release --package-path Benchmarks --product replicas-load
# Needs PostgreSQL's server binaries (Debian: postgresql), sqlite3 and python3.
# Exits 1 when a request is missing from a log or a burst admits more than the tolerance.
set -euo pipefail

ASSAY=${ASSAY:-$PWD/.build/release/assay}
DRIVER=${DRIVER:-$PWD/Benchmarks/.build/release/replicas-load}
DURATION=60 RATE=1000 SLICE=10 BURST_RPM=50 BURST_COUNT=300 REPLICAS=3
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) DURATION=$2; shift 2 ;;
        --rate) RATE=$2; shift 2 ;;
        --slice-seconds) SLICE=$2; shift 2 ;;
        --burst-rpm) BURST_RPM=$2; shift 2 ;;
        --burst-count) BURST_COUNT=$2; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--rate N] [--slice-seconds N] [--burst-rpm N] [--burst-count N]" >&2; exit 64 ;;
    esac
done
for binary in "$ASSAY" "$DRIVER"; do
    if [ ! -x "$binary" ]; then
        echo "$binary is not built: swift build -c release --product assay; swift build -c release --package-path Benchmarks --product replicas-load (or set ASSAY / DRIVER)" >&2
        exit 66
    fi
done
SUITES=$PWD/suites
source "$(dirname "$0")/../lib/throwaway-postgres.sh"
pg_workdir replicas

# The first line of $1 once it has one matching $2 (a process announcing its port).
wait_line() {
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && { grep -m1 "$2" "$1"; return; }; sleep 0.1; done
    echo "no '$2' in $1 after 30 s:" >&2; cat "$1" "${1%.out}.err" >&2 2>/dev/null || true; exit 70
}
port_of() { sed -E 's#.*127\.0\.0\.1:([0-9]+).*#\1#; s#^([0-9]+)$#\1#'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

pg_start "$WORK"

# The instant upstream: a canned OpenAI answer, so the replicas' CPU is the proxy's and the log's.
"$DRIVER" upstream > "$WORK/upstream.out" &
PIDS+=($!)
UPSTREAM_PORT=$(wait_line "$WORK/upstream.out" '^[0-9]' | port_of)

# A catalog to route by: the classification suite measured on the simulated zoo.
MODELS='  - {id: sim/finch-mini, efforts: [low], price: {input: "0.10", output: "0.40"}}
  - {id: sim/heron-pro, efforts: [low], price: {input: "3.00", output: "15.00"}}'
mkdir -p "$WORK/measure"
"$ASSAY" simulate --port 0 --suites "$SUITES" --latency-ms 0 > "$WORK/measure/sim.out" 2>/dev/null &
SIM=$!
PIDS+=($SIM)
SIM_PORT=$(wait_line "$WORK/measure/sim.out" ':[0-9]' | sed -E 's#.*:([0-9]+).*#\1#')
cat > "$WORK/measure/assay.yaml" <<YAML
suites: $SUITES
providers:
  sim: {type: openai, base_url: "http://127.0.0.1:$SIM_PORT/v1"}
models:
$MODELS
YAML
(cd "$WORK/measure" && "$ASSAY" run --suite classification > run.out 2> run.err && "$ASSAY" catalog build > build.out 2> build.err) \
    || { echo "measuring the catalog failed:" >&2; cat "$WORK/measure/run.err" "$WORK/measure/build.err" >&2; exit 70; }
kill "$SIM"; wait "$SIM" 2>/dev/null || true

# config STORE DIR: a replica's assay.yaml.
config() {
    cat <<YAML
providers:
  sim: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1", max_retries: 0}
models:
$MODELS
catalog: $WORK/measure/catalog
serve:
  baseline: sim/heron-pro
  keys_file: $WORK/$1/keys.json
  traffic: {database: $2/traffic.sqlite}
YAML
    if [ "$1" = postgres ]; then
        echo "postgres: {url: \"postgres://assay@127.0.0.1:$PG_PORT/replicas\", password_env: ASSAY_PG_PASSWORD}"
    fi
}

# start_store STORE: its three replicas (STORE: sqlite | postgres) with two client keys, `steady`
# (no practical limit) and `burst` (rpm $BURST_RPM); sets GROUP (the driver's --group) and
# BURST_URLS, and writes the replicas' pids to $WORK/STORE/pids.
start_store() {
    local store=$1 urls=() pids=()
    if [ "$store" = postgres ]; then pg_psql -d postgres -c "CREATE DATABASE replicas" > /dev/null; fi
    for i in $(seq "$REPLICAS"); do
        mkdir -p "$WORK/$store/r$i"
        config "$store" "$WORK/$store/r$i" > "$WORK/$store/r$i/assay.yaml"
    done
    local first=$WORK/$store/r1/assay.yaml
    local key
    key=$("$ASSAY" keys add steady --rpm 100000000 --config "$first" | tail -1)
    "$ASSAY" keys add burst --rpm "$BURST_RPM" --config "$first" | tail -1 > "$WORK/$store/burst-key"
    for i in $(seq "$REPLICAS"); do
        (cd "$WORK/$store/r$i" && exec "$ASSAY" serve --port 0 --config assay.yaml > serve.out 2> serve.err) &
        pids+=($!)
        PIDS+=($!)
    done
    for i in $(seq "$REPLICAS"); do
        urls+=("http://127.0.0.1:$(wait_line "$WORK/$store/r$i/serve.out" 'serving on' | port_of)/v1/chat/completions")
    done
    echo "${pids[*]}" > "$WORK/$store/pids"
    BURST_URLS=$(IFS=,; echo "${urls[*]}")
    GROUP="$store=$key@$BURST_URLS@$(IFS=,; echo "${pids[*]}")"
}

# burst STORE URLS: the burst key's requests at once, inside one UTC minute (the limit counts per minute).
burst() {
    local second=$(( $(date +%s) % 60 ))
    if [ "$second" -gt 40 ]; then sleep $(( 61 - second )); fi
    "$DRIVER" burst --urls "$2" --key "$(cat "$WORK/$1/burst-key")" --count "$BURST_COUNT" > "$WORK/$1/burst.json"
}

# stop_store STORE: SIGTERM (the replicas write what is queued), waits for them to exit, then sets
# LOGGED to the rows in its log. Called in this shell, not in $(...): a subshell cannot wait for
# this shell's children, and the count would race the replicas' last flush.
stop_store() {
    local pids
    read -r -a pids < "$WORK/$1/pids"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    if [ "$1" = postgres ]; then
        LOGGED=$(pg_psql -d replicas -tAc "SELECT count(*) FROM request")
    else
        LOGGED=0
        for i in $(seq "$REPLICAS"); do LOGGED=$(( LOGGED + $(sqlite3 "$WORK/$1/r$i/traffic.sqlite" "SELECT count(*) FROM request") )); done
    fi
}

echo "$REPLICAS replicas of $(basename "$ASSAY") serve per store; $RATE req/s in total for ${DURATION} s per store, in ${SLICE} s slices alternating between the stores; $(nproc) cores"
start_store sqlite
SQLITE_GROUP=$GROUP SQLITE_URLS=$BURST_URLS
start_store postgres
POSTGRES_GROUP=$GROUP POSTGRES_URLS=$BURST_URLS
LOAD_BEFORE=$(loadavg)
"$DRIVER" steady --group "$SQLITE_GROUP" --group "$POSTGRES_GROUP" --rate "$RATE" --seconds "$DURATION" --slice-seconds "$SLICE" > "$WORK/steady.json"
LOAD_AFTER=$(loadavg)
burst sqlite "$SQLITE_URLS"
burst postgres "$POSTGRES_URLS"
stop_store sqlite; SQLITE_LOGGED=$LOGGED
stop_store postgres; POSTGRES_LOGGED=$LOGGED
python3 - "$WORK" "$REPLICAS" "$BURST_RPM" "$SQLITE_LOGGED" "$POSTGRES_LOGGED" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import json, sys
work, replicas, rpm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
logged = {"sqlite": int(sys.argv[4]), "postgres": int(sys.argv[5])}
stores = {r["name"]: r for r in json.load(open(f"{work}/steady.json"))}
for name in stores:
    stores[name]["burst"] = json.load(open(f"{work}/{name}/burst.json"))
    stores[name]["logged"] = logged[name]
print(f"host load average (1, 5, 15 min): {sys.argv[6]} before the load, {sys.argv[7]} after")
failed = False
for name, r in stores.items():
    expected = r["sent"] + r["burst"]["sent"]
    missing = expected - r["logged"]
    print(f"{name:9} open loop {r['open_loop_requests']} requests at {r['achieved_rate']:.0f} req/s (p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
          f"{r['failed']} failed); serve CPU {r['cpu_seconds']:.1f} s = {r['cpu_us_per_request']:.0f} µs per request "
          f"({r['cpu_us_per_request_above_idle']:.0f} µs above the idle {r['idle_cpu_ms_per_second']:.1f} ms/s of its timers); "
          f"logged {r['logged']} of {expected} sent" + (" (all)" if missing == 0 else f" — MISSING {missing}"))
    failed |= missing != 0
ratio = stores["postgres"]["cpu_us_per_request"] / stores["sqlite"]["cpu_us_per_request"]
above = stores["postgres"]["cpu_us_per_request_above_idle"] / stores["sqlite"]["cpu_us_per_request_above_idle"]
print(f"CPU per request, PostgreSQL / SQLite: {ratio:.3f}× (target ≤ 1.10×); above the idle timers: {above:.3f}×")
tolerance = (replicas - 1) * rpm
for name, r in stores.items():
    b = r["burst"]
    over = b["admitted"] - rpm
    line = (f"burst, {name:8}: {b['sent']} at once for a key with rpm {rpm}: admitted {b['admitted']}, limited {b['limited']}, "
            f"other {b['other']}; overshoot {over:+d}")
    if name == "postgres":
        line += f" (tolerance 0 … +{tolerance}: (replicas − 1) × rpm)"
        failed |= over < 0 or over > tolerance or b["other"] != 0
    else:
        line += " (no shared counters: each replica holds the key to its own rpm)"
    print(line)
sys.exit(1 if failed else 0)
PY
