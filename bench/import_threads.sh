#!/usr/bin/env bash
# import_threads.sh — one `awda import` with the CPU time of each of its
# threads (utime+stime from /proc/PID/task/*/stat, sampled every 0.5 s;
# the highest value seen per thread, so threads that end are counted).
#
#   bench/import_threads.sh AWDA_BIN BASE.db ROWS.csv [MAPPING]
#
# BASE.db (and BASE.db.key) is copied first, e.g. a database made by
# `awda init` and `awda demo`. Prints the wall time, the four busiest
# threads (the writer first when it is the bottleneck) and the sum.
set -euo pipefail
BIN=$1 BASE=$2 ROWS=$3
MAP=${4:-$(dirname "${BASH_SOURCE[0]}")/../data/import/spreadsheet.mapping.json}
T=$(mktemp -d /tmp/awda-import-threads-XXXXXX)
trap 'rm -rf "$T"' EXIT
cp "$BASE" "$T/t.db"
cp "$BASE.key" "$T/t.db.key"
if [[ -f $BASE-audit ]]; then cp "$BASE-audit" "$T/t.db-audit"; fi # the audit log (schema 28 on)
s=$(date +%s.%N)
"$BIN" import "$ROWS" --mapping "$MAP" --db "$T/t.db" --mode valid_rows >/dev/null 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
    for t in /proc/$pid/task/*; do
        read -r -a f <"$t/stat" 2>/dev/null && echo "${t##*/} $((f[13] + f[14]))"
    done >>"$T/samples" || true
    sleep 0.5
done
wait "$pid"
e=$(date +%s.%N)
python3 - "$s" "$e" "$T/samples" <<'PY'
import sys
s, e, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
top = {}
for line in open(path):
    tid, ticks = line.split()
    top[tid] = max(top.get(tid, 0), int(ticks))
v = sorted(top.values(), reverse=True)
print("wall %.1f s  threads (s): %s  sum %.1f" % (e - s, " ".join("%.1f" % (x / 100) for x in v[:4]), sum(v) / 100))
PY
