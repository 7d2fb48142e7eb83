#!/usr/bin/env bash
# Coverage-guided fuzzing of Assay's parsers with libFuzzer (issue 22).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds the Fuzz/ package with -sanitize=fuzzer,address (debug: see Fuzz/README.md for why),
# then runs each target (all by default) for SECONDS_PER_TARGET (default 20) on a fresh copy of
# its committed seed corpus Fuzz/Corpus/<target>/ in a temporary folder, so git stays clean.
# Prints executions, exec/s, coverage and new corpus entries per target. A crash, timeout or
# out-of-memory input is saved under Fuzz/Crashes/ with the command that replays it, and the
# script exits 1.
#
# Environment: FUZZ_CONFIG (debug|release, default debug), FUZZ_SANITIZERS (default
# fuzzer,address), FUZZ_KEEP=1 keeps the working corpora (their path is printed), FUZZ_ARGS
# adds libFuzzer flags (e.g. "-jobs=2 -workers=2", "-only_ascii=1").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-20}
[ $# -gt 0 ] && shift
all=(fuzz-suite-yaml fuzz-config fuzz-sse-openai fuzz-sse-anthropic fuzz-sse-gemini fuzz-price-text
     fuzz-html-extractor fuzz-ingress-openai fuzz-ingress-anthropic fuzz-json-fields)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for target in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $target "* ]] || { echo "fuzz: no target $target (one of: ${all[*]})" >&2; exit 2; }
done
config=${FUZZ_CONFIG:-debug}
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
build=(swift build --package-path Fuzz -c "$config" -Xswiftc "-sanitize=$sanitizers")

started=$(date +%s)
buildlog=$(mktemp "${TMPDIR:-/tmp}/assay-fuzz-build.XXXXXX")
# One product at a time: a plain `swift build` would also link the main package's `assay`
# with the fuzzer flags (and fail: it has no fuzz entry).
for target in "${targets[@]}"; do
    if ! "${build[@]}" --product "$target" >>"$buildlog" 2>&1; then
        grep -E 'error:' "$buildlog" | head -20 >&2
        echo "fuzz: the build failed: ${build[*]} --product $target (log: $buildlog)" >&2
        exit 2
    fi
done
# Our own warnings (dependencies' are not ours to fix).
grep -E "^$root/(Sources|Fuzz/Sources)/.*warning:" "$buildlog" | sort -u || true
rm -f "$buildlog"
bin=$("${build[@]}" --show-bin-path)
echo "fuzz: built in $(( $(date +%s) - started )) s ($config, -sanitize=$sanitizers); $seconds s per target"

work=$(mktemp -d "${TMPDIR:-/tmp}/assay-fuzz.XXXXXX")
[ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
failed=0
printf '%-24s %10s %8s %10s %8s %s\n' target execs exec/s cov new result
for target in "${targets[@]}"; do

    corpus="$work/$target/corpus"
    mkdir -p "$corpus"
    [ -d "Fuzz/Corpus/$target" ] && cp -R "Fuzz/Corpus/$target/." "$corpus/"
    log="$work/$target/log"
    status=0
    # The Swift runtime's backtracer would wait for a debugger-like symbolication on every
    # crash; libFuzzer and ASan print their own stack.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" \
        "$bin/$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/$target/" -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    execs=$(stat number_of_executed_units); rate=$(stat average_exec_per_sec); new=$(stat new_units_added)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    result=ok
    artifacts=$(find "$work/$target" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \))
    if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
        failed=1
        result="FAILED (exit $status)"
        mkdir -p Fuzz/Crashes
        for artifact in $artifacts; do
            saved="Fuzz/Crashes/$target-$(basename "$artifact")"
            cp "$artifact" "$saved"
            result="$result; saved $saved"
        done
    fi
    printf '%-24s %10s %8s %10s %8s %s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${new:-?}" "$result"
    if [ "$result" != ok ]; then
        grep -E 'ERROR: |Fatal error|property failed|SUMMARY' "$log" | head -5 | sed 's/^/    /'
        echo "    log: $log (kept)"; trap - EXIT
        for artifact in $artifacts; do
            echo "    replay: ${build[*]} --product $target && SWIFT_BACKTRACE=enable=no $bin/$target Fuzz/Crashes/$target-$(basename "$artifact")"
        done
    fi
done
[ "${FUZZ_KEEP:-0}" = 1 ] && echo "fuzz: working corpora in $work"
echo "fuzz: done in $(( $(date +%s) - started )) s"
exit $failed
