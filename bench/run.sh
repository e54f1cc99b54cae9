#!/usr/bin/env bash
# run.sh — awda's benchmark, measured side by side with a bare libmicrohttpd handler.
#
#   bench/run.sh            (from anywhere; needs build/awda, wrk, sqlite3 or python3)
#
# What it does, in order:
#   1. builds bench/gen, bench/bare and bench/rawread (bench/Makefile);
#   2. creates bench/data/awda.db with `build/awda init` and fills it with
#      bench/gen (1M persons in 600k cases) unless it already exists, then
#      has the server make the search and duplicate keys (`awda migrate`
#      from schema 25, `awda duplicates reindex`); the
#      admin password printed by init is kept in bench/data/admin_password.txt;
#   3. picks 10,000 random case ids into bench/out/case_ids.txt;
#   4. starts `build/awda serve --db bench/data/awda.db --listen 127.0.0.1:8081
#      --threads ${AWDA_THREADS:-8}` (the server default; bare keeps 2, one per core) and measures the time from exec to the first 200 from
#      /healthz (polled over bash's /dev/tcp every 2 ms, no fork per attempt);
#      the same on a freshly initialised empty database;
#   5. logs in (POST /api/v1/session) and keeps the token in bench/out/token.txt;
#   6. for each scenario (get_case, search, post_case): bench/bare answering a
#      body as large as the server's answer for that scenario, then the server,
#      both with the same wrk script (wrk -t2 -c64 -d15s, after a short warm-up),
#      alternating ROUNDS (2) times; the best round of each is kept (these
#      machines are shared and noisy) and every round's figure is listed;
#      reports the server's throughput as a ratio of bare's, and the CPU
#      time each process spent per answered request (/proc/PID/stat);
#      after the case reads, bench/rawread reads the same cases with plain
#      SQLite (the store's floor) for the same duration;
#      after the search load, the same queries from 1 and 4 connections
#      (latency without queueing);
#   7. records the server's RSS (highest VmRSS sampled every 200 ms during the
#      load, and VmHWM from /proc/PID/status after it — VmHWM includes the
#      login's 64 MiB Argon2id hash),
#      counts fsync/fdatasync calls during a short registration run (strace -f -c)
#      and checks that the number of new cases equals the number of 201s;
#   8. prints a Markdown summary (also bench/out/summary.md); raw outputs are in
#      bench/out/.
# Only loopback addresses are used. Environment overrides: DURATION (15s),
# WARMUP (3s), ROUNDS (2), CONNECTIONS (64), PERSONS (1000000), CASES (600000), SEED, PORT
# (8081), BARE_PORT (8090), BENCH_DB (bench/data/awda.db), AWDA (build/awda),
# AWDA_ADMIN_PASSWORD (when the password file is gone).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PERSONS=${PERSONS:-1000000}
CASES=${CASES:-600000}
SEED=${SEED:-20260101}
PORT=${PORT:-8081}
BARE_PORT=${BARE_PORT:-8090}
DATA=bench/data
OUT=bench/out
DB=${BENCH_DB:-$DATA/awda.db}
AWDA=${AWDA:-build/awda}
HOST=127.0.0.1

mkdir -p "$DATA" "$OUT"
SERVER_PID=""
BARE_PID=""
cleanup() {
    if [[ -n $BARE_PID ]]; then kill "$BARE_PID" 2>/dev/null || true; fi
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    rm -f "$OUT/.tick"
}
trap cleanup EXIT

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# A 2 ms pause without forking: read with a timeout on a FIFO nobody writes.
rm -f "$OUT/.tick"
mkfifo "$OUT/.tick"
exec 9<>"$OUT/.tick"
tick() { read -r -t 0.002 -u 9 _ || true; }

# 0 when GET /healthz on port $1 answers 200.
healthz_once() {
    { exec 3<>"/dev/tcp/$HOST/$1"; } 2>/dev/null || return 1
    printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$HOST" >&3
    local line=""
    IFS= read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
    [[ $line == "HTTP/1."?" 200"* ]]
}

now_us() { local t=${EPOCHREALTIME/./}; printf '%s' "$t"; }

