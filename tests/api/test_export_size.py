"""Exports of any size are whole or refused, never cut short: a CSV of more
than 200,000 rows (the old silent cap) holds every row and says how many
(X-Export-Rows); an export over the limit of the setting export_max_rows
(lowered here) is a 422 export-too-large problem that names the limit and
how to narrow it — by office, stage or registration dates — for CSV and
XLSX alike, and the narrowed export is whole."""
import csv
import datetime
import io
import socket
import sqlite3
import uuid

from harness import Server, case_body, person, test, main, assert_problem

BIG = 200_010  # rows: more than the 200,000 an export used to stop at


def _rows(data):
    assert data.startswith("\ufeff"), data[:40]
    return list(csv.reader(io.StringIO(data[1:])))


@test
def an_export_over_the_limit_is_refused_whole_and_names_how_to_narrow_it():
    srv = Server(env={"AWDA_EXPORT_MAX_ROWS": "5"})
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        srv.ensure_office("DZ-TAM", "Tamanrasset", "DZA")
        for office in ("EG-CAI", "DZ-TAM"):
            members = [{"relationship": "principal", "person": person()},
                       {"relationship": "spouse", "person": person(sex="female")},
                       {"relationship": "child", "person": person(date_of_birth="2015-01-01")}]
            st, _, c = srv.request("POST", "/api/v1/cases", case_body(office=office,
                                                                       members=members),
                                   token=srv.admin())
            assert st == 201, c
        for fmt in ("csv", "xlsx"):
            r = srv.request("GET", "/api/v1/exports/cases." + fmt, token=srv.admin())
            p = assert_problem(r, 422, "export-too-large")
            assert p["limit"] == 5 and p["rows"] == 6, p
            for words in ("6 rows", "5", "office", "stage", "registered_from", "registered_to"):
                assert words in p["detail"], (words, p["detail"])
        # Narrowed to one office: whole, and it says how many rows.
        st, h, data = srv.request("GET", "/api/v1/exports/cases.csv?office=EG-CAI",
                                  token=srv.admin())
        assert st == 200, data
        assert h["X-Export-Rows"] == "3" and len(_rows(data)) == 2 + 3, (h, data)
        # Narrowed by registration dates: nothing registered before today.
        today = datetime.date.today()
        st, h, data = srv.request(
            "GET", "/api/v1/exports/cases.csv?registered_to=%s" % (today - datetime.timedelta(1)),
            token=srv.admin())
        assert st == 200 and h["X-Export-Rows"] == "0" and len(_rows(data)) == 2, (h, data)
        st, h, data = srv.request(
            "GET", "/api/v1/exports/cases.csv?registered_from=%s&registered_to=%s&stage=registered"
            "&office=DZ-TAM" % (today, today), token=srv.admin())
        assert st == 200 and h["X-Export-Rows"] == "3", (h, data)
        assert_problem(srv.request("GET", "/api/v1/exports/cases.csv?registered_from=31-01-2026",
                                   token=srv.admin()), 400, "bad-request", ["registered_from"])
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


@test
def a_csv_of_more_than_200000_rows_holds_every_row():
    srv = Server()
    try:
        srv.start()
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(), token=srv.admin())
        assert st == 201, c
        srv.stop()
        # Households of 50 written straight into the database (the API
        # would take minutes), shaped as the server writes them.
        db = sqlite3.connect(srv.db)
        try:
            case_cols = [r[1] for r in db.execute("PRAGMA table_info(cases)")]
            keep = [k for k in case_cols if k not in ("pk", "id", "number")]
            person_cols = ["id", "name", "name_latin", "sex", "date_of_birth", "dob_precision",
                           "nationality", "created_at", "updated_at"]
            total = 1
            n = 0
            while total < BIG:
                n += 1
                db.execute("INSERT INTO cases(id,number,%s) SELECT ?,?,%s FROM cases WHERE id=?"
                           % (",".join(keep), ",".join(keep)),
                           (str(uuid.uuid4()), "EG-CAI-2020-%06d" % n, c["id"]))
                case_pk = db.execute("SELECT last_insert_rowid()").fetchone()[0]
                size = min(50, BIG - total)
                for i in range(size):
                    db.execute("INSERT INTO persons(%s) VALUES(?,?,?,?,?,?,?,?,?)"
                               % ",".join(person_cols),
                               (str(uuid.uuid4()), "Bulk Person %d" % total,
                                "Bulk Person %d" % total, "female", "1990", "year", "SDN",
                                1700000000000, 1700000000000))
                    db.execute("INSERT INTO case_members(case_pk,person_pk,relationship,position)"
                               " VALUES(?,last_insert_rowid(),?,?)",
                               (case_pk, "principal" if i == 0 else "other_relative", i))
                    total += 1
            db.commit()
        finally:
            db.close()
        srv.start()
        st, h, data = srv.request("GET", "/api/v1/exports/cases.csv", token=srv.admin(),
                                  timeout=600)
        assert st == 200, data if isinstance(data, dict) else data[:300]
        rows = _rows(data)
        assert len(rows) == 2 + BIG, "%d data rows, %d expected" % (len(rows) - 2, BIG)
        assert h["X-Export-Rows"] == str(BIG), h["X-Export-Rows"]
        number = rows[0].index("case number")
        assert rows[2][number] == c["number"] and rows[-1][number] == "EG-CAI-2020-%06d" % n
        # Clients that go away midway leave nothing held: more of them
        # than exports may run at once, and the next export is whole.
        for _ in range(6):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
            s.sendall(("GET /api/v1/exports/cases.csv HTTP/1.1\r\nHost: x\r\n"
                       "Authorization: Bearer %s\r\n\r\n" % srv.admin()).encode())
            got = b""
            while len(got) < 200_000:
                chunk = s.recv(65536)
                assert chunk, "the export ended early: %r" % got[:300]
                got += chunk
            assert got.startswith(b"HTTP/1.1 200"), got[:300]
            s.close()
        st, h, data = srv.request("GET", "/api/v1/exports/cases.csv?registered_from=2000-01-01",
                                  token=srv.admin(), timeout=600)
        assert st == 200 and len(_rows(data)) == 2 + BIG, st
    finally:
        if srv.alive():
            srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
