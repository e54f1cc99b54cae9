#!/usr/bin/env bash
# `make run`: creates the demo database on first use, then serves awda.
# The administrator's password is printed once by `awda init`; it is kept
# in var/demo-credentials.txt (mode 0600) beside the demo database so that
# every later `make run` can show it again.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-var/awda.db}"
LISTEN="${2:-127.0.0.1:8080}"
CRED="$(dirname "$DB")/demo-credentials.txt"
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
    umask 077
    {
        build/awda init --db "$DB"
        build/awda demo --db "$DB"
    } > "$CRED"
    umask 022
fi
# A database made by an earlier awda gets the newer migrations.
build/awda migrate --db "$DB" > /dev/null
echo "awda: demo database $DB"
echo "awda: open http://$LISTEN/ in a browser (Arabic, French, English); the JSON API is at"
echo "      http://$LISTEN/api/v1 (health: /healthz). Sign in as:"
grep -E '^(user|password):' "$CRED" | head -n 2 | sed 's/^/  /'
echo "awda: all demo users and passwords: $CRED"
exec build/awda serve --db "$DB" --listen "$LISTEN"
