#!/usr/bin/env bash
# import_bench.sh — times `awda import` of N generated person rows
# (bench/import_rows.py, households of 1-6 persons) into a fresh database
# with the demo's offices, against a reference measured in the same run:
# SQLite's own .import of the same CSV into a plain table of a file
# database (the floor of reading the rows and writing them to disk).
#
#   bench/import_bench.sh [N] [AWDA_BIN] [ROWS.csv]
#       (default 100000, build/awda; ROWS.csv: rows made elsewhere, e.g. by
#       bench/importgen.py, in the columns of the spreadsheet example;
#       otherwise bench/import_rows.py makes them)
#
# Prints the machine's load before and after, the dry run (read, map,
# check by the rules of registration, nothing written), the import
# (valid_rows: registration's writes, name and duplicate keys, and the
# possible duplicates flagged in the background), the ratio of each to
# the reference, and the import's CPU time (the machine's other load does
# not inflate it) and peak memory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-100000}
BIN=${2:-build/awda}
T=$(mktemp -d /tmp/awda-import-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT
if [[ -n "${3:-}" ]]; then cp "$3" "$T/rows.csv"; else python3 bench/import_rows.py "$N" "$T/rows.csv"; fi
"$BIN" init --db "$T/a.db" >/dev/null 2>&1
"$BIN" demo --db "$T/a.db" >/dev/null 2>&1
now() { date +%s.%N; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
t0=$(now)
sqlite3 "$T/ref.db" ".mode csv" ".import $T/rows.csv ref"
t1=$(now)
"$BIN" import "$T/rows.csv" --mapping data/import/spreadsheet.mapping.json --db "$T/a.db" \
    --dry-run >/dev/null 2>"$T/dry.err" || true
t2=$(now)
/usr/bin/time -f "%U %S %M" -o "$T/cpu" "$BIN" import "$T/rows.csv" \
    --mapping data/import/spreadsheet.mapping.json --db "$T/a.db" \
    --mode valid_rows >"$T/out" 2>"$T/err"
t3=$(now)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
tail -1 "$T/out" | head -c 400; echo
python3 - "$t0" "$t1" "$t2" "$t3" "$N" $(cat "$T/cpu") <<'PY'
import sys
t0, t1, t2, t3, n, user, sys_, rss = map(float, sys.argv[1:])
ref, dry, imp = t1 - t0, t2 - t1, t3 - t2
print("rows %d  reference (sqlite3 .import) %.2f s  dry run %.2f s (%.1fx)  import %.2f s (%.1fx, %.0f rows/s)"
      % (n, ref, dry, dry / ref, imp, imp / ref, n / imp))
print("import CPU %.1f s user + %.1f s system (%.2f cores on average), peak memory %.0f MiB"
      % (user, sys_, (user + sys_) / imp, rss / 1024))
PY
