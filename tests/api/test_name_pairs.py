"""The pairs of name keys (migration 15) that drive searches of two or
more words: made for the persons of a database of the schema before
them, they answer every search as the keys written by the server do
(same persons, same order), and hold exactly the pairs of two different
keys of each person, each once, smaller key first (migration 25, which
halves the pairs of a database of the schema before it). The answers themselves are compared with
the former key scan in tests/unit/test_store_person_search.c."""
import random
import sqlite3

from harness import (test, Server, case_body, person, create_case, urlquote,
                     downgrade, migration_version, main)

LATIN = ["Tesfaye", "Habtom", "Mohamed", "Fatima", "Abebe", "Ahmed", "Ali",
         "Musa", "Hassan", "Berhane", "Abdallah", "Osman"]
ARABIC = ["تسفاي", "حبتوم", "محمد", "فاطمة", "أبيبي", "أحمد", "علي", "موسى",
          "حسن", "برهان", "عبد الله", "عثمان"]
QUERIES = ["tesfaye habtom", "habtom tesfaye", "تسفاي حبتوم", "mohamed ali",
           "ali mohamed", "محمد علي", "abebe hab", "moh", "حسن", "abd allah",
           "عبد الله موسى", "musa ali hassan", "ali ali", "ab abebe", "kwk ali"]

PAIRS_NOT_FROM_KEYS = (
    "SELECT (SELECT count(*) FROM (SELECT k1,k2,person_pk FROM person_name_pairs EXCEPT "
    "SELECT a.key,b.key,a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
    "b.person_pk=a.person_pk AND a.key<b.key)) + (SELECT count(*) FROM (SELECT a.key,"
    "b.key,a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
    "b.person_pk=a.person_pk AND a.key<b.key EXCEPT SELECT k1,k2,person_pk FROM "
    "person_name_pairs))")


def answers(srv, token):
    out = {}
    for q in QUERIES:
        for limit in (200, 3):
            st, _, data = srv.request("GET", "/api/v1/persons?limit=%d&q=%s" % (limit, urlquote(q)),
                                      token=token)
            assert st == 200, (q, st, data)
            out[(q, limit)] = [p["id"] for p in data["items"]]
    return out


def populate(s, tok):
    rnd = random.Random(15)
    for i in range(60):
        members = []
        for m in range(1 + i % 3):
            words = [rnd.randrange(len(LATIN)) for _ in range(2 + rnd.randrange(2))]
            members.append({"relationship": "principal" if m == 0 else "child",
                            "person": person(name=" ".join(ARABIC[w] for w in words),
                                             name_latin=" ".join(LATIN[w] for w in words)
                                             if i % 4 else None,
                                             date_of_birth="1985-05-01" if m == 0
                                             else "2015-05-01")})
        create_case(case_body(members=members), server=s, token=tok)


def migrated_from(marker):
    """Populates a server, takes its database back to the schema before the
    migration holding marker, lets a server migrate it again; returns the
    answers before and after and the pairs written, undone and after."""
    version = migration_version(marker)
    s = Server().start()
    try:
        s.ensure_office("EG-CAI", "Cairo", "EGY")
        tok = s.admin()
        populate(s, tok)
        before = answers(s, tok)
        assert sum(len(v) for v in before.values()) > 100, before
        assert before[("kwk ali", 200)] == []
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            written = db.execute("SELECT count(*) FROM person_name_pairs").fetchone()[0]
            assert written > 0
            assert db.execute(PAIRS_NOT_FROM_KEYS).fetchone()[0] == 0
            downgrade(db, version - 1)
            db.commit()
            undone = (db.execute("SELECT count(*) FROM person_name_pairs").fetchone()[0]
                      if db.execute("SELECT count(*) FROM sqlite_master WHERE "
                                    "name='person_name_pairs'").fetchone()[0] else None)
        finally:
            db.close()
        s.start()  # serve migrates
        after = answers(s, s.admin())
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            now = db.execute("SELECT count(*) FROM person_name_pairs").fetchone()[0]
            assert db.execute(PAIRS_NOT_FROM_KEYS).fetchone()[0] == 0
        finally:
            db.close()
        for k in before:
            assert before[k] == after[k], (k, before[k], after[k])
        return written, undone, now
    finally:
        s.cleanup()


@test
def the_pairs_are_made_for_a_database_of_the_previous_schema_and_answer_the_same():
    written, undone, now = migrated_from("CREATE TABLE person_name_pairs")
    assert undone is None  # the schema before migration 15 has no pairs
    assert now == written


@test
def the_pairs_in_both_orders_are_halved_and_answer_the_same():
    written, undone, now = migrated_from("DELETE FROM person_name_pairs WHERE k1 > k2")
    assert undone == 2 * written  # the schema before migration 25: both orders
    assert now == written


if __name__ == "__main__":
    main()
