"""The audit log in a file of its own (migration 28, src/store/
migration_028.sql; the step before it, store_audit_move_out in
src/store/audit.c; the attachment in src/store/conn.c).

- A database of the schema before, with records of reads and writes, is
  migrated by a server at start: every record is in the audit file, as it
  was (pk, fields, hashes), none is left in the main file, the chain
  verifies and goes on with the next request.
- A copy into the audit file cut short before (its first records there)
  goes on where it stopped; an audit file holding another log is refused
  and nothing changes; a schema set back by hand after the migration
  (bench/run.sh) migrates again and keeps its log.
- A database whose audit file is gone is refused by the server and the
  command line; put back, it opens.
- While only reads come, the records of the reads reach the audit file
  and the main file is not written (so readers keep their page caches:
  bench/RESULTS.md, "the audit log in a file of its own")."""
import os
import sqlite3
import subprocess
import threading
import time

from harness import (test, main, Server, migration_version, downgrade, audit_db, audit_file,
                     case_body)

ROWS = "SELECT * FROM audit ORDER BY pk"


def verify(srv):
    p = subprocess.run([srv.bin, "audit", "verify", "--db", srv.db], capture_output=True,
                       timeout=120)
    return p.returncode, (p.stdout + p.stderr).decode()


def populated():
    """A stopped server whose log holds sign-ins, a registration and reads
    of it, and the case's id."""
    srv = Server()
    srv.start()
    srv.setup_fixtures()
    tok = srv.make_user(["registration"], ["EG-CAI"])[1]
    st, _, case = srv.request("POST", "/api/v1/cases", case_body(), token=tok)
    assert st == 201, (st, case)
    for _ in range(5):
        st, _, _ = srv.request("GET", "/api/v1/cases/" + case["id"], token=tok)
        assert st == 200
    srv.stop()
    return srv, case["id"]


def to_schema_before(srv):
    """Takes the database back to the schema before migration 28; returns
    the records as they were."""
    con = audit_db(srv.db)
    try:
        rows = con.execute(ROWS).fetchall()
    finally:
        con.close()
    assert len(rows) >= 10, rows
    con = sqlite3.connect(srv.db, timeout=30)
    try:
        downgrade(con, migration_version("DROP TABLE IF EXISTS main.audit") - 1)
        con.commit()
        assert con.execute("SELECT * FROM main.audit ORDER BY pk").fetchall() == rows
        assert con.execute("SELECT count(*) FROM alog.sqlite_master WHERE name='audit'"
                           ).fetchone()[0] == 0
    finally:
        con.close()
    return rows


def main_has_audit(srv):
    con = sqlite3.connect(srv.db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master WHERE name='audit'"
                           ).fetchone()[0] == 1
    finally:
        con.close()


def moved(srv, rows):
    """The main file has no audit table, and the audit file holds rows
    first."""
    assert not main_has_audit(srv)
    con = audit_db(srv.db)
    try:
        assert con.execute(ROWS).fetchall()[:len(rows)] == rows
    finally:
        con.close()


def migrated_keeps(srv, rows):
    """Starts and stops the server (it migrates), then checks that the log
    moved (moved) and the chain verifies."""
    srv.start()
    srv.stop()
    moved(srv, rows)
    rc, out = verify(srv)
    assert rc == 0 and "intact" in out, out


@test
def a_populated_database_moves_its_log_whole_and_the_chain_goes_on():
    srv, case_id = populated()
    try:
        rows = to_schema_before(srv)
        srv.start()  # serve migrates
        moved(srv, rows)
        # the next request chains on the moved records
        tok = srv.make_user(["registration"], ["EG-CAI"])[1]
        st, _, _ = srv.request("GET", "/api/v1/cases/" + case_id, token=tok)
        assert st == 200
        st, _, page = srv.request("GET", "/api/v1/audit?case=" + case_id + "&limit=50",
                                  token=srv.token())
        assert st == 200, (st, page)
        reads = [i for i in page["items"] if i["route"] == "/api/v1/cases/{id}"]
        assert len(reads) == 6, page  # five reads before the migration, one after
        srv.stop()
        rc, out = verify(srv)
        assert rc == 0 and "intact" in out, out
        con = audit_db(srv.db)
        try:
            after = con.execute(ROWS).fetchall()
        finally:
            con.close()
        assert after[:len(rows)] == rows and len(after) > len(rows)
        assert after[len(rows)][9] == rows[-1][10], "the chain goes on from the last record"
    finally:
        srv.cleanup()


@test
def a_copy_cut_short_goes_on_and_another_log_is_refused():
    srv, _ = populated()
    try:
        rows = to_schema_before(srv)
        # the first records already in the audit file, as a copy that a
        # crash cut short, then records written after it by the old schema
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            con.execute("ATTACH DATABASE ? AS alog", (audit_file(srv.db),))
            con.execute("CREATE TABLE alog.audit AS SELECT * FROM main.audit WHERE pk<=4")
            con.commit()
        finally:
            con.close()
        migrated_keeps(srv, rows)

        # another database's log in the audit file: refused, nothing moves
        rows = to_schema_before(srv)
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            con.execute("ATTACH DATABASE ? AS alog", (audit_file(srv.db),))
            con.execute("CREATE TABLE alog.audit AS SELECT * FROM main.audit WHERE pk<=4")
            con.execute("UPDATE alog.audit SET hash='00' || substr(hash, 3) WHERE pk=4")
            con.commit()
        finally:
            con.close()
        try:
            srv.start()
            raise AssertionError("a server started on an audit file of another log")
        except RuntimeError as e:
            assert "holds another log" in str(e), e
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            assert con.execute("PRAGMA user_version").fetchone()[0] == \
                migration_version("DROP TABLE IF EXISTS main.audit") - 1
            assert con.execute("SELECT * FROM main.audit ORDER BY pk").fetchall() == rows
        finally:
            con.close()
    finally:
        srv.cleanup()


