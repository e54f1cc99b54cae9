"""Duplicate detection (src/app/duplicates.c, src/store/duplicates.c):
GET /api/v1/persons/{id}/duplicates and POST /api/v1/duplicates/check.

- every variation of issue 13 — another script, one typo, the family name
  first, a missing middle name, a date of birth a year off, day and month
  exchanged, only the year — finds the person at rank 1 among a few
  hundred persons with similar names (the same first names, the same
  family name, the same full name born years apart);
- a saved person written in Arabic script finds the Latin registration
  (and the other way), the explanation says how each word matched;
- a pair decided not_same is not proposed again;
- need to know: a candidate held only by another office comes with that
  office, the score and the explanation's kinds — no name, date or number;
- a registration's persons get their pairs flagged (source registration)
  after the answer;
- a bad body is 422 with field errors (in Arabic and French too), a bad
  limit 400;
- a database of the schema before the keys gets them at the server's start.

The names are made of random syllables (unique to each run), written in
Latin script and, letter for letter, in Arabic script."""
import random
import sqlite3
import time

from harness import (test, shared, case_body, person, create_case, assert_problem, main,
                     downgrade, migration_version)

CHECK = "/api/v1/duplicates/check"
DUPS = "/api/v1/persons/%s/duplicates"

_rng = random.Random()
_CONS = {"b": "ب", "d": "د", "f": "ف", "k": "ك", "l": "ل", "m": "م", "n": "ن",
         "r": "ر", "s": "س", "t": "ت"}
_VOW = {"a": "ا", "i": "ي", "u": "و"}


def word(n=3):
    """A random word of n syllables (consonant, vowel): (Latin, Arabic)."""
    lat, ar = "", ""
    for _ in range(n):
        c, v = _rng.choice(list(_CONS)), _rng.choice(list(_VOW))
        lat += c + v
        ar += _CONS[c] + _VOW[v]
    return lat.capitalize(), ar


def typo(w):
    """w with the consonant of its second syllable replaced by another (the
    consonant skeleton changes: one typo that folding does not hide)."""
    low = w.lower()
    c = _rng.choice([x for x in _CONS if x not in (low[0], low[2], low[4:5])])
    out = low[:2] + c + low[3:]
    return out.capitalize() if w[0].isupper() else out


def register(name, dob="1990-05-04", prec="exact", latin=None, sex="male", nat="MLI",
             office="EG-CAI", token=None, docs=None):
    """Registers a case of one person; the person's id."""
    p = person(name=name, name_latin=latin, date_of_birth=dob, dob_precision=prec, sex=sex,
               nationality=nat, documents=docs or [])
    c = create_case(case_body(office=office, members=[{"relationship": "principal", "person": p}]),
                    token=token)
    return c["members"][0]["person_id"]


def check(body, token=None, query=""):
    st, _, d = shared().request("POST", CHECK + query, body, token=token or shared().admin())
    assert st == 200, (st, d)
    return d["items"]


def dups(pid, token=None):
    st, _, d = shared().request("GET", DUPS % pid, token=token or shared().admin())
    assert st == 200, (st, d)
    return d["items"]


def candidates_soon(a, b, tries):
    """The ids of person a's candidates once b is among them (the keys are
    made in the background at a server's start), or after tries polls."""
    found = []
    for _ in range(tries):
        found = [i.get("person", {}).get("id") for i in dups(a)]
        if b in found:
            break
        time.sleep(0.05)
    return found


def backfill_done_soon(s, tries):
    """True once the keys' backfill (made at a server's start) has passed
    its last person, False if it has not after tries polls: the person
    found last is not the last job, which records the end."""
    db = sqlite3.connect(s.db, timeout=30)
    try:
        for _ in range(tries):
            nxt, upto = db.execute("SELECT next_pk, upto_pk FROM person_dup_backfill").fetchone()
            if nxt > upto:
                return True
            time.sleep(0.05)
        return False
    finally:
        db.close()


