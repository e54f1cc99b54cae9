"""The pairs of name keys (migration 15) are dropped (migration 25): a
database of the schema before, whose pairs a server wrote, loses the
table when a server of this schema starts, and answers every search as
before (same persons, same order). The prefix search itself is compared
with the former key scan in tests/unit/test_store_person_search.c."""
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

TABLES = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'person_name_pairs%'"


def answers(srv, token):
    out = {}
    for q in QUERIES:
        for limit in (200, 3):
            st, _, data = srv.request("GET", "/api/v1/persons?limit=%d&q=%s" % (limit, urlquote(q)),
                                      token=token)
            assert st == 200, (q, st, data)
            out[(q, limit)] = [p["id"] for p in data["items"]]
    return out


@test
def the_pairs_are_dropped_from_a_database_of_the_previous_schema_and_searches_answer_the_same():
    version = migration_version("DROP TABLE person_name_pairs")
    rnd = random.Random(15)
    s = Server().start()
    try:
        s.ensure_office("EG-CAI", "Cairo", "EGY")
        tok = s.admin()
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
        before = answers(s, tok)
        assert sum(len(v) for v in before.values()) > 100, before
        assert before[("kwk ali", 200)] == []
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            assert db.execute(TABLES).fetchone()[0] == 0
            downgrade(db, version - 1)  # the pairs as migration 15 made them
            db.commit()
            assert db.execute(TABLES).fetchone()[0] == 2  # the table and its index
            assert db.execute("SELECT count(*) FROM person_name_pairs").fetchone()[0] > 0
        finally:
            db.close()
        s.start()  # serve migrates
        after = answers(s, s.admin())
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            assert db.execute(TABLES).fetchone()[0] == 0
        finally:
            db.close()
        for k in before:
            assert before[k] == after[k], (k, before[k], after[k])
    finally:
        s.cleanup()


if __name__ == "__main__":
    main()