# Starts the server on db $1 (log $2); sets SERVER_PID and STARTUP_MS, the
# milliseconds from launch to the first 200 from /healthz.
start_server() {
    local db=$1 logf=$2 t0 t1
    t0=$(now_us)
    "$AWDA" serve --db "$db" --listen "$HOST:$PORT" --threads "${AWDA_THREADS:-8}" >"$logf" 2>&1 &
    SERVER_PID=$!
    for ((i = 0; i < 5000; i++)); do
        if healthz_once "$PORT"; then
            t1=$(now_us)
            STARTUP_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$logf" >&2; die "server exited during start"; }
        tick
    done
    die "server did not answer /healthz within 10 s"
}

stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

sql() { # sql DB QUERY -> rows on stdout
    if command -v sqlite3 >/dev/null; then
        sqlite3 -readonly "$1" "$2"
    else
        python3 -c 'import sqlite3,sys
c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)
for r in c.execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1" "$2"
    fi
}

field() { # field NAME < RESULT line -> value
    sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | head -1
}

# ---------------------------------------------------------------- 1. tools
log "building bench tools"
make -s -C bench gen bare rawread >&2
[[ -x $AWDA ]] || die "$AWDA not found: build the server first (make build/awda)"
command -v wrk >/dev/null || die "wrk not installed"

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    lscpu | head -20
    echo "kernel: $(uname -r)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')"
    echo "server binary: $AWDA sha256 $(sha256sum "$AWDA" 2>/dev/null | cut -c1-16)"
    echo "load before the run: $(uptime)"
    echo "busiest processes before the run (this machine may be shared):"
    ps -eo pid,pcpu,rss,args --sort=-pcpu | head -6 | cut -c1-150
} >"$OUT/machine.txt"

# ---------------------------------------------------------------- 2. data
if [[ ! -f $DB ]]; then
    log "creating $DB (awda init + gen: $PERSONS persons, $CASES cases)"
    t0=$(now_us)
    "$AWDA" init --db "$DB" >"$OUT/init.txt" 2>&1 || { cat "$OUT/init.txt" >&2; die "awda init failed"; }
    t1=$(now_us)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }' >"$OUT/init_ms.txt"
    pw=$(sed -n 's/^[[:space:]]*password:[[:space:]]*//p' "$OUT/init.txt" | head -1)
    [[ -n $pw ]] || die "no 'password: X' line in awda init output ($OUT/init.txt)"
    printf '%s\n' "$pw" >"$DATA/admin_password.txt"
    chmod 600 "$DATA/admin_password.txt"
    /usr/bin/time -v bench/gen --db "$DB" --persons "$PERSONS" --cases "$CASES" --seed "$SEED" \
        >"$OUT/gen.txt" 2>"$OUT/gen_time.txt"
    tail -2 "$OUT/gen.txt" >&2
    # bench/gen writes the persons' name keys and pairs, not the search
    # keys (typos, the article) nor the duplicate keys, which the server
    # makes. Migration 26 makes the search keys of every person again (its
    # C step), so the data goes back to schema 25 for `awda migrate`; then
    # `awda duplicates reindex` makes the duplicate keys. The figures are
    # then those of a register with all its keys, as the server keeps it.
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version=25"); c.commit()' "$DB"
    /usr/bin/time -v "$AWDA" migrate --db "$DB" >"$OUT/migrate.txt" 2>&1 ||
        { cat "$OUT/migrate.txt" >&2; die "awda migrate failed"; }
    /usr/bin/time -v "$AWDA" duplicates reindex --db "$DB" >"$OUT/reindex.txt" 2>&1 ||
        { cat "$OUT/reindex.txt" >&2; die "awda duplicates reindex failed"; }
    log "search keys: $(sql "$DB" "SELECT count(*) FROM person_search_keys"), duplicate keys: $(sql "$DB" "SELECT count(*) FROM person_dup_keys")"
else
    log "$DB exists; not regenerating (delete it to start over)"
fi
PASSWORD=${AWDA_ADMIN_PASSWORD:-$(cat "$DATA/admin_password.txt" 2>/dev/null || true)}
[[ -n $PASSWORD ]] || die "admin password unknown: set AWDA_ADMIN_PASSWORD"

