"""Migration 27 (src/store/migration_027.sql): the flagged duplicate pairs
and the imported rows are kept in the order they are written, with a
unique index on what identified them before. A database of the schema
before it, with pairs flagged by an import, a pair decided "not the same"
and a merge that moved an imported row, is migrated by a server at start:
every row of both tables is kept as it was, the review queue answers the
same, the same file imported again creates nothing, a pair is still kept
once, and the merge made before the migration still undoes, putting the
imported row back on the person it came from."""
import json
import sqlite3
import time

from harness import test, main, Server, migration_version, downgrade
from test_import import rows_csv, person, multipart, tag, MAPPING

PAIRS = ("SELECT person_a, person_b, score, explanation, source, import_pk, status, note, "
         "decided_by_pk, decided_at, created_at FROM duplicate_pairs ORDER BY person_a, person_b")
ROWS = ("SELECT row_sha256, file_sha256, sheet, row_number, import_pk, case_pk, person_pk "
        "FROM import_rows ORDER BY row_sha256")


def table_sql(con, name):
    return con.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?",
                       (name,)).fetchone()[0]


def import_file(srv, tok, data):
    ct, body = multipart({"mapping": json.dumps(MAPPING), "mode": "all_or_nothing"},
                         {"file": ("people.csv", data)})
    st, h, d = srv.request("POST", "/api/v1/imports", raw=body, headers={"Content-Type": ct},
                           token=tok, timeout=60)
    assert st == 202, (st, d)
    end = time.time() + 120
    while True:
        st, _, d = srv.request("GET", h["Location"], token=tok)
        assert st == 200, (st, d)
        if d["status"] in ("done", "refused", "failed"):
            return d
        assert time.time() < end, d
        time.sleep(0.1)


def queue(srv, tok, status):
    st, _, d = srv.request("GET", "/api/v1/duplicates?status=%s&limit=200" % status, token=tok)
    assert st == 200, (st, d)
    return d["items"]


@test
def pairs_and_imported_rows_survive_the_migration_and_a_merge_before_it_undoes():
    srv = Server()
    srv.start()
    srv.setup_fixtures()
    try:
        tok = srv.make_user(["registration"], ["EG-CAI"])[1]
        mgr = srv.make_user(["manager"], ["EG-CAI"])[1]
        t = tag()
        # four households: two humans, each written twice
        data = rows_csv([
            person("H-1" + t, "Ousmane Diarra " + t, birth="02/02/1985"),
            person("H-2" + t, "Ousmane Diara " + t, birth="02/02/1985",
                   phone="+223 70 00 00 00"),
            person("H-3" + t, "Awa Konaté " + t, birth="09/04/1988", sex="f"),
            person("H-4" + t, "Konate Awa " + t, birth="09/04/1988", sex="f",
                   phone="+223 70 00 00 01"),
        ])
        imp = import_file(srv, tok, data)
        assert imp["status"] == "done" and imp["persons_created"] == 4, imp
        assert imp["duplicates_flagged"] >= 2, imp
        pairs = queue(srv, mgr, "open")
        mine = [p for p in pairs if t in json.dumps(p, ensure_ascii=False)]
        assert len(mine) >= 2, pairs
        # one pair decided "not the same", the other merged
        by_name = {("Ousmane" in json.dumps(p, ensure_ascii=False)): p for p in mine}
        st, _, d = srv.request("POST", "/api/v1/duplicates/%s/not-same" % by_name[True]["id"],
                               {"note": "cousins"}, token=mgr)
        assert st == 200, (st, d)
        awa = by_name[False]["id"]
        keep, gone = awa.split(".")
        st, _, merge = srv.request("POST", "/api/v1/duplicates/%s/merge" % awa, {"keep": keep},
                                   token=mgr)
        assert st == 201 and merge["rows"].get("import_rows") == 1, (st, merge)
        before_open, before_not = queue(srv, mgr, "open"), queue(srv, mgr, "not_same")
        srv.stop()

        version = migration_version("CREATE TABLE duplicate_pairs_27")
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            pairs_before = con.execute(PAIRS).fetchall()
            rows_before = con.execute(ROWS).fetchall()
            assert len(rows_before) >= 4 and len(pairs_before) >= 2
            gone_pk, keep_pk = (con.execute("SELECT pk FROM persons WHERE id=?", (i,)).fetchone()[0]
                                for i in (gone, keep))
            downgrade(con, version - 1)
            con.commit()
            # the schema before: both tables in the order of their key, and
            # the merge's row of import_rows listed by its hash
            assert "WITHOUT ROWID" in table_sql(con, "duplicate_pairs")
            assert "WITHOUT ROWID" in table_sql(con, "import_rows")
            key = con.execute("SELECT row_key FROM person_merge_rows WHERE tbl='import_rows'"
                              ).fetchone()[0]
            assert json.loads(key)[0] in [r[0] for r in rows_before], key
            assert con.execute(PAIRS).fetchall() == pairs_before
            assert con.execute(ROWS).fetchall() == rows_before
        finally:
            con.close()

        srv.start()  # serve migrates
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            assert con.execute("PRAGMA user_version").fetchone()[0] >= version
            assert "WITHOUT ROWID" not in table_sql(con, "duplicate_pairs")
            assert "WITHOUT ROWID" not in table_sql(con, "import_rows")
            assert con.execute(PAIRS).fetchall() == pairs_before
            assert con.execute(ROWS).fetchall() == rows_before
            # a pair and a row are still kept once
            a, b = pairs_before[0][:2]
            con.execute("INSERT OR IGNORE INTO duplicate_pairs(person_a,person_b,score,"
                        "explanation,source,created_at) VALUES(?,?,1,'{}','review',0)", (a, b))
            assert con.execute(PAIRS).fetchall() == pairs_before  # before the rollback
            try:
                con.execute("INSERT INTO import_rows(row_sha256,file_sha256,sheet,row_number,"
                            "import_pk) VALUES(?,?,?,?,?)", rows_before[0][:5])
                raise AssertionError("an imported row was kept twice")
            except sqlite3.IntegrityError:
                pass
            con.rollback()
        finally:
            con.close()
        assert queue(srv, mgr, "open") == before_open
        assert queue(srv, mgr, "not_same") == before_not
        # the same file again creates nothing
        again = import_file(srv, tok, data)
        assert again["status"] == "done" and again["persons_created"] == 0, again
        assert again["already_imported"] == 4, again
        # the merge made before the migration undoes: the imported row
        # names the person it came from again
        st, _, u = srv.request("POST", "/api/v1/merges/%s/undo" % merge["id"], token=mgr)
        assert st == 200, (st, u)
        srv.stop()
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            now = dict(((r[0], r[6]) for r in con.execute(ROWS)))
            was = {r[0]: r[6] for r in rows_before}
            moved = [h for h in was if was[h] == keep_pk and now[h] == gone_pk]
            assert len(moved) == 1, (was, now)
        finally:
            con.close()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
