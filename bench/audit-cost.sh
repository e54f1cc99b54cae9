#!/usr/bin/env bash
# audit-cost.sh — what the audit record of a read costs: the CPU per read of
# awda as built, against the same source with the audit of GET requests cut
# out, in alternating rounds (bench/cpu-per-request.sh with REF_AWDA).
#
#   bench/audit-cost.sh                  (the tree of this checkout)
#   SRC=/tmp/other-checkout bench/audit-cost.sh
#
# awda has no switch that turns auditing off, and must not have one. This
# script makes the unaudited binary for the measurement only: it copies the
# source tree $SRC (its files as they are, and its build/ directory, so
# that only one file is compiled again) to a scratch directory, makes
# api_audit_call (src/http/router.c) return at once for GET, builds
# build/awda there and runs
#   AWDA=$SRC/build/awda REF_AWDA=<the unaudited copy> bench/cpu-per-request.sh
# on two copies of one data set ($DB, made by bench/gen beforehand with its
# $DB.password and $DB.key beside it). The scratch copy is removed at the
# end; nothing of it is installed or committed.
# RATIO name=get_case ratio_to_ref=R is the figure: the CPU of an audited
# read over an unaudited one (the target: at most 1.10).
# Environment: SRC (this checkout), DB (required), SCENARIOS (get_case),
# ROUNDS (5), DURATION (5s), and what cpu-per-request.sh takes.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-$(cd "$HERE/.." && pwd)}
DB=${DB:?give DB, a data set made by bench/gen}
die() { printf 'audit-cost.sh: %s\n' "$*" >&2; exit 1; }
[[ -f $DB && -f $DB.password ]] || die "no data set $DB (with $DB.password)"
[[ -x $SRC/build/awda ]] || die "build $SRC first (make build/awda)"

WORK=$(mktemp -d /tmp/audit-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$SRC" && git ls-files -z | xargs -0 cp -p --parents -t "$WORK" 2>/dev/null) || true
cp -a "$SRC/build" "$WORK/"
python3 - "$WORK/src/http/router.c" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
old = "    const char *pattern = api_route_at(c->x->route)->pattern;\n"
assert old in s, "api_audit_call changed: adapt audit-cost.sh"
s = s.replace(old, old + '    if (strcmp(c->x->method, "GET") == 0)\n'
              '        return; /* audit-cost.sh: the unaudited build, measurement only */\n', 1)
open(p, "w").write(s)
EOF
touch "$WORK/src/http/router.c"
make -C "$WORK" build/awda >"$WORK/build.log" 2>&1 || { tail "$WORK/build.log" >&2; die "build failed"; }

for d in "$WORK/audited.db" "$WORK/unaudited.db"; do
    cp "$DB" "$d"
    # the audit log's own file (schema 28 on); without it awda refuses the copy
    if [[ -f $DB-audit ]]; then cp "$DB-audit" "$d-audit"; else rm -f "$d-audit"; fi
    cp "$DB.password" "$d.password"
    [[ -f $DB.key ]] && cp "$DB.key" "$d.key"
done
AWDA=$SRC/build/awda DB=$WORK/audited.db REF_AWDA=$WORK/build/awda REF_DB=$WORK/unaudited.db \
    SCENARIOS=${SCENARIOS:-get_case} "$HERE/cpu-per-request.sh"
