#!/bin/sh
# report_bench.sh — the reintegration report of a project over 100,000
# cases (GET /api/v1/projects/{id}/report), against the raw SQLite scan of
# the same cases' arrivals in the same run.
#
#   bench/report_bench.sh                      # data made if absent, then measured
#   rm bench/data/report.db* && bench/report_bench.sh   # start over
#   CASES=100000 ROUNDS=7 AWDA=build/awda bench/report_bench.sh   # the defaults
#
# Steps (each printed as it runs):
#   build/awda init --db bench/data/report.db           (schema, admin)
#   bench/report_gen.py --db ... --cases 100000          (the data, straight into SQLite)
#   build/awda user add bench-manager --role manager ... (sees every office)
#   build/awda user add bench-donor --role donor ...     (small counts suppressed)
#   build/awda serve --db ... --listen 127.0.0.1:8093 --threads 2
#   curl GET /api/v1/projects/BENCH-PSS/report?from=2026-01-01&to=2026-12-31 [&format=csv|xlsx]
#        as the manager (and the donor), ROUNDS times each after one warm-up, one at a time
#   sqlite3 -readonly: the arrival of each case of the project (the report's
#        largest statement, without the rest), ROUNDS times, as the reference
# Times are wall times (curl's time_total; sqlite3's .timer "real").
set -eu
cd "$(dirname "$0")/.."
AWDA=${AWDA:-build/awda}
DB=${DB:-bench/data/report.db}
CASES=${CASES:-100000}
ROUNDS=${ROUNDS:-7}
PORT=${PORT:-8093}
URL="http://127.0.0.1:$PORT"
Q="from=2026-01-01&to=2026-12-31"
mkdir -p bench/data bench/out

if [ ! -f "$DB" ]; then
    echo "# $AWDA init --db $DB"
    "$AWDA" init --db "$DB" > bench/out/report_init.txt
    echo "# bench/report_gen.py --db $DB --cases $CASES"
    python3 bench/report_gen.py --db "$DB" --cases "$CASES"
    for who in manager donor; do
        echo "bench-password-$who" | "$AWDA" user add "bench-$who" --role "$who" \
            --office ML-BKO --password-stdin --db "$DB" > /dev/null
    done
fi

AWDA_SECOND_FACTOR_ROLES= "$AWDA" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 2 \
    > bench/out/report_serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 100); do
    curl -sf "$URL/healthz" > /dev/null && break
    sleep 0.1
done

token() {
    curl -s -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench-$1\",\"password\":\"bench-password-$1\"}" \
        "$URL/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
MANAGER=$(token manager)
DONOR=$(token donor)

# time_total of one GET, in ms; the answer's status and size to stderr
get() {
    curl -s -o bench/out/report_answer -w '%{http_code} %{size_download} %{time_total}\n' \
        -H "Authorization: Bearer $2" "$URL/api/v1/projects/BENCH-PSS/report?$Q$1" |
        awk '{ if ($1 != 200) { print "status " $1 > "/dev/stderr"; exit 1 }
               printf "%.0f %d\n", $3 * 1000, $2 }'
}

# min / median / max of ROUNDS figures on stdin
stats() {
    sort -n | awk '{ v[NR] = $1 } END { printf "%d / %d / %d", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time (user + system) the server has used so far, in ms
cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($14 + $15) * 1000 / hz }' "/proc/$PID/stat"
}

echo "| what | wall ms: min / median / max | server CPU ms per answer (mean) | answer bytes |"
echo "|---|---|---|---|"
for variant in "manager json:$MANAGER:" "manager csv:$MANAGER:&format=csv" \
    "manager xlsx:$MANAGER:&format=xlsx" "donor json:$DONOR:"; do
    name=${variant%%:*}
    rest=${variant#*:}
    tok=${rest%%:*}
    fmt=${rest#*:}
    get "$fmt" "$tok" > /dev/null # warm-up
    bytes=$(get "$fmt" "$tok" | cut -d' ' -f2)
    before=$(cpu)
    times=$(for _ in $(seq "$ROUNDS"); do get "$fmt" "$tok" | cut -d' ' -f1; done | stats)
    used=$(($(cpu) - before))
    echo "| report, $name | $times | $((used / ROUNDS)) | $bytes |"
    [ "$name" = "manager json" ] && cp bench/out/report_answer bench/out/report.json
done

REF="WITH arr AS (SELECT c.pk AS case_pk, max(coalesce(substr(json_extract(e.data,'\$.at'),1,10),
date(e.at/1000,'unixepoch'))) AS day FROM cases c JOIN case_events e ON e.case_pk=c.pk
WHERE c.project='Bench PSS' AND e.kind='transition' AND e.data LIKE '%\"arrived\"%' AND
json_extract(e.data,'\$.to')='arrived' GROUP BY c.pk)
SELECT count(*) FROM arr WHERE day BETWEEN '2026-01-01' AND '2026-12-31';"
# sqlite3's .timer: "Run Time: real R user U sys S" (seconds)
printf '.timer on\n%s\n' "$REF" | sqlite3 -readonly "$DB" > /dev/null # warm-up
for _ in $(seq "$ROUNDS"); do
    printf '.timer on\n%s\n' "$REF" | sqlite3 -readonly "$DB" |
        awk '/Run Time/ { printf "%.0f %.0f\n", $4 * 1000, ($6 + $8) * 1000 }'
done > bench/out/report_ref.txt
ref=$(cut -d' ' -f1 bench/out/report_ref.txt | stats)
refcpu=$(awk '{ s += $2 } END { printf "%d", s / NR }' bench/out/report_ref.txt)
echo "| reference: raw SQLite (sqlite3), the arrivals of the project's cases alone | $ref | $refcpu | |"