# ---------------------------------------------------------------- 3. ids
sql "$DB" "SELECT id FROM cases ORDER BY random() LIMIT 10000" >"$OUT/case_ids.txt"
[[ -s $OUT/case_ids.txt ]] || die "no case ids in $DB"
db_cases() { sql "$DB" "SELECT count(*) FROM cases"; }
db_persons() { sql "$DB" "SELECT count(*) FROM persons"; }
CASES_BEFORE=$(db_cases)
PERSONS_BEFORE=$(db_persons)
DB_MB=$(du -m "$DB" | cut -f1)

# ---------------------------------------------------------------- 4. start
log "start-up time on an empty database"
rm -f "$DATA/empty.db" "$DATA/empty.db-wal" "$DATA/empty.db-shm" "$DATA/empty.db-audit" \
    "$DATA/empty.db-audit-wal" "$DATA/empty.db-audit-shm"
"$AWDA" init --db "$DATA/empty.db" >/dev/null 2>&1 || die "awda init (empty) failed"
start_server "$DATA/empty.db" "$OUT/serve_empty.log"
START_EMPTY_MS=$STARTUP_MS
stop_server
log "start-up time on $DB"
start_server "$DB" "$OUT/serve.log"
START_MS=$STARTUP_MS
log "first /healthz after $START_MS ms (empty database: $START_EMPTY_MS ms)"
curl -s "http://$HOST:$PORT/healthz" >"$OUT/healthz.json" || true

