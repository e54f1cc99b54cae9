#!/usr/bin/env python3
"""dupgen_check.py — checks the labelled pairs bench/gen --dups planted
(bench/dupgen.c) against the database: that each label says what the two
records really are, so recall figures are not measured on wrong labels.

    bench/dupgen_check.py --db DB [--labels DB.labels.tsv]
    bench/dupgen_check.py --selftest      # makes a 20,000-person database

For every pair: both persons exist, in different cases, with the same sex
and nationality, the second without a document; and the kind holds:
  other_script   one name in Arabic script with no name_latin, the other in
                 Latin letters; same date of birth and precision
  typo           the names one substitution, insertion, deletion or swap
                 of neighbours apart (Damerau-Levenshtein 1); same date
  family_first   the same words, the last first
  no_middle      the words of the first minus one of its middle words
  dob_year_off   same name; year +-1, the rest of the date the same
  dob_day_month_swapped  same name; an exact date with day and month
                 exchanged (and different)
  dob_year_only  same name; the year of a more precise date, precision year
  other_script+dob  the scripts as other_script, the date as one of the three
Exits 1 with the first few problems, else prints the pairs per kind.
"""
import argparse
import collections
import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_arabic(s):
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def multiword_names():
    """The names of the pools written with a space (عبد الله, نصر الدين)."""
    with open(os.path.join(ROOT, "data", "demo", "names.json"), encoding="utf-8") as f:
        pools = json.load(f)["pools"]
    out = set()
    for entries in pools.values():
        for e in entries:
            for w in ([e] if isinstance(e, str) else e):
                if " " in w:
                    out.add(w)
    return out


MULTI = multiword_names()


def words(name):
    """The words of a name, a name of the pools written with a space kept
    as one word."""
    out, ws, i = [], name.split(), 0
    while i < len(ws):
        for n in (3, 2):
            if " ".join(ws[i:i + n]) in MULTI:
                out.append(" ".join(ws[i:i + n]))
                i += n
                break
        else:
            out.append(ws[i])
            i += 1
    return out


