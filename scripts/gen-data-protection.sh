#!/usr/bin/env bash
# Regenerates the tables of docs/DATA-PROTECTION.md from the permission
# table in the code (awda permissions --markdown). With --check, only says
# whether the committed document is in step with the code (exit 1 if not).
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/DATA-PROTECTION.md
begin='<!-- generated: awda permissions --markdown -->'
end='<!-- end of generated tables -->'
new=$(mktemp)
trap 'rm -f "$new"' EXIT
awk -v b="$begin" -v e="$end" '
    $0 == b { print; while ((getline line < "/dev/stdin") > 0) print line; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }
' "$doc" < <(build/awda permissions --markdown) > "$new"
if [ "${1:-}" = "--check" ]; then
    if diff -u "$doc" "$new"; then echo "docs/DATA-PROTECTION.md matches the permission table"; exit 0; fi
    echo "docs/DATA-PROTECTION.md is out of step with the code: run scripts/gen-data-protection.sh"
    exit 1
fi
cp "$new" "$doc"
