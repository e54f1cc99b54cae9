#!/usr/bin/env bash
# cpu-per-request.sh — server CPU time per request for one awda binary.
#
#   bench/cpu-per-request.sh                       (build/awda, bench/data/cpu.db)
#   AWDA=/tmp/old/awda GEN=/tmp/old/gen DB=/tmp/old.db bench/cpu-per-request.sh
#
# Throughput on a shared two-core machine says more about the neighbours than
# about the server; the CPU time the server process spends per answered
# request moves much less. This script measures that, for one binary, so
# that two builds (or two commits) can be compared honestly:
#   1. if $DB does not exist, creates it with "$AWDA init" and fills it with
#      "$GEN" (the generator built from the same commit as the binary, so the
#      rows match that commit's schema): $PERSONS persons in $CASES cases,
#      seed $SEED; the admin password is kept in $DB.password;
#   2. picks 2,000 random case ids ($DB.ids), starts "$AWDA serve" on
#      127.0.0.1:$PORT with $THREADS worker threads (access log to $DB.log),
#      signs in as admin;
#   3. for each scenario in $SCENARIOS (get_case, search, post_case, readiness, case_list: the wrk
#      scripts of bench/wrk/ next to this file), a $WARMUP warm-up, then
#      $ROUNDS rounds of "wrk -t2 -c$CONNECTIONS -d$DURATION"; for each round,
#      reads utime+stime of the server from /proc/PID/stat and of each of its
#      threads from /proc/PID/task/*/stat before and after, and prints
#        CPU name=get_case round=1 requests=N ok_rps=R us_per_req=U busiest_thread_us=B
#      where busiest_thread_us is the CPU per request of the single busiest
#      thread (the group-commit writer when it is the bottleneck);
#   4. prints one SUMMARY line per scenario: median, lowest and highest
#      us_per_req over the rounds; stops the server.
# With REF_AWDA set (and REF_GEN, REF_DB, made the same way), a second server
# runs the reference binary on port $((PORT + 1)) and the rounds alternate:
# reference, measured, reference, measured... Load from other processes
# changes slowly, so the ratio of the two medians (printed as
# ratio_to_ref) is far steadier than either figure alone; the reference's
# lines say name=ref:get_case.
# Clock ticks are 10 ms: a round must take at least a few seconds of CPU for
# the figure to mean anything (the default 5 s rounds at 64 connections do).
# Only loopback is used. Environment: AWDA (build/awda), GEN (bench/gen),
# DB (bench/data/cpu.db), PERSONS (100000), CASES (60000), SEED (20260101),
# SCENARIOS ("get_case search post_case"), ROUNDS (5), DURATION (5s),
# WARMUP (2s), CONNECTIONS (64), THREADS (8), PORT (8082), REF_AWDA, REF_GEN,
# REF_DB (none).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
AWDA=${AWDA:-build/awda}
GEN=${GEN:-$HERE/gen}
DB=${DB:-$HERE/data/cpu.db}
PERSONS=${PERSONS:-100000}
CASES=${CASES:-60000}
SEED=${SEED:-20260101}
SCENARIOS=${SCENARIOS:-get_case search post_case}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-8}
PORT=${PORT:-8082}
HOST=127.0.0.1
HZ=$(getconf CLK_TCK)

die() { printf 'cpu-per-request.sh: %s\n' "$*" >&2; exit 1; }
[[ -x $AWDA ]] || die "no binary $AWDA"
command -v wrk >/dev/null || die "wrk not installed"

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT

# make_db BINARY GENERATOR DB: the data set, made by that commit's own tools.
make_db() {
    local awda=$1 gen=$2 db=$3
    mkdir -p "$(dirname "$db")"
    [[ -f $db ]] && return 0
    [[ -x $gen ]] || die "no generator $gen"
    "$awda" init --db "$db" >"$db.init" 2>&1 || { cat "$db.init" >&2; die "init failed"; }
    sed -n 's/^[[:space:]]*password:[[:space:]]*//p' "$db.init" | head -1 >"$db.password"
    [[ -s $db.password ]] || die "no password line in $db.init"
    "$gen" --db "$db" --persons "$PERSONS" --cases "$CASES" --seed "$SEED" >"$db.gen" 2>&1 ||
        { tail "$db.gen" >&2; die "generator failed"; }
}

