#!/usr/bin/env bash
# Runs every test suite of `make check` and ends with one line
# "N passed, N failed" summing them all:
#   - unit tests (cmocka), normal and ASan+UBSan builds;
#   - black-box API tests against the sanitizer build of the real server;
#   - the crash test against the normal build (kill -9 needs real speed);
#   - browser tests of the web interface (tests/web, node --test driving
#     Debian's Chromium through playwright-core) against the ASan build;
#   - docs/DATA-PROTECTION.md generated from the permission table;
#   - the server's messages translated (scripts/check-messages.py);
#   - the OpenAPI lint.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/test-logs
PASS=0
FAIL=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

count_cmocka() { # log file -> adds to PASS/FAIL
    local p f
    p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$1" | grep -Eo '[0-9]+$' | tail -n1)
    f=$(grep -Eo '^\[  FAILED  \] [0-9]+' "$1" | grep -Eo '[0-9]+$' | tail -n1)
    PASS=$((PASS + ${p:-0}))
    FAIL=$((FAIL + ${f:-0}))
}

count_plain() { # log file -> adds the "N passed, N failed" line
    local line p f
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n1)
    if [ -z "$line" ]; then
        FAIL=$((FAIL + 1))
        return
    fi
    p=$(echo "$line" | grep -Eo '^[0-9]+')
    f=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+')
    PASS=$((PASS + p))
    FAIL=$((FAIL + f))
}

# The programs of the unit tests that exist now (a build directory may
# still hold the program of a test file since renamed or split: it is not
# run, and a missing program fails).
for kind in "" asan/; do
    for src in tests/unit/test_*.c; do
        t="build/${kind}tests/$(basename "$src" .c)"
        if [ ! -x "$t" ]; then
            echo "   FAILED: $t was not built"
            FAIL=$((FAIL + 1))
            continue
        fi
        name="${kind//\//-}$(basename "$t")"
        echo "== unit: ${kind:-release/}$(basename "$t")"
        if "$t" > "build/test-logs/$name.log" 2>&1; then :; else
            echo "   FAILED (see build/test-logs/$name.log)"
            tail -n 20 "build/test-logs/$name.log"
            grep -q 'FAILED' "build/test-logs/$name.log" || FAIL=$((FAIL + 1))
        fi
        count_cmocka "build/test-logs/$name.log"
    done
done

echo "== api: tests/api against build/asan/awda"
mods=$(cd tests/api && ls test_*.py | grep -v '^test_crash' | sed 's/\.py$/./')
# shellcheck disable=SC2086
AWDA_BIN=build/asan/awda python3 tests/api/run.py $mods > build/test-logs/api.log 2>&1
# The failing tests with their tracebacks, then the summary line.
grep -E -A12 '^FAIL ' build/test-logs/api.log | head -n 200 || true
sed -n '/^failed tests:/,$p' build/test-logs/api.log
grep -E '^[0-9]+ passed, [0-9]+ failed' build/test-logs/api.log || true
count_plain build/test-logs/api.log

echo "== api: crash test against build/awda"
AWDA_BIN=build/awda python3 tests/api/run.py test_crash. > build/test-logs/crash.log 2>&1
tail -n 5 build/test-logs/crash.log
count_plain build/test-logs/crash.log

echo "== web: tests/web (Chromium) against build/asan/awda"
count_node() { # node --test log -> adds its "# pass N" / "# fail N"
    local p f
    p=$(grep -E '^# pass [0-9]+' "$1" | grep -Eo '[0-9]+$' | tail -n1)
    f=$(grep -E '^# fail [0-9]+' "$1" | grep -Eo '[0-9]+$' | tail -n1)
    [ -n "$p" ] || f=$((${f:-0} + 1)) # the runner itself failed
    PASS=$((PASS + ${p:-0}))
    FAIL=$((FAIL + ${f:-0}))
}
AWDA_BIN=build/asan/awda node --test --test-reporter=tap tests/web/ > build/test-logs/web.log 2>&1
grep -E -A14 '^not ok' build/test-logs/web.log | head -n 120 || true
grep -E '^# (pass|fail) ' build/test-logs/web.log || true
count_node build/test-logs/web.log

echo "== docs: docs/DATA-PROTECTION.md against the permission table"
if scripts/gen-data-protection.sh --check > build/test-logs/data-protection.log 2>&1; then
    PASS=$((PASS + 1))
else
    FAIL=$((FAIL + 1))
    tail -n 20 build/test-logs/data-protection.log
fi

echo "== messages: every server message has French and Arabic (src/text/messages/)"
if python3 scripts/check-messages.py > build/test-logs/messages.log 2>&1; then
    PASS=$((PASS + 1))
else
    FAIL=$((FAIL + 1))
    tail -n 60 build/test-logs/messages.log
fi

echo "== lint: docs/openapi.yaml"
if scripts/lint-openapi.sh > build/test-logs/openapi.log 2>&1; then
    PASS=$((PASS + 1))
else
    FAIL=$((FAIL + 1))
    tail -n 30 build/test-logs/openapi.log
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
