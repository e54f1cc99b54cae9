"""A registration waits for its commit without holding a thread.

POST /api/v1/cases is answered only once the case is on disk, but while
its commit waits the connection is suspended and the request thread
serves others: one commit then acknowledges more registrations than the
server has threads. The server runs with 2 threads; 40 clients register
at once, and /metrics (awda_write_batch_max: the most writes one commit
acknowledged together) must exceed 2 — with registrations that block
their thread until the commit, it never can. Stopping the server while
registrations are under way still finishes them: every 201 reads back.
"""
import http.client
import json
import threading
import time

from harness import test, Server, case_body, main

THREADS = 2
CLIENTS = 40


def register_all(srv, token, n, key_prefix=None, gate=None):
    """n clients POST a case at the same moment (once gate, a barrier of n
    or more, opens); returns [(status, data)] (status None when the
    connection failed)."""
    gate = gate or threading.Barrier(n)
    out, lock = [], threading.Lock()

    def one(i):
        headers = {"Content-Type": "application/json",
                   "Authorization": "Bearer " + token}
        if key_prefix:
            headers["Idempotency-Key"] = "%s-%d" % (key_prefix, i)
        body = json.dumps(case_body()).encode("utf-8")
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        try:
            gate.wait(10)
            conn.request("POST", "/api/v1/cases", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            r = (resp.status, json.loads(data.decode("utf-8")) if data else None)
        except (OSError, http.client.HTTPException, ValueError,
                threading.BrokenBarrierError):
            r = (None, None)
        finally:
            conn.close()
        with lock:
            out.append(r)

    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert not any(t.is_alive() for t in ts), "a registration hung"
    return out


def batch_max(srv):
    st, _, text = srv.request("GET", "/metrics")
    assert st == 200, st
    for line in text.splitlines():
        if line.startswith("awda_write_batch_max "):
            return int(line.split()[1])
    raise AssertionError("no awda_write_batch_max in /metrics")


@test
def one_commit_acknowledges_more_registrations_than_threads():
    srv = Server(threads=THREADS).start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY", "Cairo, Egypt")
        token = srv.admin()
        ids = []
        for attempt in range(3):   # the burst is timing; three tries
            res = register_all(srv, token, CLIENTS, "burst%d" % attempt)
            bad = [r for r in res if r[0] != 201]
            assert not bad, "registrations not acknowledged: %r" % bad[:3]
            ids += [d["id"] for _, d in res]
            if batch_max(srv) > THREADS:
                break
        assert len(set(ids)) == len(ids), "a case id was given twice"
        most = batch_max(srv)
        assert most > THREADS, (
            "one commit acknowledged at most %d registrations with %d "
            "threads: each registration held its thread" % (most, THREADS))
        for cid in ids[:5]:
            st, _, c = srv.request("GET", "/api/v1/cases/" + cid, token=token)
            assert st == 200 and c["id"] == cid, (st, c)
        # every call is still audited, answered from the writer's completion
        posts = []
        for _ in range(100):
            st, _, data = srv.request(
                "GET", "/api/v1/audit?user=%s&limit=200" % srv.admin_user,
                token=token)
            assert st == 200, (st, data)
            posts = [i for i in data["items"] if i["method"] == "POST"
                     and i["route"] == "/api/v1/cases" and i["status"] == 201]
            if len(posts) >= len(ids):
                break
            time.sleep(0.05)
        assert len(posts) == len(ids), (len(posts), len(ids))
    finally:
        srv.stop()
        srv.cleanup()


@test
def stopping_finishes_the_registrations_under_way():
    srv = Server(threads=THREADS).start()
    try:
        srv.ensure_office("EG-CAI", "Cairo", "EGY", "Cairo, Egypt")
        token = srv.admin()
        res = []
        gate = threading.Barrier(CLIENTS + 1)
        t = threading.Thread(target=lambda: res.extend(
            register_all(srv, token, CLIENTS, gate=gate)))
        t.start()
        gate.wait(10)               # the clients are sending now
        time.sleep(0.01)
        srv.stop()                  # SIGTERM: must exit 0, no sanitizer report
        t.join(60)
        acked = [d["id"] for st, d in res if st == 201]
        odd = [st for st, _ in res if st not in (201, 503, None)]
        assert not odd, "unexpected answers while stopping: %r" % odd
        srv.start()
        for cid in acked:
            st, _, c = srv.request("GET", "/api/v1/cases/" + cid,
                                   token=srv.admin())
            assert st == 200, "acknowledged case %s lost: %s" % (cid, st)
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
