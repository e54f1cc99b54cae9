#!/usr/bin/env bash
# fuzz/install-clang.sh — makes sure a clang that can link libFuzzer
# harnesses is there (used by `make fuzz`, not by `make check`).
#
# Tries to link a one-line harness with -fsanitize=fuzzer,address,undefined;
# when that fails, installs Debian's clang and libclang-rt-dev (libFuzzer's
# and the sanitizers' runtime, only a Recommends of clang, so it is named
# explicitly), then tries again. Idempotent; uses sudo when not root.
set -euo pipefail
CC="${1:-clang}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$tmp/t.c"

works() {
    command -v "$CC" >/dev/null 2>&1 &&
        "$CC" -fsanitize=fuzzer,address,undefined -o "$tmp/t" "$tmp/t.c" >/dev/null 2>&1
}

works && exit 0
echo "fuzz: installing clang and libclang-rt-dev"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null
if ! works; then
    echo "fuzz: $CC cannot link a libFuzzer harness (-fsanitize=fuzzer)" >&2
    exit 1
fi