class Family:
    """A person (first, middle and family name) and distractors around
    them: the same first and middle names with other family names, the
    same family name with other first names, and the same full name born
    years apart."""

    def __init__(self, distractors=300):
        s = shared()
        s.setup_fixtures()
        self.first, self.first_ar = word()
        self.middle, self.middle_ar = word()
        self.family, self.family_ar = word()
        self.name = "%s %s %s" % (self.first, self.middle, self.family)
        self.name_ar = "%s %s %s" % (self.first_ar, self.middle_ar, self.family_ar)
        self.id = register(self.name, latin=None)
        for i in range(distractors):
            k = i % 4
            other = word()[0]
            if k == 0:
                n = "%s %s %s" % (self.first, self.middle, other)
            elif k == 1:
                n = "%s %s %s" % (other, word()[0], self.family)
            elif k == 2:
                n = "%s %s %s" % (self.first, other, self.family)
            else:
                n = self.name  # the same name, another person (born years before)
            register(n, dob="%d-%02d-%02d" % (_rng.randint(1950, 1984), _rng.randint(1, 12),
                                              _rng.randint(1, 28)),
                     sex=_rng.choice(["male", "female"]))


_family = []


def family():
    if not _family:
        _family.append(Family())
    return _family[0]


def assert_first(items, pid, what):
    assert items, "%s: nothing found" % what
    got = items[0].get("person", {}).get("id")
    assert got == pid, "%s: rank 1 is %r (score %s), expected %s; the list: %r" % (
        what, got, items[0]["score"], pid,
        [(i.get("person", {}).get("name"), i["score"]) for i in items[:5]])


@test
def test_every_variation_at_rank_1():
    f = family()
    variants = {
        "other script": {"name": f.name_ar},
        "one typo": {"name": "%s %s %s" % (f.first, f.middle, typo(f.family))},
        "a typo in two words": {"name": "%s %s %s" % (typo(f.first), f.middle, typo(f.family))},
        "family name first": {"name": "%s %s %s" % (f.family, f.first, f.middle)},
        "missing middle name": {"name": "%s %s" % (f.first, f.family)},
        "missing middle name and one typo": {"name": "%s %s" % (f.first, typo(f.family))},
        "a year off": {"name": f.name, "date_of_birth": "1991-05-04"},
        "day and month exchanged": {"name": f.name, "date_of_birth": "1990-04-05"},
        "year only": {"name": f.name, "date_of_birth": "1990", "dob_precision": "year"},
        "other script, family name first, no middle name":
            {"name": "%s %s" % (f.family_ar, f.first_ar), "date_of_birth": "1990",
             "dob_precision": "year"},
    }
    for what, v in variants.items():
        body = {"sex": "male", "nationality": "MLI", "date_of_birth": "1990-05-04",
                "dob_precision": "exact"}
        body.update(v)
        items = check(body)
        assert_first(items, f.id, what)
        assert items[0]["score"] >= 7000, (what, items[0])


@test
def test_saved_person_across_scripts():
    s = shared()
    s.setup_fixtures()
    first, first_ar = word()
    fam, fam_ar = word()
    lat = register("%s %s" % (first, fam), dob="1985-02-03")
    ar = register("%s %s" % (fam_ar, first_ar), dob="1985-03-02", office="ML-BKO")
    items = dups(ar)
    assert_first(items, lat, "Latin from Arabic")
    e = items[0]["explanation"]
    assert e["date_of_birth"] == "day_month_swapped", e
    assert sorted(n["how"] for n in e["names"]) == ["other_script", "other_script"], e
    assert {n["candidate"] for n in e["names"]} == {first, fam}, e
    assert items[0]["cases"][0]["number"].startswith("EG-CAI-"), items[0]
    assert_first(dups(lat), ar, "Arabic from Latin")
    # the limit
    st, _, d = s.request("GET", DUPS % lat + "?limit=1", token=s.admin())
    assert st == 200 and len(d["items"]) <= 1, d


@test
def test_not_same_is_not_proposed_again():
    first, _ = word()
    fam, _ = word()
    a = register("%s %s" % (first, fam))
    b = register("%s %s" % (fam, first))
    assert_first(dups(a), b, "before the decision")
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        pa, pb = sorted(db.execute("SELECT pk FROM persons WHERE id IN (?,?)", (a, b)))
        db.execute("INSERT INTO duplicate_pairs(person_a,person_b,score,explanation,source,"
                   "status,created_at) VALUES(?,?,9000,'{}','review','not_same',0) ON "
                   "CONFLICT DO UPDATE SET status='not_same'", (pa[0], pb[0]))
        db.commit()
    finally:
        db.close()
    assert b not in [i.get("person", {}).get("id") for i in dups(a)]
    assert a not in [i.get("person", {}).get("id") for i in dups(b)]


