#!/usr/bin/env python3
"""
run.py — runs every tests/api/test_*.py module against the real server.

  AWDA_BIN=build/awda python3 tests/api/run.py            # everything
  AWDA_BIN=build/asan/awda python3 tests/api/run.py cases # names containing "cases"

Arguments are substrings; a test runs when its name (module.function)
contains any of them. Prints one line per test and ends with
"N passed, N failed"; exit code 1 if any test failed.
"""
import glob
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


def main():
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        importlib.import_module(os.path.splitext(os.path.basename(path))[0])
    sys.exit(harness.run_tests(sys.argv[1:]))


if __name__ == "__main__":
    main()
