#!/usr/bin/env python3
"""check-openapi-routes.py — the routes of the code and the operations of
docs/openapi.yaml are the same set.

The routes come from the router's registry (`awda permissions --json`,
every route of every module in src/http/modules.def); the operations from
the `paths` of docs/openapi.yaml. A path parameter matches whatever its
name ({id}, {code}, {username}). Exits 1, listing the difference, when a
route is not documented or a documented operation has no route.
Run by scripts/lint-openapi.sh; the binary is $AWDA_BIN or build/awda.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
METHODS = ("get", "post", "put", "patch", "delete", "head")


def norm(path):
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented(text):
    """(METHOD, path) of every operation under `paths:` (two-space paths,
    four-space methods, as docs/openapi.yaml is written)."""
    ops, path, in_paths = set(), None, False
    for line in text.splitlines():
        if re.match(r"^\S", line):
            in_paths = line.startswith("paths:")
            path = None
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (/\S*):\s*$", line)
        if m:
            path = m.group(1)
            continue
        m = re.match(r"^    (\w+):", line)
        if m and path and m.group(1) in METHODS:
            ops.add((m.group(1).upper(), norm(path)))
    return ops


def main():
    binary = os.environ.get("AWDA_BIN") or os.path.join(ROOT, "build", "awda")
    if not os.access(binary, os.X_OK):
        print("check-openapi-routes: %s is missing; run 'make build' first" % binary,
              file=sys.stderr)
        return 2
    out = subprocess.run([binary, "permissions", "--json"], capture_output=True, check=True)
    code = {(r["method"], norm(r["route"])) for r in json.loads(out.stdout)["routes"]}
    with open(os.path.join(ROOT, "docs", "openapi.yaml"), encoding="utf-8") as f:
        doc = documented(f.read())
    bad = 0
    for m, p in sorted(code - doc):
        print("check-openapi-routes: %s %s is a route but not in docs/openapi.yaml" % (m, p))
        bad = 1
    for m, p in sorted(doc - code):
        print("check-openapi-routes: %s %s is in docs/openapi.yaml but no route answers it" % (m, p))
        bad = 1
    if not bad:
        print("check-openapi-routes: the %d routes and docs/openapi.yaml agree" % len(code))
    return bad


if __name__ == "__main__":
    sys.exit(main())