# start BINARY DB PORT: starts a server, signs in; sets STARTED_PID and
# writes the token to DB.token and 2,000 random case ids to DB.ids.
start() {
    local awda=$1 db=$2 port=$3 pid body
    python3 - "$db" >"$db.ids" <<'EOF2'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (i,) in c.execute("SELECT id FROM cases ORDER BY random() LIMIT 2000"):
    print(i)
EOF2
    "$awda" serve --db "$db" --listen "$HOST:$port" --threads "$THREADS" >"$db.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    local up=0
    for ((i = 0; i < 3000; i++)); do # 60 s: a loaded machine can be slow
        curl -s -o /dev/null "http://$HOST:$port/healthz" && { up=1; break; }
        kill -0 "$pid" 2>/dev/null || { tail "$db.log" >&2; die "server exited"; }
        sleep 0.02
    done
    ((up)) || die "server did not answer /healthz within 60 s"
    body=$(python3 -c 'import json,sys; print(json.dumps({"username":"admin","password":sys.argv[1]}))' "$(cat "$db.password")")
    curl -s -H 'Content-Type: application/json' -d "$body" "http://$HOST:$port/api/v1/session" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >"$db.token" ||
        { tail -3 "$db.log" >&2; die "sign-in failed"; }
    STARTED_PID=$pid
}

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | head -1; }
thread_ticks() { # PID -> "TID TICKS" per line
    for f in /proc/"$1"/task/*/stat; do
        awk -v f="$f" '{ split(f, p, "/"); print p[5], $14 + $15 }' "$f" 2>/dev/null || true
    done
}

# round LABEL PID DB PORT: one measured wrk run; prints a CPU line and sets US.
round() {
    local label=$1 pid=$2 db=$3 port=$4 t0 t1 c0 c1 out res n okr busiest bt
    t0=$(thread_ticks "$pid")
    c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    out=$(AWDA_TOKEN_FILE=$db.token AWDA_IDS=$db.ids wrk -t2 -c"$CONNECTIONS" -d"$DURATION" \
        -s "$HERE/wrk/$s.lua" "http://$HOST:$port" 2>&1 || true)
    c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    t1=$(thread_ticks "$pid")
    res=$(grep '^RESULT' <<<"$out" || echo "RESULT requests=0 ok_rps=0")
    n=$(field requests <<<"$res")
    okr=$(field ok_rps <<<"$res")
    busiest=$(awk 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > m) m = d } END { print m + 0 }' \
        <(printf '%s\n' "$t0") <(printf '%s\n' "$t1"))
    US=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f", (b - a) * 1e6 / hz / n; else print "nan" }')
    bt=$(awk -v d="$busiest" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "nan" }')
    echo "CPU name=$label round=$r requests=$n ok_rps=$okr us_per_req=$US busiest_thread_us=$bt"
}

warm() { # warm DB PORT
    AWDA_TOKEN_FILE=$1.token AWDA_IDS=$1.ids wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" \
        -s "$HERE/wrk/$s.lua" "http://$HOST:$2" >/dev/null 2>&1 || true
}

summary() { # LABEL VALUES... -> SUMMARY line; sets MEDIAN
    local label=$1
    shift
    MEDIAN=$(printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    printf '%s\n' "$@" | sort -g | awk -v s="$label" -v m="$MEDIAN" '{ v[NR] = $1 } END {
        printf "SUMMARY name=%s rounds=%d median_us=%.1f min_us=%.1f max_us=%.1f\n", s, NR, m, v[1], v[NR] }'
}

make_db "$AWDA" "$GEN" "$DB"
start "$AWDA" "$DB" "$PORT"
PID=$STARTED_PID
REF_PID=""
if [[ -n ${REF_AWDA:-} ]]; then
    [[ -x $REF_AWDA ]] || die "no reference binary $REF_AWDA"
    REF_DB=${REF_DB:-$HERE/data/cpu-ref.db}
    make_db "$REF_AWDA" "${REF_GEN:-$GEN}" "$REF_DB"
    start "$REF_AWDA" "$REF_DB" "$((PORT + 1))"
    REF_PID=$STARTED_PID
fi

for s in $SCENARIOS; do
    [[ -n $REF_PID ]] && warm "$REF_DB" "$((PORT + 1))"
    warm "$DB" "$PORT"
    sleep 0.5
    vals=() refs=()
    for ((r = 1; r <= ROUNDS; r++)); do
        if [[ -n $REF_PID ]]; then
            round "ref:$s" "$REF_PID" "$REF_DB" "$((PORT + 1))"
            refs+=("$US")
        fi
        round "$s" "$PID" "$DB" "$PORT"
        vals+=("$US")
    done
    summary "$s" "${vals[@]}"
    m=$MEDIAN
    if [[ -n $REF_PID ]]; then
        summary "ref:$s" "${refs[@]}"
        awk -v a="$m" -v b="$MEDIAN" -v s="$s" 'BEGIN { if (b > 0) printf "RATIO name=%s ratio_to_ref=%.3f\n", s, a / b }'
    fi
done
