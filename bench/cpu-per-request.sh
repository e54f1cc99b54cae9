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
#   3. for each scenario in $SCENARIOS (get_case, search, post_case: the wrk
#      scripts of bench/wrk/ next to this file), a $WARMUP warm-up, then
#      $ROUNDS rounds of "wrk -t2 -c$CONNECTIONS -d$DURATION"; for each round,
#      reads utime+stime of the server from /proc/PID/stat and of each of its
#      threads from /proc/PID/task/*/stat before and after, and prints
#        CPU name=get_case round=1 requests=N ok_rps=R us_per_req=U busiest_thread_us=B
#      where busiest_thread_us is the CPU per request of the single busiest
#      thread (the group-commit writer when it is the bottleneck) ;
#   4. prints one SUMMARY line per scenario: median, lowest and highest
#      us_per_req over the rounds; stops the server.
# Clock ticks are 10 ms: a round must take at least a few seconds of CPU for
# the figure to mean anything (the default 5 s rounds at 64 connections do).
# Only loopback is used. Environment: AWDA (build/awda), GEN (bench/gen),
# DB (bench/data/cpu.db), PERSONS (100000), CASES (60000), SEED (20260101),
# SCENARIOS ("get_case search post_case"), ROUNDS (5), DURATION (5s),
# WARMUP (2s), CONNECTIONS (64), THREADS (8), PORT (8082).
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

SERVER_PID=""
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

mkdir -p "$(dirname "$DB")"
if [[ ! -f $DB ]]; then
    [[ -x $GEN ]] || die "no generator $GEN"
    "$AWDA" init --db "$DB" >"$DB.init" 2>&1 || { cat "$DB.init" >&2; die "init failed"; }
    sed -n 's/^[[:space:]]*password:[[:space:]]*//p' "$DB.init" | head -1 >"$DB.password"
    [[ -s $DB.password ]] || die "no password line in $DB.init"
    "$GEN" --db "$DB" --persons "$PERSONS" --cases "$CASES" --seed "$SEED" >"$DB.gen" 2>&1 ||
        { tail "$DB.gen" >&2; die "generator failed"; }
fi
python3 - "$DB" >"$DB.ids" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (i,) in c.execute("SELECT id FROM cases ORDER BY random() LIMIT 2000"):
    print(i)
EOF

"$AWDA" serve --db "$DB" --listen "$HOST:$PORT" --threads "$THREADS" >"$DB.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 500; i++)); do
    curl -s -o /dev/null "http://$HOST:$PORT/healthz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail "$DB.log" >&2; die "server exited"; }
    sleep 0.02
done
body=$(python3 -c 'import json,sys; print(json.dumps({"username":"admin","password":sys.argv[1]}))' "$(cat "$DB.password")")
TOKEN=$(curl -s -H 'Content-Type: application/json' -d "$body" "http://$HOST:$PORT/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || die "sign-in failed"
export AWDA_TOKEN=$TOKEN AWDA_IDS=$DB.ids

ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
thread_ticks() { # TID TICKS per line
    for f in /proc/"$SERVER_PID"/task/*/stat; do
        awk -v f="$f" '{ split(f, p, "/"); print p[5], $14 + $15 }' "$f" 2>/dev/null || true
    done
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | head -1; }

for s in $SCENARIOS; do
    wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s "$HERE/wrk/$s.lua" "http://$HOST:$PORT" >/dev/null 2>&1 || true
    sleep 0.5
    all=""
    for ((r = 1; r <= ROUNDS; r++)); do
        t0=$(thread_ticks)
        c0=$(ticks)
        out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/wrk/$s.lua" "http://$HOST:$PORT" 2>&1 || true)
        c1=$(ticks)
        t1=$(thread_ticks)
        res=$(grep '^RESULT' <<<"$out" || echo "RESULT requests=0 ok_rps=0")
        n=$(field requests <<<"$res")
        okr=$(field ok_rps <<<"$res")
        busiest=$(awk 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > m) m = d } END { print m + 0 }' \
            <(printf '%s\n' "$t0") <(printf '%s\n' "$t1"))
        us=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f", (b - a) * 1e6 / hz / n; else print "nan" }')
        bt=$(awk -v d="$busiest" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "nan" }')
        echo "CPU name=$s round=$r requests=$n ok_rps=$okr us_per_req=$us busiest_thread_us=$bt"
        all="$all $us"
    done
    printf '%s\n' $all | sort -g | awk -v s="$s" '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "SUMMARY name=%s rounds=%d median_us=%.1f min_us=%.1f max_us=%.1f\n", s, NR, m, v[1], v[NR] }'
done