@test
def test_other_office_sees_no_name():
    s = shared()
    s.setup_fixtures()
    first, first_ar = word()
    fam, _ = word()
    name = "%s %s" % (first, fam)
    register(name, dob="1979-01-02", docs=[{"type": "passport", "number": "X" + fam.upper(),
                                            "issuing_country": "MLI", "expiry": "2030-01-01"}])
    _, tok = s.make_user(["registration"], ["ML-BKO"])
    mine = register("%s %s" % (fam, first), dob="1979-01-02", office="ML-BKO", token=tok)
    for items in (dups(mine, token=tok), check({"name": name}, token=tok)):
        other = [i for i in items if not i["in_scope"]]
        assert other, items
        o = other[0]
        assert o["offices"] == ["EG-CAI"], o
        assert "person" not in o and "cases" not in o, o
        text = repr(o)
        assert "X" + fam.upper() not in text and "1979" not in text, o
        assert all("candidate" not in n for n in o["explanation"]["names"]), o
        assert o["score"] >= 7000, o
    # the person itself must be in the caller's scope
    st, _, _ = s.request("GET", DUPS % family().id, token=tok)
    assert st == 404, st


@test
def test_registration_flags_pairs():
    first, _ = word()
    fam, _ = word()
    a = register("%s %s" % (first, fam), dob="1970-07-08")
    b = register("%s %s" % (first, typo(fam)), dob="1970-08-07")
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        pa = db.execute("SELECT pk FROM persons WHERE id=?", (a,)).fetchone()[0]
        pb = db.execute("SELECT pk FROM persons WHERE id=?", (b,)).fetchone()[0]
        row = None
        for _ in range(100):
            row = db.execute("SELECT score, source, status, explanation FROM duplicate_pairs "
                             "WHERE person_a=? AND person_b=?", (min(pa, pb), max(pa, pb))
                             ).fetchone()
            if row:
                break
            time.sleep(0.05)
        assert row, "the pair was not flagged"
        assert row[0] >= 7000 and row[1] == "registration" and row[2] == "open", row
        assert "day_month_swapped" in row[3], row
    finally:
        db.close()


@test
def test_namesakes_born_far_apart_are_not_flagged():
    # The same name, sex and nationality, births 24 years apart: proposed
    # (a reviewer may look), never flagged; born a year apart: flagged.
    first, _ = word()
    fam, _ = word()
    name = "%s %s" % (first, fam)
    a = register(name, dob="1990-05-27")
    far = register(name, dob="2014-01-14")
    near = register(name, dob="1991-05-27")
    items = dups(a)
    ids = [i["person"]["id"] for i in items]
    assert far in ids and near in ids, items
    assert next(i for i in items if i["person"]["id"] == far)["score"] < 7000, items
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        pk = {i: db.execute("SELECT pk FROM persons WHERE id=?", (i,)).fetchone()[0]
              for i in (a, far, near)}

        def flagged(x, y):
            return db.execute("SELECT score FROM duplicate_pairs WHERE person_a=? AND "
                              "person_b=?", (min(pk[x], pk[y]), max(pk[x], pk[y]))).fetchone()
        for _ in range(100):
            if flagged(a, near):
                break
            time.sleep(0.05)
        assert flagged(a, near), "the pair born a year apart was not flagged"
        assert not flagged(a, far) and not flagged(near, far)
    finally:
        db.close()


@test
def test_bad_requests():
    s = shared()
    for lang, title in (("en", "The person is not valid"), ("fr", "La personne n'est pas valide"),
                        ("ar", "بيانات الشخص غير صالحة")):
        st, h, d = s.request("POST", CHECK, {"name": "", "date_of_birth": "1990-02-30",
                                             "dob_precision": "exact", "sex": "x"},
                             token=s.admin(), headers={"Accept-Language": lang})
        assert_problem((st, h, d), 422, fields=["name"])
        fields = {e["field"] for e in d["errors"]}
        assert {"name", "date_of_birth", "sex"} <= fields, d
        assert d["title"] == title, d
    st, h, d = s.request("POST", CHECK + "?limit=0", {"name": "Awa Traore"}, token=s.admin())
    assert_problem((st, h, d), 400, fields=["limit"])
    st, h, d = s.request("GET", DUPS % "not-a-uuid", token=s.admin())
    assert st == 404, (st, d)
    st, h, d = s.request("POST", CHECK, [1, 2], token=s.admin())
    assert st in (400, 422), (st, d)


