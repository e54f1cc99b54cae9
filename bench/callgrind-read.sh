#!/usr/bin/env bash
# callgrind-read.sh — user-space instructions per request of one awda binary.
#
#   AWDA=build/awda DB=/tmp/x.db bench/callgrind-read.sh
#
# CPU time on a shared machine moves with the neighbours; the instructions
# a request costs do not. This script:
#   1. copies $DB (a data set made by that binary's `awda init` and
#      bench/gen, with its $DB.password and $DB.key beside it) to a scratch
#      file, so the measured run starts from the same data every time;
#   2. starts "$AWDA serve --threads 2" under valgrind's callgrind
#      (--threads of the writer and the checkpoint thread counted too);
#   3. signs in as admin, sends $WARM reads of different cases from one
#      keep-alive connection, zeroes the counters (callgrind_control -z),
#      sends $READS more reads of other cases, dumps the counters
#      (callgrind_control -d) and stops the server cleanly;
#   4. prints "INSTR total=N per_read=M" and the top of callgrind_annotate
#      (inclusive) into $OUT.txt; the raw profile stays in $OUT.* for
#      callgrind_annotate --inclusive=yes.
# $PATHFMT is the request path with %s for a case id (default a case read).
# Environment: AWDA (build/awda), DB (required), READS (300), WARM (100),
# PORT (8092), OUT (/tmp/callgrind-read), PATHFMT (/api/v1/cases/%s).
set -euo pipefail

AWDA=${AWDA:-build/awda}
DB=${DB:?give DB, a data set made by bench/gen}
READS=${READS:-300}
WARM=${WARM:-100}
PORT=${PORT:-8092}
OUT=${OUT:-/tmp/callgrind-read}
PATHFMT=${PATHFMT:-/api/v1/cases/%s}

die() { printf 'callgrind-read.sh: %s\n' "$*" >&2; exit 1; }
[[ -x $AWDA ]] || die "no binary $AWDA"
[[ -f $DB && -f $DB.password ]] || die "no data set $DB (with $DB.password)"

WORK=$(mktemp -d /tmp/callgrind-read.XXXXXX)
cp "$DB" "$WORK/db"
[[ -f $DB.key ]] && cp "$DB.key" "$WORK/db.key"
[[ -f $DB-audit ]] && cp "$DB-audit" "$WORK/db-audit" # the audit log (schema 28 on)
rm -f "$OUT".*
valgrind --tool=callgrind --callgrind-out-file="$OUT.%p" \
    "$AWDA" serve --db "$WORK/db" --listen "127.0.0.1:$PORT" --threads 2 >"$WORK/log" 2>&1 &
PID=$!
cleanup() {
    kill -INT "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

python3 - "$PORT" "$WORK/db" "$(cat "$DB.password")" "$WARM" "$READS" "$PID" "$PATHFMT" <<'EOF'
import http.client, json, sqlite3, subprocess, sys, time
port, db, password, warm, reads, pid, fmt = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
ids = [r[0] for r in sqlite3.connect("file:%s?mode=ro" % db, uri=True).execute(
    "SELECT id FROM cases ORDER BY pk LIMIT ?", (warm + reads,))]
for _ in range(600):
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
        c.request("GET", "/healthz"); c.getresponse().read(); break
    except OSError:
        time.sleep(0.2)
c.request("POST", "/api/v1/session", json.dumps({"username": "admin", "password": password}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
h = {"Authorization": "Bearer " + tok}
def read(i):
    c.request("GET", fmt % i, headers=h)
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
for i in ids[:warm]:
    read(i)
time.sleep(1)
subprocess.run(["callgrind_control", "-z", pid], check=True, capture_output=True)
for i in ids[warm:]:
    read(i)
time.sleep(1)  # lets the writer store what the reads left
subprocess.run(["callgrind_control", "-d", pid], check=True, capture_output=True)
EOF
kill -INT "$PID"
wait "$PID" || true
PROF=$(ls -t "$OUT".* | grep -v '\.txt$' | head -1)
[[ -n $PROF ]] || die "no profile"
# the dump asked for is the one with the most events after zeroing: the
# first file named .1 (callgrind numbers dumps); fall back to the newest
DUMP=$(ls "$OUT".*.1 2>/dev/null | head -1 || true)
[[ -n $DUMP ]] || DUMP=$PROF
TOTAL=$(callgrind_annotate "$DUMP" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
echo "INSTR total=$TOTAL per_read=$((TOTAL / READS)) profile=$DUMP"
callgrind_annotate --inclusive=yes "$DUMP" 2>/dev/null | head -80 >"$OUT.txt"