@test
def a_schema_set_back_by_hand_migrates_again_and_keeps_its_log():
    """bench/run.sh sets user_version back to 25 to have the search keys
    made again; migration 28 then finds the log in the audit file already."""
    srv, _ = populated()
    try:
        con = audit_db(srv.db)
        try:
            rows = con.execute(ROWS).fetchall()
        finally:
            con.close()
        con = sqlite3.connect(srv.db, timeout=30)
        try:
            con.execute("PRAGMA user_version=%d" % (migration_version(
                "DROP TABLE IF EXISTS main.audit") - 1))
            con.commit()
        finally:
            con.close()
        migrated_keeps(srv, rows)
    finally:
        srv.cleanup()


@test
def a_database_without_its_audit_file_is_refused():
    srv, _ = populated()
    try:
        away = srv.db + ".away"
        os.rename(audit_file(srv.db), away)
        rc, out = verify(srv)
        assert rc != 0 and "audit_log_missing" in out and "cannot open the database" in out, out
        assert not os.path.exists(audit_file(srv.db)), "an empty log was made in its place"
        try:
            srv.start()
            raise AssertionError("a server started without the audit log")
        except RuntimeError as e:
            assert "audit_log_missing" in str(e), e
        assert not os.path.exists(audit_file(srv.db))
        os.rename(away, audit_file(srv.db))
        rc, out = verify(srv)
        assert rc == 0 and "intact" in out, out
        srv.start()
        srv.stop()
    finally:
        srv.cleanup()


@test
def reads_write_the_audit_file_and_leave_the_main_file_alone():
    srv = Server()
    srv.start()
    srv.setup_fixtures()
    try:
        tok = srv.make_user(["registration"], ["EG-CAI"])[1]
        st, _, case = srv.request("POST", "/api/v1/cases", case_body(), token=tok)
        assert st == 201, (st, case)
        path = "/api/v1/cases/" + case["id"]
        assert srv.request("GET", path, token=tok)[0] == 200
        time.sleep(0.5)  # the registration's and sign-in's records are written
        # PRAGMA data_version changes when another connection has committed
        watch = {"main": sqlite3.connect(srv.db, isolation_level=None),
                 "audit": sqlite3.connect(audit_file(srv.db), isolation_level=None)}
        seen = {k: [c.execute("PRAGMA data_version").fetchone()[0]] for k, c in watch.items()}
        stop = threading.Event()
        statuses = []

        def reads():
            while not stop.is_set():
                statuses.append(srv.request("GET", path, token=tok)[0])

        t = threading.Thread(target=reads)
        t.start()
        end = time.time() + 1.5
        while time.time() < end:
            time.sleep(0.02)
            for k, c in watch.items():
                seen[k].append(c.execute("PRAGMA data_version").fetchone()[0])
        stop.set()
        t.join()
        for c in watch.values():
            c.close()
        commits = {k: sum(1 for a, b in zip(v, v[1:]) if a != b) for k, v in seen.items()}
        assert len(statuses) > 50 and set(statuses) == {200}, (len(statuses), set(statuses))
        # a window of records every 100 ms at most; the main file only for
        # the session's note of use (at most once a second)
        assert commits["audit"] >= 5, commits
        assert commits["main"] <= 2, commits
    finally:
        srv.cleanup()


@test
def lists_of_the_log_from_many_connections_at_once_all_answer():
    """The log is read on one connection, taken in turn (conn.c,
    store_audit_reader_take): lists asked at once each get their page."""
    srv, case_id = populated()
    try:
        srv.start()
        admin = srv.token()
        want = srv.request("GET", "/api/v1/audit?case=%s&limit=50" % case_id, token=admin)
        assert want[0] == 200 and len(want[2]["items"]) == 5, want
        by_case, newest, errors = [], [], []

        def lists():
            try:
                for _ in range(10):
                    st, _, page = srv.request("GET", "/api/v1/audit?case=%s&limit=50" % case_id,
                                              token=admin)
                    by_case.append((st, [i["id"] for i in page["items"]]))
                    st, _, page = srv.request("GET", "/api/v1/audit?limit=5", token=admin)
                    newest.append((st, len(page["items"])))
            except Exception as e:  # noqa: BLE001 - reported below, not swallowed
                errors.append(repr(e))

        threads = [threading.Thread(target=lists) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert len(by_case) == 80 and len(newest) == 80, (len(by_case), len(newest))
        ids = [i["id"] for i in want[2]["items"]]
        assert all(g == (200, ids) for g in by_case), by_case[:4]
        assert all(g == (200, 5) for g in newest), newest[:4]
        srv.stop()
        rc, out = verify(srv)
        assert rc == 0 and "intact" in out, out
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
