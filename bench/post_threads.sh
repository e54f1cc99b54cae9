#!/usr/bin/env bash
# post_threads.sh — registrations per second and the CPU of each server
# thread during them: `awda serve` on a copy of DB, 2 s of
# bench/wrk/post_case.lua to warm up, then 8 s measured; the threads'
# utime+stime (/proc/PID/task/*/stat) read before and after.
#
#   bench/post_threads.sh AWDA_BIN DB [PORT]
#
# DB.password holds the admin's password (as bench/cpu-per-request.sh
# keeps it). The writer is the second thread the store starts (after the
# checkpoint thread); divide a thread's ticks (10 ms) by the requests for
# its time per registration.
set -euo pipefail
BIN=$1 DB=$2 PORT=${3:-8095}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d /tmp/awda-post-threads-XXXXXX)
cp "$DB" "$T/c.db"
cp "$DB.key" "$T/c.db.key"
if [[ -f $DB-audit ]]; then cp "$DB-audit" "$T/c.db-audit"; fi # the audit log (schema 28 on)
"$BIN" serve --db "$T/c.db" --listen 127.0.0.1:"$PORT" --threads 8 >"$T/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
sleep 1.5
TOK=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$(cat "$DB.password")\"}" \
    http://127.0.0.1:"$PORT"/api/v1/session | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
snap() { for t in /proc/$PID/task/*; do read -r -a f <"$t/stat"; echo "${t##*/} $(cat "$t/comm") $((f[13] + f[14]))"; done | sort; }
AWDA_TOKEN=$TOK wrk -t2 -c64 -d2s -s "$HERE/wrk/post_case.lua" http://127.0.0.1:"$PORT" >/dev/null
snap >"$T/s0"
AWDA_TOKEN=$TOK wrk -t2 -c64 -d8s -s "$HERE/wrk/post_case.lua" http://127.0.0.1:"$PORT" | grep -E 'Requests/sec|Non-2xx'
snap >"$T/s1"
join "$T/s0" "$T/s1" | awk '{d = $5 - $3; if (d > 0) print $1, $2, d " ticks"}' | sort -k3 -n -r | head -6