# ---------------------------------------------------------------- 5. login
login_json=$(python3 -c 'import json,sys; print(json.dumps({"username":"admin","password":sys.argv[1]}))' "$PASSWORD")
code=$(curl -s -o "$OUT/session.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "$login_json" "http://$HOST:$PORT/api/v1/session")
[[ $code == 201 || $code == 200 ]] || { cat "$OUT/session.json" >&2; die "login failed: HTTP $code"; }
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$OUT/session.json" >"$OUT/token.txt"
export AWDA_TOKEN_FILE=$OUT/token.txt AWDA_IDS=$OUT/case_ids.txt
# The login's Argon2id hash (64 MiB) sets VmHWM by itself; note it before the load.
HWM_LOGIN_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
RSS_IDLE_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
TOKEN=$(cat "$OUT/token.txt")

# Body sizes of the server's answers, for bare to mirror.
sample_id=$(head -1 "$OUT/case_ids.txt")
curl -s -H "Authorization: Bearer $TOKEN" -o "$OUT/sample_case.json" \
    -w '%{http_code} %{size_download}\n' "http://$HOST:$PORT/api/v1/cases/$sample_id" >"$OUT/sample_case.status"
GET_BYTES=$(awk '{print $2}' "$OUT/sample_case.status")
[[ $(awk '{print $1}' "$OUT/sample_case.status") == 200 ]] || log "WARNING: GET case answered $(cat "$OUT/sample_case.status")"
# The mean size over 200 random cases is the fairer figure.
GET_BYTES=$(head -200 "$OUT/case_ids.txt" | while read -r id; do
    curl -s -o /dev/null -w '%{size_download}\n' -H "Authorization: Bearer $TOKEN" "http://$HOST:$PORT/api/v1/cases/$id"
done | awk '{s += $1; n++} END { printf "%d", n ? s / n : 0 }')
SEARCH_BYTES=$(for q in moh ahmed%20ab fatou traor %D9%85%D8%AD%D9%85%D8%AF diallo abdel tesf; do
    curl -s -o /dev/null -w '%{size_download}\n' -H "Authorization: Bearer $TOKEN" "http://$HOST:$PORT/api/v1/persons?q=$q"
done | awk '{s += $1; n++} END { printf "%d", n ? s / n : 0 }')
curl -s -o "$OUT/sample_search.json" -H "Authorization: Bearer $TOKEN" "http://$HOST:$PORT/api/v1/persons?q=moh" || true
POST_BYTES=$GET_BYTES # a POST answers the new case's JSON: measured below from wrk's byte count
for v in GET_BYTES SEARCH_BYTES; do
    if [[ -z ${!v} || ${!v} -lt 32 ]]; then
        log "WARNING: $v=${!v}; using 1200"
        printf -v "$v" '%s' 1200
    fi
done
[[ $POST_BYTES -lt 32 ]] && POST_BYTES=1200

# ---------------------------------------------------------------- 6. load
start_bare() {
    bench/bare --port "$BARE_PORT" --bytes "$1" --threads 2 >"$OUT/bare.log" 2>&1 &
    BARE_PID=$!
    for ((i = 0; i < 1000; i++)); do healthz_once "$BARE_PORT" && return 0; tick; done
    die "bare did not start"
}
stop_bare() {
    kill "$BARE_PID" 2>/dev/null || true
    wait "$BARE_PID" 2>/dev/null || true
    BARE_PID=""
}
warm_wrk() { # warm_wrk SCRIPT PORT
    if [[ -n $WARMUP && $WARMUP != 0 && $WARMUP != 0s ]]; then
        wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s "bench/wrk/$1.lua" "http://$HOST:$2" >/dev/null 2>&1 || true
    fi
}
cpu_ticks() { # user+system clock ticks of process $1
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
TICK_HZ=$(getconf CLK_TCK)
# CPU microseconds per request: ticks $1..$2 over the requests in RESULT line $3.
cpu_per_req() {
    local n
    n=$(printf '%s' "$3" | field requests)
    awk -v a="$1" -v b="$2" -v n="${n:-0}" -v hz="$TICK_HZ" \
        'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1e6 / hz / n; else print "n/a" }'
}
run_wrk() { # run_wrk SCRIPT PORT OUTFILE
    AWDA_BENCH_STATUS=${AWDA_BENCH_STATUS:-0} wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
        -s "bench/wrk/$1.lua" "http://$HOST:$2" >"$3" 2>&1 || true
}

num() { printf '%s' "${1:-}" | field "$2"; }
# better NEW OLD FIELD: 0 when RESULT line NEW has a higher FIELD than OLD.
better() {
    [[ -z $2 ]] && return 0
    awk -v a="$(num "$1" "$3")" -v b="$(num "$2" "$3")" 'BEGIN { exit !(a + 0 > b + 0) }'
}
declare -A RES_BARE RES_AWDA BYTES CPU_BARE CPU_AWDA ALL_BARE ALL_AWDA
POST_ROUND1=""
RES_RAW=""
RES_S1=""
RES_S4=""
CASES_PRE_POST=0
CASES_POST_POST=0
BYTES[get_case]=$GET_BYTES
BYTES[search]=$SEARCH_BYTES
BYTES[post_case]=$POST_BYTES
RSS_AFTER=()
# Highest VmRSS seen while the load runs, sampled every 200 ms.
(
    max=0
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        r=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
        ((r > max)) && max=$r && echo "$max" >"$OUT/rss_max_kb.txt"
        sleep 0.2
    done
) &
SAMPLER_PID=$!
for s in get_case search post_case; do
    if [[ $s == post_case ]]; then
        # The POST answer is the case JSON; a one-off sample gives its size.
        body=$(AWDA_TOKEN=$TOKEN python3 - <<'EOF'
import json
print(json.dumps({"office":"EG-CAI","origin_country":"SDN","destination_country":"SDN",
 "destination_admin_area":"Khartoum","destination_pcode":"SD01","project":"EU-IOM Joint Initiative - Horn of Africa",
 "notes":"Registered in the benchmark; wishes to return.",
 "members":[{"relationship":"principal","person":{"name":"محمد عثمان آدم","name_latin":"Mohamed Osman Adam",
   "sex":"male","date_of_birth":"1990-05-01","dob_precision":"exact","nationality":"SDN","languages":["ar"],
   "contact":{"phone":"+249912345678"},"documents":[{"type":"passport","number":"P12345678","issuing_country":"SDN","expiry":"2030-01-01"}],
   "vulnerabilities":[]}},
  {"relationship":"spouse","person":{"name":"فاطمة حسن علي","name_latin":"Fatima Hassan Ali","sex":"female",
   "date_of_birth":"1994-02-11","dob_precision":"exact","nationality":"SDN","languages":["ar"],"vulnerabilities":[]}}]}, ensure_ascii=False))
EOF
)
        curl -s -o "$OUT/sample_post.json" -w '%{http_code} %{size_download}\n' -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -H "Idempotency-Key: run-sh-$(now_us)" \
            --data-binary "$body" "http://$HOST:$PORT/api/v1/cases" >"$OUT/sample_post.status"
        if [[ $(awk '{print $1}' "$OUT/sample_post.status") == 201 ]]; then
            BYTES[post_case]=$(awk '{print $2}' "$OUT/sample_post.status")
        else
            log "WARNING: sample POST answered $(cat "$OUT/sample_post.status")"
        fi
    fi
    # ROUNDS alternations of bare then awda; the best round of each counts
    # (on a shared machine, the round least disturbed by others).
    for ((round = 1; round <= ROUNDS; round++)); do
        log "scenario $s round $round: bare with a ${BYTES[$s]}-byte body"
        start_bare "${BYTES[$s]}"
        warm_wrk "$s" "$BARE_PORT"
        c0=$(cpu_ticks "$BARE_PID")
        run_wrk "$s" "$BARE_PORT" "$OUT/bare_$s.$round.txt"
        c1=$(cpu_ticks "$BARE_PID")
        stop_bare
        r=$(grep '^RESULT' "$OUT/bare_$s.$round.txt" || echo "RESULT name=$s rps=0")
        log "  bare: $r"
        if better "$r" "${RES_BARE[$s]:-}" rps; then
            RES_BARE[$s]=$r
            CPU_BARE[$s]=$(cpu_per_req "$c0" "$c1" "$r")
        fi
        ALL_BARE[$s]="${ALL_BARE[$s]:-} $(num "$r" rps)"

        kill -0 "$SERVER_PID" 2>/dev/null || die "server died before scenario $s"
        log "scenario $s round $round: awda"
        warm_wrk "$s" "$PORT"
        sleep 1 # let requests still in flight from the warm-up finish
        PERF_PID=""
        if [[ $s == post_case && $round == 1 ]]; then
            CASES_PRE_POST=$(db_cases)
            # Count the server's fsync/fdatasync calls during the measured run.
            if command -v perf >/dev/null; then
                secs=${DURATION%s}
                [[ $secs =~ ^[0-9]+$ ]] || secs=15
                perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync \
                    -p "$SERVER_PID" -o "$OUT/perf_sync.txt" -- sleep "$secs" >/dev/null 2>&1 &
                PERF_PID=$!
            fi
        fi
        c0=$(cpu_ticks "$SERVER_PID")
        run_wrk "$s" "$PORT" "$OUT/awda_$s.$round.txt"
        c1=$(cpu_ticks "$SERVER_PID")
        if [[ -n $PERF_PID ]]; then wait "$PERF_PID" 2>/dev/null || true; fi
        if [[ $s == post_case && $round == 1 ]]; then
            sleep 1
            CASES_POST_POST=$(db_cases)
            POST_ROUND1=$(grep '^RESULT' "$OUT/awda_$s.$round.txt" || echo "RESULT name=$s")
        fi
        r=$(grep '^RESULT' "$OUT/awda_$s.$round.txt" || echo "RESULT name=$s ok_rps=0")
        log "  awda: $r"
        if better "$r" "${RES_AWDA[$s]:-}" ok_rps; then
            RES_AWDA[$s]=$r
            CPU_AWDA[$s]=$(cpu_per_req "$c0" "$c1" "$r")
        fi
        ALL_AWDA[$s]="${ALL_AWDA[$s]:-} $(num "$r" ok_rps)"
        kill -0 "$SERVER_PID" 2>/dev/null || die "server died during scenario $s (see $OUT/serve.log)"
    done
    RSS_AFTER+=("$s:$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")")
    if [[ $s == get_case ]]; then
        log "raw SQLite case reads (bench/rawread, 2 threads, server idle)"
        secs=${DURATION%s}
        [[ $secs =~ ^[0-9]+$ ]] || secs=15
        bench/rawread --db "$DB" --ids "$OUT/case_ids.txt" --threads 2 --seconds "$secs" \
            >"$OUT/rawread.txt" 2>&1 || true
        RES_RAW=$(grep '^RESULT' "$OUT/rawread.txt" || echo "RESULT name=rawread")
        log "  raw: $RES_RAW"
    fi
    if [[ $s == search ]]; then
        # The same queries from one user typing, then four: service time
        # rather than queueing behind 64 connections.
        wrk -t1 -c1 -d10s -s bench/wrk/search.lua "http://$HOST:$PORT" >"$OUT/awda_search_c1.txt" 2>&1 || true
        wrk -t2 -c4 -d10s -s bench/wrk/search.lua "http://$HOST:$PORT" >"$OUT/awda_search_c4.txt" 2>&1 || true
        RES_S1=$(grep '^RESULT' "$OUT/awda_search_c1.txt" || echo "RESULT name=search")
        RES_S4=$(grep '^RESULT' "$OUT/awda_search_c4.txt" || echo "RESULT name=search")
        log "  awda search -c1: $RES_S1"
        log "  awda search -c4: $RES_S4"
    fi
done
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
RSS_MAX_KB=$(cat "$OUT/rss_max_kb.txt" 2>/dev/null || echo 0)
grep -E '^Vm|^Threads' "/proc/$SERVER_PID/status" >"$OUT/server_status.txt"
HWM_KB=$(awk '/^VmHWM/ {print $2}' "$OUT/server_status.txt")
RSS_KB=$(awk '/^VmRSS/ {print $2}' "$OUT/server_status.txt")

SYNC_NOTE="perf not available"
if [[ -f $OUT/perf_sync.txt ]]; then
    syncs=$(awk -F, '$3 ~ /sys_enter_f(data)?sync/ && $1 ~ /^[0-9]+$/ {s += $1} END {print s + 0}' "$OUT/perf_sync.txt")
    SYNC_NOTE="$syncs fsync/fdatasync calls (perf stat) for $((CASES_POST_POST - CASES_PRE_POST)) new cases during the measured run"
fi

# ---------------------------------------------------------------- 7. durability
# fsync/fdatasync calls per registration during a short run (strace slows the
# server a lot; this shows whether acknowledgements wait for the disk, not speed).
FSYNC_NOTE="strace not available"
if command -v strace >/dev/null; then
    strace -f -c -e trace=fsync,fdatasync,sync_file_range -o "$OUT/strace_post.txt" -p "$SERVER_PID" 2>/dev/null &
    STRACE_PID=$!
    sleep 0.5
    before=$(db_cases)
    wrk -t1 -c4 -d3s -s bench/wrk/post_case.lua "http://$HOST:$PORT" >"$OUT/awda_post_strace.txt" 2>&1 || true
    after=$(db_cases)
    kill -INT "$STRACE_PID" 2>/dev/null || true
    wait "$STRACE_PID" 2>/dev/null || true
    syncs=$(awk '$NF ~ /^(fsync|fdatasync|sync_file_range)$/ {s += $4} END {print s + 0}' "$OUT/strace_post.txt")
    FSYNC_NOTE="$syncs fsync/fdatasync calls for $((after - before)) registrations under strace"
fi

stop_server

{
    echo "load after the run: $(uptime)"
    echo "other processes during the run (pcpu is a lifetime average):"
    ps -eo pid,pcpu,rss,args --sort=-pcpu | head -6 | cut -c1-150
} >>"$OUT/machine.txt"

# ---------------------------------------------------------------- 8. summary
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "n/a" }'; }
POST_OK=$(num "$POST_ROUND1" requests)
POST_NON2XX=$(num "$POST_ROUND1" non2xx)
{
    echo "# awda benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); database $DB: ${DB_MB} MB, $PERSONS_BEFORE persons, $CASES_BEFORE cases before the run."
    echo "wrk -t2 -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up), bare = bench/bare with the same body size, same run;"
    echo "$ROUNDS alternating rounds (bare, awda, bare, awda...), best round of each shown; every round's req/s:"
    for s in get_case search post_case; do
        echo "- $s: bare${ALL_BARE[$s]:-}; awda${ALL_AWDA[$s]:-}"
    done
    echo
    echo "| scenario | body bytes | bare req/s | awda req/s (2xx) | awda/bare | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | CPU µs/req bare | CPU µs/req awda |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for s in get_case search post_case; do
        b=$(num "${RES_BARE[$s]}" rps)
        a=$(num "${RES_AWDA[$s]}" ok_rps)
        echo "| $s | ${BYTES[$s]} | ${b:-n/a} | ${a:-n/a} | $(ratio "$a" "$b") | $(num "${RES_AWDA[$s]}" p50_ms) | $(num "${RES_AWDA[$s]}" p95_ms) | $(num "${RES_AWDA[$s]}" p99_ms) | $(num "${RES_AWDA[$s]}" non2xx) | $(num "${RES_AWDA[$s]}" sock_errors) | ${CPU_BARE[$s]:-n/a} | ${CPU_AWDA[$s]:-n/a} |"
    done
    echo
    echo "| measure | value | target |"
    echo "|---|---|---|"
    echo "| start to first /healthz 200, $DB ($PERSONS_BEFORE persons) | $START_MS ms | ≤ 100 ms |"
    echo "| start to first /healthz 200, empty database | $START_EMPTY_MS ms | ≤ 100 ms |"
    echo "| case read vs raw SQLite reads of the same cases (bench/rawread, $(num "$RES_RAW" rps) reads/s) | $(ratio "$(num "${RES_AWDA[get_case]}" ok_rps)" "$(num "$RES_RAW" rps)") | (floor of the store) |"
    echo "| case read vs bare | $(ratio "$(num "${RES_AWDA[get_case]}" ok_rps)" "$(num "${RES_BARE[get_case]}" rps)") | ≥ 50% |"
    echo "| registrations/s (201) | $(num "${RES_AWDA[post_case]}" ok_rps) | ≥ 5,000 |"
    echo "| new cases in the database during the first POST round | $((CASES_POST_POST - CASES_PRE_POST)) (wrk counted $POST_OK answers, $POST_NON2XX non-2xx; up to $CONNECTIONS more were in flight at the end) | = 2xx answers |"
    echo "| durability: syncs during the 64-connection registration run | $SYNC_NOTE | ≥ 1 sync per acknowledged commit group |"
    echo "| durability: syncs during a 4-connection run under strace | $FSYNC_NOTE | ≥ 1 sync per acknowledged commit group |"
    echo "| name search p95, 64 connections | $(num "${RES_AWDA[search]}" p95_ms) ms | ≤ 10 ms |"
    echo "| name search p95 / p50, 1 connection | $(num "$RES_S1" p95_ms) / $(num "$RES_S1" p50_ms) ms ($(num "$RES_S1" rps) req/s) | ≤ 10 ms |"
    echo "| name search p95 / p50, 4 connections | $(num "$RES_S4" p95_ms) / $(num "$RES_S4" p50_ms) ms ($(num "$RES_S4" rps) req/s) | ≤ 10 ms |"
    echo "| server RSS: highest VmRSS sampled during the load | $((RSS_MAX_KB / 1024)) MB (idle after login $((RSS_IDLE_KB / 1024)) MB, at the end $((RSS_KB / 1024)) MB) | ≤ 100 MB |"
    echo "| server VmHWM after the load | $((HWM_KB / 1024)) MB (already $((HWM_LOGIN_KB / 1024)) MB right after the one login; awda hashes passwords with Argon2id at 64 MiB) | ≤ 100 MB |"
    if [[ -f $OUT/gen.txt ]]; then
        echo "| generator load (this data set) | $(grep -o 'in [0-9.]* s (.*total with checkpoint)' "$OUT/gen.txt" | head -1) | a few minutes |"
    fi
    echo
    echo "Raw outputs: $OUT/ (bare_*.txt, awda_*.txt, serve.log, server_status.txt, machine.txt)."
} | tee "$OUT/summary.md"
