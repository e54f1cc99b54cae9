#!/usr/bin/env python3
"""search_answers.py — do two awda binaries give the same search answers?

    python3 bench/search_answers.py --db DB --a BIN_A --b BIN_B \\
        [--limit 50] [--queries 600] [--seed 20261206] \\
        [--user NAME --password-file FILE] [--paths FILE]

Draws the queries as bench/wrk/search.lua draws them (its name groups,
weights and shapes are read from that file: a given name or the first
letters of one, or a given name and the first letters of another; seeded,
so both binaries get the same list), starts BIN_A's server on DB (loopback,
port 8196), signs in (the admin, whose password is in DB.password, unless
--user is given), asks GET /api/v1/persons?q=…&limit=… for every query,
stops it, does the same with BIN_B on the same file, and compares the
answers byte for byte. Prints how many queries there were, how many
answers differ, and the first differing queries. Exits 1 when any differs
(or, for searches, when one is not a 200).
With --paths FILE, the GET paths of FILE are asked instead (the case list
with its filters, say): the same comparison for any answer.

A change to how the search finds its answers that should not change them
(a faster way to the same persons in the same order) is checked with it
on the 1M-person data: the answers of the start and of the change must be
the same bytes, at several limits and for a user limited to one office.
The server writes the audit of the reads into DB's audit file; nothing
else in DB changes.
"""
import argparse
import hashlib
import os
import random
import re
import sys
import urllib.parse

import awda_server

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 8196


def groups_of_search_lua():
    """The name groups and weights of bench/wrk/search.lua."""
    src = open(os.path.join(HERE, "wrk", "search.lua"), encoding="utf-8").read()
    groups = []
    for m in re.finditer(r"\{ --[^\n]*\n(.*?)\n  \},", src, re.S):
        body = m.group(1)
        g = {"arabic": "arabic = true" in body}
        for part in ("first", "second"):
            names = re.search(part + r" = \{(.*?)\}", body, re.S)
            g[part] = re.findall(r'"([^"]+)"', names.group(1))
        groups.append(g)
    weights = [float(w) for w in
               re.search(r"local WEIGHTS = \{([^}]*)\}", src).group(1).split(",")]
    if not groups or len(groups) != len(weights):
        sys.exit("search_answers.py: cannot read the groups of bench/wrk/search.lua")
    return groups, weights


def queries(n, seed):
    """n queries drawn as search.lua's query() draws them."""
    groups, weights = groups_of_search_lua()
    rnd = random.Random(seed)

    def prefix(word, least):
        return word if len(word) <= least else word[:rnd.randint(least, len(word))]

    out = []
    for _ in range(n):
        r, g = rnd.random(), groups[0]
        for i, w in enumerate(weights):
            if r < w:
                g = groups[i]
                break
            r -= w
        if rnd.random() < 0.6:
            q = prefix(rnd.choice(g["first"] if rnd.random() < 0.7 else g["second"]), 3)
        else:
            q = rnd.choice(g["first"]) + " " + prefix(rnd.choice(g["second"]), 2)
        if not g["arabic"] and rnd.random() < 0.5:
            q = q.lower()
        out.append(q)
    return out


def answers(binary, db, paths, user, password):
    """The md5 of each answer of binary's server on db to GET paths, in order."""
    srv, c = awda_server.start(binary, db, PORT, who="search_answers.py")
    try:
        token = awda_server.sign_in(c, user, password, who="search_answers.py")
        out = []
        for path in paths:
            c.request("GET", path, headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            data = r.read()
            out.append("%d %s" % (r.status, hashlib.md5(data).hexdigest()))
        return out
    finally:
        srv.terminate()
        srv.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password-file")
    ap.add_argument("--paths", help="a file of GET paths, one a line, asked instead of searches")
    a = ap.parse_args()
    pw_file = a.password_file or a.db + ".password"
    password = open(pw_file, encoding="utf-8").read().strip()
    if a.paths:
        qs = [l.strip() for l in open(a.paths, encoding="utf-8") if l.strip()]
    else:
        qs = ["/api/v1/persons?limit=%d&q=%s" % (a.limit, urllib.parse.quote(q))
              for q in queries(a.queries, a.seed)]
    ans_a = answers(a.a, a.db, qs, a.user, password)
    ans_b = answers(a.b, a.db, qs, a.user, password)
    differ = [q for q, x, y in zip(qs, ans_a, ans_b) if x != y]
    errors = sum(1 for x in ans_a + ans_b if not x.startswith("200 "))
    print("requests=%d two_words=%d limit=%d user=%s differ=%d not_200=%d"
          % (len(qs), sum(1 for q in qs if "%20" in q), a.limit, a.user, len(differ), errors))
    for q in differ[:10]:
        print("  differs:", q)
    sys.exit(1 if differ or (errors and not a.paths) else 0)


if __name__ == "__main__":
    main()
