#!/usr/bin/env bash
# profile.sh — where the server's time goes under one load of bench/run.sh:
# a perf profile of the server while wrk drives one scenario, summed by
# thread, by library and by function.
#
#   bench/profile.sh get_case            (after bench/run.sh: its data, ids and token)
#   SCENARIOS="get_case search post_case" bench/profile.sh
#
# What it does, for each scenario (the wrk scripts of bench/wrk/):
#   1. starts `$AWDA serve --db $DB --listen 127.0.0.1:$PORT --threads $THREADS`
#      on a copy-free database (post_case adds cases to it, as run.sh does);
#   2. signs in as admin (the password run.sh kept in bench/data/admin_password.txt);
#   3. drives it with `wrk -t2 -c$CONNECTIONS` and the scenario's script for
#      $WARMUP seconds, then records `perf record -F 499 -g` of the server
#      for $DURATION seconds while wrk goes on;
#   4. writes $OUT/profile_<scenario>.txt: the requests answered and the
#      server's CPU per request in the recorded window (/proc/PID/stat), its
#      memory after the load (VmRSS, VmHWM),
#      the share of samples by thread (comm), by library (dso) and the
#      functions with the most samples (self), each as perf reports them.
# The raw perf data stays in $OUT/profile_<scenario>.data (not committed).
# Only loopback is used. Environment: AWDA (build/awda), DB
# (bench/data/awda.db), OUT (bench/out), PORT (8083), THREADS (8),
# CONNECTIONS (64), WARMUP (3), DURATION (10), SCENARIOS (the arguments, or
# "get_case search post_case").
set -euo pipefail

cd "$(dirname "$0")/.."
AWDA=${AWDA:-build/awda}
DB=${DB:-bench/data/awda.db}
OUT=${OUT:-bench/out}
PORT=${PORT:-8083}
THREADS=${THREADS:-8}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
SCENARIOS=${*:-${SCENARIOS:-get_case search post_case}}
HOST=127.0.0.1
HZ=$(getconf CLK_TCK)

die() { printf 'profile.sh: %s\n' "$*" >&2; exit 1; }
command -v perf >/dev/null || die "perf not installed"
command -v wrk >/dev/null || die "wrk not installed"
[[ -x $AWDA ]] || die "$AWDA not found: make build/awda"
[[ -f $DB ]] || die "$DB not found: run bench/run.sh first"
[[ -s bench/data/admin_password.txt ]] || die "bench/data/admin_password.txt not found"
[[ -s $OUT/case_ids.txt ]] || die "$OUT/case_ids.txt not found: run bench/run.sh first"
mkdir -p "$OUT"

SERVER_PID=""
WRK_PID=""
cleanup() {
    if [[ -n $WRK_PID ]]; then kill "$WRK_PID" 2>/dev/null || true; fi
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

for s in $SCENARIOS; do
    [[ -f bench/wrk/$s.lua ]] || die "no wrk script bench/wrk/$s.lua"
    "$AWDA" serve --db "$DB" --listen "$HOST:$PORT" --threads "$THREADS" \
        >"$OUT/profile_$s.server.log" 2>&1 &
    SERVER_PID=$!
    for ((i = 0; i < 500; i++)); do
        curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
        sleep 0.02
    done
    python3 - "$HOST" "$PORT" "$(cat bench/data/admin_password.txt)" >"$OUT/profile_token.txt" <<'EOF'
import http.client, json, sys
c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=60)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": sys.argv[3]}),
          {"Content-Type": "application/json"})
r = c.getresponse()
print(json.loads(r.read())["token"])
EOF
    export AWDA_TOKEN_FILE=$OUT/profile_token.txt AWDA_IDS=$OUT/case_ids.txt
    total=$((WARMUP + DURATION + 2))
    wrk -t2 -c"$CONNECTIONS" -d"${total}s" -s "bench/wrk/$s.lua" "http://$HOST:$PORT" \
        >"$OUT/profile_$s.wrk.txt" 2>&1 &
    WRK_PID=$!
    sleep "$WARMUP"
    t0=$(cpu_ticks "$SERVER_PID")
    perf record -F 499 -g -p "$SERVER_PID" -o "$OUT/profile_$s.data" -- sleep "$DURATION" \
        >/dev/null 2>&1
    t1=$(cpu_ticks "$SERVER_PID")
    wait "$WRK_PID" || true
    WRK_PID=""
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$OUT/profile_$s.wrk.txt")
    set +o pipefail # head ends perf report's output early
    {
        echo "# profile of the server under bench/wrk/$s.lua ($CONNECTIONS connections, $THREADS threads)"
        echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $DB"
        echo "# wrk over ${total}s: $rps requests/s; server CPU in the recorded ${DURATION}s: $(((t1 - t0) * 1000 / HZ)) ms"
        if [[ -n $rps ]]; then
            awk -v ms=$(((t1 - t0) * 1000 / HZ)) -v r="$rps" -v d="$DURATION" \
                'BEGIN { printf "# server CPU per request: %.0f us\n", ms * 1000 / (r * d) }'
        fi
        echo "# server memory after the load: VmRSS $((rss / 1024)) MB, VmHWM $((hwm / 1024)) MB"
        echo
        echo "## samples by thread (pid: the thread id)"
        perf report -i "$OUT/profile_$s.data" --no-children --sort pid --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -15
        echo
        echo "## samples by library"
        perf report -i "$OUT/profile_$s.data" --no-children --sort dso --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -15
        echo
        echo "## functions (self)"
        perf report -i "$OUT/profile_$s.data" --no-children --sort dso,sym --stdio -g none \
            2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
    } >"$OUT/profile_$s.txt"
    set -o pipefail
    echo "== $s: $OUT/profile_$s.txt" >&2
done
