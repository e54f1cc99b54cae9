#!/usr/bin/env bash
# rss_loads.sh — the server's memory under the three loads of bench/run.sh,
# one server, one load after the other.
#
#   bench/rss_loads.sh                                  (build/awda, bench/data/awda.db)
#   AWDA=/tmp/old/awda DB=/tmp/copy.db PASSWORD_FILE=/tmp/copy.db.password bench/rss_loads.sh
#
# Starts `$AWDA serve --db $DB --listen 127.0.0.1:$PORT --threads 8`, signs
# in as admin (the password in $PASSWORD_FILE), then drives it with
# `wrk -t2 -c64 -d$DURATION` and bench/wrk/get_case.lua, search.lua and
# post_case.lua in turn (the ids of bench/out/case_ids.txt, as run.sh
# leaves them), sampling VmRSS from /proc every 200 ms. Prints one line
# per load — requests/s and the highest VmRSS so far — and VmHWM at the
# end (it includes the sign-in's Argon2id, 64 MiB for a moment). post_case
# adds cases to $DB: run it on a copy. Only loopback is used.
# Environment: AWDA (build/awda), DB (bench/data/awda.db), PASSWORD_FILE
# (bench/data/admin_password.txt), PORT (8084), DURATION (10s).
set -euo pipefail

cd "$(dirname "$0")/.."
AWDA=${AWDA:-build/awda}
DB=${DB:-bench/data/awda.db}
PASSWORD_FILE=${PASSWORD_FILE:-bench/data/admin_password.txt}
PORT=${PORT:-8084}
DURATION=${DURATION:-10s}
URL=http://127.0.0.1:$PORT
die() { printf 'rss_loads.sh: %s\n' "$*" >&2; exit 1; }
[[ -f $DB && -f $PASSWORD_FILE ]] || die "no $DB or $PASSWORD_FILE"
[[ -s bench/out/case_ids.txt ]] || die "no bench/out/case_ids.txt: run bench/run.sh first"

WORK=$(mktemp -d /tmp/rss-loads.XXXXXX)
"$AWDA" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads 8 >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 200); do
    curl -s -o /dev/null "$URL/healthz" && break
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "server exited"; }
    sleep 0.05
done
AWDA_TOKEN=$(python3 - "$URL" "$PASSWORD_FILE" <<'EOF'
import json, sys, urllib.request
body = json.dumps({"username": "admin", "password": open(sys.argv[2]).read().strip()}).encode()
req = urllib.request.Request(sys.argv[1] + "/api/v1/session", body,
                             {"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req))["token"])
EOF
)
export AWDA_TOKEN
(
    hi=0
    while kill -0 "$PID" 2>/dev/null; do
        r=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null || true)
        if [[ -n $r && $r -gt $hi ]]; then hi=$r; echo "$hi" >"$WORK/hi"; fi
        sleep 0.2
    done
) &
for sc in get_case search post_case; do
    rps=$(wrk -t2 -c64 -d"$DURATION" -s "bench/wrk/$sc.lua" "$URL" 2>&1 | awk '/^Requests\/sec/ {print $2}')
    echo "RSS name=$sc rps=$rps highest_vmrss_kb=$(cat "$WORK/hi")"
done
echo "RSS vmhwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")"