def restart_at_schema(s, version, before=None, after=None):
    """Stops the shared server, takes its database back to the schema
    before migration version (harness.downgrade; before(db) runs first and
    what it returns is handed to after(db, it), run once the downgrade is
    committed) and starts the server again, which migrates it. Returns
    what before returned."""
    s.stop()
    kept = None
    try:
        db = sqlite3.connect(s.db, timeout=30)
        try:
            kept = before(db) if before else None
            downgrade(db, version - 1)
            db.commit()
            if after:
                after(db, kept)
        finally:
            db.close()
    finally:
        s.start()  # migrates; the keys are made at start, in the background
    return kept


def candidates_back(a, b, tries):
    """b among a's candidates again, and the keys' backfill ended."""
    found = candidates_soon(a, b, tries)
    assert b in found, found
    assert backfill_done_soon(shared(), 400)


def dup_keys(s):
    db = sqlite3.connect(s.db, timeout=30)
    try:
        return sorted(db.execute("SELECT key, person_pk FROM person_dup_keys"))
    finally:
        db.close()


@test
def test_keys_of_persons_before_the_migration():
    s = shared()
    first, _ = word()
    fam, _ = word()
    a = register("%s %s" % (first, fam), dob="1966-01-01")
    b = register("%s %s" % (fam, typo(first)), dob="1966", prec="year")
    restart_at_schema(s, migration_version("CREATE TABLE person_dup_backfill"))
    candidates_back(a, b, 200)


@test
def test_keys_made_again_after_the_date_keys():
    """Migration 24: a database of the previous schema whose persons lack
    keys (as they lack the date keys) gets every person's keys again,
    made at the server's start."""
    s = shared()
    first, _ = word()
    fam, _ = word()
    a = register("%s %s %s" % (first, word()[0], fam), dob="1971-03-09")
    b = register("%s %s" % (first, fam), dob="1971-03-09")
    assert b in [i.get("person", {}).get("id") for i in dups(a)]

    def drop(db):
        keys = db.execute("SELECT count(*) FROM person_dup_keys").fetchone()[0]
        assert keys > 0
        db.execute("DELETE FROM person_dup_keys")
        return keys

    def none_to_make(db, keys):
        nxt, upto = db.execute("SELECT next_pk, upto_pk FROM person_dup_backfill").fetchone()
        assert nxt > upto, (nxt, upto)  # a server of the old schema would make none

    keys = restart_at_schema(s, migration_version("kind 'D'"), drop, none_to_make)
    candidates_back(a, b, 400)
    assert len(dup_keys(s)) == keys


@test
def test_keys_of_the_previous_hash_made_again():
    """Migration 26: the duplicate keys of a database made by another hash
    (BLAKE2b-64 before it) are made again at the server's start, and the
    candidates come back."""
    s = shared()
    first, _ = word()
    fam, _ = word()
    a = register("%s %s" % (first, fam), dob="1958-11-02")
    b = register("%s %s" % (fam, typo(first)), dob="1958", prec="year")
    assert b in [i.get("person", {}).get("id") for i in dups(a)]
    keys = dup_keys(s)
    assert keys

    def other_hash(db, _):
        old = sorted(db.execute("SELECT key, person_pk FROM person_dup_keys"))
        assert len(old) == len(keys) and not set(old) & set(keys)

    restart_at_schema(s, migration_version("SipHash-2-4"), after=other_hash)
    candidates_back(a, b, 400)
    assert dup_keys(s) == keys


@test
def test_reindex_command():
    """`awda duplicates reindex` remakes exactly the keys written with the
    persons, and the index by person."""
    import subprocess
    s = shared()
    register("%s %s" % (word()[0], word()[0]))
    s.stop()
    try:
        db = sqlite3.connect(s.db, timeout=30)
        try:
            before = db.execute("SELECT count(*), sum(key % 1000003), sum(person_pk) FROM "
                                "person_dup_keys").fetchone()
            db.execute("DELETE FROM person_dup_keys WHERE person_pk % 2 = 0")
            db.commit()
        finally:
            db.close()
        p = subprocess.run([s.bin, "duplicates", "reindex", "--db", s.db], capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, (p.stdout, p.stderr)
        assert "keys per person:" in p.stdout, p.stdout
        db = sqlite3.connect(s.db, timeout=30)
        try:
            after = db.execute("SELECT count(*), sum(key % 1000003), sum(person_pk) FROM "
                               "person_dup_keys").fetchone()
            idx = db.execute("SELECT count(*) FROM sqlite_master WHERE name="
                             "'person_dup_keys_person'").fetchone()[0]
        finally:
            db.close()
        assert after == before, (before, after)
        assert idx == 1
    finally:
        s.start()


if __name__ == "__main__":
    main()
