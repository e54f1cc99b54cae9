#!/usr/bin/env bash
# fuzz/run.sh — runs libFuzzer harnesses for FUZZ_TIME seconds each (used by
# `make fuzz`; the binaries must be built: make fuzz-build).
#
#   fuzz/run.sh [NAME...]      NAME: http, validate, norm (default: all)
#
# For each harness: the committed seed corpus fuzz/corpus/NAME/ is copied
# to build/fuzz/corpus/NAME/ (the working corpus the run grows), and
# build/fuzz/fuzz_NAME runs on it with fuzz/NAME.dict and the per-harness
# options below; its log goes to build/fuzz/logs/NAME.log, a crashing
# input to build/fuzz/crashes/NAME-crash-<sha1>. Prints one line of
# figures per harness; exits 1 when any harness found something.
set -uo pipefail
cd "$(dirname "$0")/.."
TIME="${FUZZ_TIME:-60}"
[ $# -gt 0 ] || set -- http validate norm
mkdir -p build/fuzz/logs build/fuzz/crashes

opts_for() {
    case "$1" in
        http) echo "-max_len=16384 -timeout=20 -rss_limit_mb=4096 -detect_leaks=0" ;;
        validate) echo "-max_len=16384 -timeout=10" ;;
        norm) echo "-max_len=1024 -timeout=10" ;;
        *) echo "" ;;
    esac
}

failed=()
for name in "$@"; do
    bin="build/fuzz/fuzz_$name"
    [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 2; }
    work="build/fuzz/corpus/$name"
    rm -rf "$work"
    mkdir -p "$work"
    cp -R "fuzz/corpus/$name/." "$work/"
    dict=()
    [ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
    log="build/fuzz/logs/$name.log"
    echo "== fuzz $name: ${TIME}s, seeds: $(ls "fuzz/corpus/$name" | wc -l), log: $log"
    # shellcheck disable=SC2046
    "$bin" "$work" "${dict[@]}" -max_total_time="$TIME" -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$name-" $(opts_for "$name") >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
    echo "   execs ${execs:-?}, ${speed:-?}/s, coverage ${cov:-?} edges, ${ft:-?} features," \
         "corpus ${corp:-?}, peak RSS ${rss:-?} MB, exit $rc"
    if [ "$rc" -ne 0 ]; then
        failed+=("$name")
        grep -E 'ERROR: |SUMMARY: |Test unit written|fuzz_http: ' "$log" | head -n 8 | sed 's/^/   /'
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs in build/fuzz/crashes/; see fuzz/README.md)"
    exit 1
fi
echo "fuzz: every harness ran ${TIME}s without a finding"
