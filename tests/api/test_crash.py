"""Crash safety: every acknowledged write survives kill -9.

Four client threads create cases as fast as they can for about three
seconds, each remembering the ids whose 201 response arrived in full; the
server is then killed with SIGKILL while requests are in flight, restarted
on the same database, and every acknowledged case must read back. Finally
the database passes SQLite's integrity check.
"""
import http.client
import json
import os
import sqlite3
import threading
import time

from harness import test, Server, case_body, main

THREADS = 4
SECONDS = 3.0


def writer(srv, token, stop, acked, errors, lock):
    conn = None
    while not stop.is_set():
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", srv.port,
                                                  timeout=10)
            body = json.dumps(case_body()).encode("utf-8")
            conn.request("POST", "/api/v1/cases", body=body, headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer " + token})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status == 201:
                c = json.loads(data.decode("utf-8"))   # fully received
                with lock:
                    acked.append((c["id"], c["number"]))
            else:
                with lock:
                    errors.append((resp.status, data[:200]))
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException, ValueError):
            # the server was killed under us (or dropped the connection)
            if conn is not None:
                conn.close()
            conn = None
            if stop.is_set():
                break
            time.sleep(0.01)
    if conn is not None:
        conn.close()


@test
def acknowledged_cases_survive_kill_9():
    srv = Server(threads=2).start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY", "Cairo, Egypt")
        token = srv.admin()
        stop = threading.Event()
        acked, errors, lock = [], [], threading.Lock()
        threads = [threading.Thread(target=writer,
                                    args=(srv, token, stop, acked, errors,
                                          lock)) for _ in range(THREADS)]
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        srv.kill()                       # SIGKILL with requests in flight
        stop.set()
        for t in threads:
            t.join(15)
        assert not any(t.is_alive() for t in threads), "writer hung"
        with lock:
            acked = list(acked)
            errs = list(errors)
        assert not errs, "non-201 responses before the kill: %r" % errs[:5]
        assert len(acked) >= 20, "only %d cases acknowledged in %.0fs" % (
            len(acked), SECONDS)
        assert len({a[0] for a in acked}) == len(acked), "duplicate ids"
        assert len({a[1] for a in acked}) == len(acked), "duplicate numbers"

        srv.start()                      # same database, new process
        token = srv.admin()
        missing = []
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        for cid, number in acked:
            conn.request("GET", "/api/v1/cases/" + cid,
                         headers={"Authorization": "Bearer " + token})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                missing.append((cid, resp.status))
            else:
                c = json.loads(data.decode("utf-8"))
                if c["number"] != number or c["version"] != 1:
                    missing.append((cid, "changed: %r" % c))
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", srv.port,
                                                  timeout=10)
        conn.close()
        assert not missing, "%d of %d acknowledged cases lost, e.g. %r" % (
            len(missing), len(acked), missing[:5])

        # the restarted server still takes writes
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(),
                               token=token)
        assert st == 201, (st, c)
        srv.stop()                       # SIGTERM → exit 0

        db = sqlite3.connect(srv.db)
        try:
            res = db.execute("PRAGMA integrity_check").fetchall()
            assert res == [("ok",)], "integrity_check: %r" % res
            n = db.execute("SELECT count(*) FROM cases").fetchone()[0]
            assert n >= len(acked) + 1, (n, len(acked))
        finally:
            db.close()
        print("      (%d cases acknowledged before kill -9, all present)"
              % len(acked))
    finally:
        srv.cleanup()


@test
def sigterm_exits_cleanly_and_data_persists():
    srv = Server().start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        st, _, c = srv.request("POST", "/api/v1/cases", case_body(),
                               token=srv.admin())
        assert st == 201, (st, c)
        srv.stop()
        srv.start()
        st, _, g = srv.request("GET", "/api/v1/cases/" + c["id"],
                               token=srv.admin())
        assert st == 200, (st, g)
        assert g == c
        srv.stop()
        assert os.path.exists(srv.db)
    finally:
        srv.cleanup()


@test
def idempotent_retry_after_restart_creates_nothing():
    """A client whose connection broke retries after the server came back:
    the retry must not register the household a second time."""
    srv = Server().start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY")
        body = case_body()
        hdr = {"Idempotency-Key": "retry-after-crash-1"}
        st, _, c = srv.request("POST", "/api/v1/cases", body,
                               token=srv.admin(), headers=hdr)
        assert st == 201, (st, c)
        srv.kill()
        srv.start()
        st, _, c2 = srv.request("POST", "/api/v1/cases", body,
                                token=srv.admin(), headers=hdr)
        assert st == 201, (st, c2)
        assert c2["id"] == c["id"], "the retry created a second case"
        st, _, lst = srv.request("GET", "/api/v1/cases", token=srv.admin())
        assert len(lst["items"]) == 1, len(lst["items"])
        srv.stop()
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
