"""An import running when the server stops (src/app/import_jobs.c,
app_imports_stop): the server waits for the batch being written, records
the import as stopped (status failed, the reason in words), exits cleanly
— no import thread left touching a closed store, no sanitizer report —
and what was written stays: importing the file again goes on from there
and creates each person once."""
import json
import sqlite3
import time

from harness import test, Server, main
from test_import import MAPPING, household, multipart, rows_csv, tags


def _start(srv, tok, data):
    ct, body = multipart({"mapping": json.dumps(MAPPING), "mode": "valid_rows"},
                         {"file": ("many.csv", data)})
    st, h, d = srv.request("POST", "/api/v1/imports", raw=body,
                           headers={"Content-Type": ct}, token=tok, timeout=120)
    assert st == 202, (st, d)
    return h["Location"]


def _persons(srv):
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM persons").fetchone()[0]
    finally:
        db.close()


@test
def a_stop_during_an_import_keeps_what_was_written_and_the_file_goes_on():
    srv = Server(threads=2).start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        tok = srv.make_user(["registration"], ["EG-CAI"])[1]
        rows = []
        for t in tags(4000):  # households of one: batches of 1,000, 2,000 and 1,000
            rows.extend(household(t, n=1))
        data = rows_csv(rows)
        before = _persons(srv)
        loc = _start(srv, tok, data)
        # wait until the first batch is written, then stop the server
        end = time.time() + 300
        while True:
            st, _, d = srv.request("GET", loc, token=tok)
            assert st == 200, (st, d)
            assert d["status"] not in ("done", "failed", "refused"), \
                "the import ended before the stop: %r" % d
            if d.get("rows_done", 0) > 0:
                break
            assert time.time() < end, d
            time.sleep(0.05)
        srv.stop(timeout=120)  # raises on a non-zero exit or a sanitizer report
        srv.start()
        st, _, d = srv.request("GET", loc, token=tok)
        assert st == 200, (st, d)
        assert d["status"] == "failed", d
        assert "server stopped during the import" in json.dumps(d), d
        written = _persons(srv) - before
        assert 0 < written < 4000, written
        # the same file again: the rest, each person once
        loc2 = _start(srv, tok, data)
        end = time.time() + 600
        while True:
            st, _, d2 = srv.request("GET", loc2, token=tok)
            if d2["status"] in ("done", "failed", "refused"):
                break
            assert time.time() < end, d2
            time.sleep(0.2)
        assert d2["status"] == "done", d2
        assert _persons(srv) - before == 4000
    finally:
        srv.stop(timeout=120)
        srv.cleanup()


if __name__ == "__main__":
    main()