def dl1(a, b):
    """True when a and b are one substitution, insertion, deletion or swap
    of neighbours apart."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]])
    if abs(len(a) - len(b)) != 1:
        return False
    s, t = (a, b) if len(a) < len(b) else (b, a)
    return any(t[:i] + t[i + 1:] == s for i in range(len(t)))


def date_kind(a, b, pa, pb):
    """Which date change turns (a, pa) into (b, pb), or None."""
    if len(a) >= 4 and len(b) >= 4 and abs(int(a[:4]) - int(b[:4])) == 1 and a[4:] == b[4:] \
            and pa == pb:
        return "dob_year_off"
    if len(a) == 10 and len(b) == 10 and a[:4] == b[:4] and a[5:7] == b[8:10] \
            and a[8:10] == b[5:7] and a != b and int(a[8:10]) <= 12:
        return "dob_day_month_swapped"
    if len(a) >= 7 and b == a[:4] and pb == "year":
        return "dob_year_only"
    return None


def check_pair(kind, A, B):
    """A problem (text) or None. A, B: dicts of the two records."""
    wa, wb = words(A["name"]), words(B["name"])
    same_date = A["dob"] == B["dob"] and A["prec"] == B["prec"]
    if A["sex"] != B["sex"] or A["nat"] != B["nat"]:
        return "sex or nationality differ"
    if B["docs"]:
        return "the second registration has a document"
    if A["case"] == B["case"]:
        return "both in one case"
    if kind.startswith("other_script"):
        ar = A if is_arabic(A["name"]) else B
        la = B if ar is A else A
        if not is_arabic(ar["name"]) or is_arabic(la["name"]) or ar["latin"]:
            return "not one Arabic record without name_latin and one Latin record"
        if kind == "other_script":
            return None if same_date else "dates differ"
        return None if date_kind(A["dob"], B["dob"], A["prec"], B["prec"]) else \
            "no date change of the three kinds"
    if is_arabic(A["name"]) != is_arabic(B["name"]):
        return "scripts differ"
    if kind == "typo":
        if not same_date:
            return "dates differ"
        return None if dl1(A["name"], B["name"]) else "not one typo"
    if kind == "family_first":
        return None if same_date and wb == wa[-1:] + wa[:-1] and wa != wb else \
            "not the last word first"
    if kind == "no_middle":
        ok = len(wb) == len(wa) - 1 and wa[0] == wb[0] and wa[-1] == wb[-1]
        ok = ok and any(wa[:i] + wa[i + 1:] == wb for i in range(1, len(wa) - 1))
        return None if ok and same_date else "not a middle word left out"
    if A["name"] != B["name"]:
        return "names differ"
    return None if date_kind(A["dob"], B["dob"], A["prec"], B["prec"]) == kind else \
        "the dates are not a %s change" % kind


def check(db, labels):
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    q = ("SELECT p.name, coalesce(p.name_latin, ''), p.sex, coalesce(p.date_of_birth, ''), "
         "p.dob_precision, p.nationality, (SELECT count(*) FROM person_documents d WHERE "
         "d.person_pk = p.pk), (SELECT min(case_pk) FROM case_members m WHERE m.person_pk = "
         "p.pk) FROM persons p WHERE p.id = ?")
    keys = ("name", "latin", "sex", "dob", "prec", "nat", "docs", "case")
    kinds, problems, cross = collections.Counter(), [], 0
    rows = list(csv.DictReader(open(labels), delimiter="\t"))
    for r in rows:
        ra = c.execute(q, (r["person_a"],)).fetchone()
        rb = c.execute(q, (r["person_b"],)).fetchone()
        if not ra or not rb:
            problems.append("%s: a person is missing" % r)
            continue
        A, B = dict(zip(keys, ra)), dict(zip(keys, rb))
        p = check_pair(r["kind"], A, B)
        if p is None and (r["cross_script"] == "1") != r["kind"].startswith("other_script"):
            p = "cross_script flag"
        if p:
            problems.append("%s %s | %s: %s" % (r["kind"], ra, rb, p))
        kinds[r["kind"]] += 1
        cross += r["cross_script"] == "1"
    if problems:
        print("dupgen_check: %d of %d labels wrong, e.g.:" % (len(problems), len(rows)))
        for p in problems[:8]:
            print("  " + p)
        return 1
    print("dupgen_check: %d labels right (%d across scripts): %s" % (
        len(rows), cross, ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    return 0


def selftest():
    d = tempfile.mkdtemp(prefix="dupgen-")
    db = os.path.join(d, "t.db")
    awda = os.environ.get("AWDA_BIN", os.path.join(ROOT, "build", "awda"))
    subprocess.run([awda, "init", "--db", db], check=True, capture_output=True)
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "bench"), "gen"], check=True)
    subprocess.run([os.path.join(ROOT, "bench", "gen"), "--db", db, "--persons", "20000",
                    "--cases", "12000", "--dups", "400", "--labels", db + ".labels.tsv"],
                   check=True, capture_output=True)
    rc = check(db, db + ".labels.tsv")
    # The same seed gives the same labels.
    db2 = os.path.join(d, "t2.db")
    subprocess.run([awda, "init", "--db", db2], check=True, capture_output=True)
    subprocess.run([os.path.join(ROOT, "bench", "gen"), "--db", db2, "--persons", "20000",
                    "--cases", "12000", "--dups", "400", "--labels", db2 + ".labels.tsv"],
                   check=True, capture_output=True)
    strip = lambda p: [re.sub(r"^\S+\t\S+\t", "", l) for l in open(p)]  # noqa: E731
    same_names = [r[0] for r in sqlite3.connect(db).execute(
        "SELECT name FROM persons ORDER BY pk LIMIT 2000")] == [r[0] for r in sqlite3.connect(
            db2).execute("SELECT name FROM persons ORDER BY pk LIMIT 2000")]
    if strip(db + ".labels.tsv") != strip(db2 + ".labels.tsv") or not same_names:
        print("dupgen_check: the same seed gave other pairs")
        rc = 1
    subprocess.run(["rm", "-rf", d])
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db")
    ap.add_argument("--labels")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    if not a.db:
        ap.error("--db or --selftest")
    return check(a.db, a.labels or a.db + ".labels.tsv")


if __name__ == "__main__":
    sys.exit(main())
