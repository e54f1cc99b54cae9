#!/usr/bin/env python3
"""ledger_bench.py — the figures of issue 12 for the ledger (bench/RESULTS.md,
"Issue 12, the ledger"). Run from the repository root after `make build`:

    python3 bench/ledger_bench.py [ENTRIES]        # default 1,000,000

1. A project of 10 budget lines whose ledger holds ENTRIES entries
   (commitments, disbursements, releases, reversals of disbursements),
   written straight into a fresh database, with budget_line_totals made by
   the same SQL the reconciliation uses; then `awda ledger verify` (time).
2. The server (build/awda, 2 threads) answers the project's budget view
   (GET /api/v1/projects/{id}/budget) 300 times: client-side latency
   p50/p95/max (the target: ≤ 50 ms over 1,000,000 entries).
3. 1,000 disbursement requests released at once by a barrier (one thread
   each, as tests/api/test_ledger_concurrency.py): 500 tranches of plan
   items each asked twice, 500 payments to a case from a line holding half
   of them; the throughput, the outcome (each tranche paid once, the line
   never overdrawn) and `awda ledger verify` afterwards.
The database lives in a temporary directory, removed at the end."""
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
os.environ.setdefault("AWDA_BIN", os.path.join(HERE, "..", "build", "awda"))

from harness import Server, create_case  # noqa: E402
import test_money as tm  # noqa: E402
import test_ledger_concurrency as tc  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
LINES = 10


def fill(db_path, n):
    """ENTRIES entries on the 10 lines of project BENCH, straight into the
    database (the server is not running)."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    pk = db.execute("SELECT pk FROM projects WHERE code='BENCH'").fetchone()[0]
    lines = [r[0] for r in db.execute(
        "SELECT pk FROM budget_lines WHERE project_pk=? ORDER BY code", (pk,))]
    t0 = time.time()
    rows, k = [], 0
    base = db.execute("SELECT coalesce(max(pk),0) FROM ledger").fetchone()[0]
    # per line, blocks of 4: commitment 10.00, disbursement 6.00,
    # release 4.00, then the disbursement reversed every tenth block
    while k < n:
        line = lines[(k // 4) % LINES]
        block = k // 4
        kinds = [("commitment", 1000, None), ("disbursement", 600, None),
                 ("release", 400, None)]
        if block % 10 == 0:
            kinds.append(("reversal", 600, base + k + 2))
        else:
            kinds.append(("commitment", 100, None))
        for kind, amount, rev in kinds:
            if k >= n:
                break
            rows.append((base + k + 1, str(uuid.uuid4()), line, kind, amount,
                         rev, 1797744600000 + k))
            k += 1
        if len(rows) >= 50000:
            db.executemany("INSERT INTO ledger(pk,id,budget_line_pk,kind,"
                           "amount_minor,reverses_pk,created_at) VALUES(?,?,?,?,?,?,?)",
                           rows)
            rows = []
    if rows:
        db.executemany("INSERT INTO ledger(pk,id,budget_line_pk,kind,amount_minor,"
                       "reverses_pk,created_at) VALUES(?,?,?,?,?,?,?)", rows)
    db.execute("DELETE FROM budget_line_totals")
    db.execute("""INSERT INTO budget_line_totals SELECT e.budget_line_pk,
        sum(CASE e.kind WHEN 'commitment' THEN e.amount_minor WHEN 'release' THEN
        -e.amount_minor WHEN 'reversal' THEN CASE o.kind WHEN 'commitment' THEN
        -e.amount_minor WHEN 'release' THEN e.amount_minor ELSE 0 END ELSE 0 END),
        sum(CASE e.kind WHEN 'disbursement' THEN e.amount_minor WHEN 'reversal' THEN
        CASE o.kind WHEN 'disbursement' THEN -e.amount_minor ELSE 0 END ELSE 0 END),
        count(*) FROM ledger e LEFT JOIN ledger o ON o.pk=e.reverses_pk
        GROUP BY e.budget_line_pk""")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.time() - t0


def verify(srv):
    t = time.time()
    rc, out = tm.verify(srv)
    return rc, time.time() - t, out.strip().splitlines()[-1]


def main():
    srv = Server(threads=2).start()
    try:
        srv.setup_fixtures()
        proj = tm.project(srv=srv, code="BENCH", name="Bench project",
                          lines=[("%02d" % i, "Line %d" % i, 10 ** 10)
                                 for i in range(LINES)])
        srv.stop()
        secs = fill(srv.db, N)
        print("ledger: %d entries written in %.1f s" % (N, secs))
        rc, secs, line = verify(srv)
        print("awda ledger verify over %d entries: exit %d in %.2f s (%s)"
              % (N, rc, secs, line))
        srv.start()
        tok = tm.finance(srv)
        path = "/api/v1/projects/%s/budget" % proj["id"]
        times = []
        for _ in range(300):
            t = time.perf_counter()
            st, h, d = srv.request("GET", path, token=tok)
            times.append((time.perf_counter() - t) * 1000)
            assert st == 200, (st, d)
        assert d["totals"]["entries"] == N, d["totals"]
        times.sort()
        print("budget view over %d entries, 300 requests: p50 %.1f ms, p95 %.1f ms, "
              "max %.1f ms" % (N, statistics.median(times), times[284], times[-1]))

        # 1,000 disbursements at once
        proj2 = tm.project(srv=srv, lines=(("A", "Grants", 10 ** 6),
                                           ("B", "Cash", 250 * 1000)))
        la, lb = tm.line_id(proj2, "A"), tm.line_id(proj2, "B")
        c = create_case(server=srv)
        items = tm.plan_items(srv, c, la, [5000] * 50)
        for it in items:
            tm.commit(la, 5000, srv=srv, plan_item=it)
        jobs = [("/api/v1/budget-lines/%s/disbursements" % la,
                 tm.pay_body(1000, plan_item=it, tranche=t))
                for it in items for t in range(1, 6) for _ in range(2)]
        jobs += [("/api/v1/budget-lines/%s/disbursements" % lb,
                  tm.pay_body(1000, case=c["id"])) for _ in range(500)]
        jobs = jobs[0::2] + jobs[1::2]
        out, secs = tc.run_concurrent(srv, jobs)
        paid = sum(1 for s, _ in out if s == 201)
        refused = sum(1 for s, _ in out if s == 409)
        print("1,000 disbursements at once: %.2f s, %.0f requests/s; %d paid, %d refused, "
              "%d other" % (secs, len(jobs) / secs, paid, refused,
                            len(jobs) - paid - refused))
        v = tm.budget(proj2, srv)
        print("  line A disbursed %d (expected 250000), line B disbursed %d of %d"
              % (tm.the_line(v, "A")["disbursed_minor"],
                 tm.the_line(v, "B")["disbursed_minor"],
                 tm.the_line(v, "B")["budget_minor"]))
        rc, secs, line = verify(srv)
        print("awda ledger verify afterwards: exit %d in %.2f s (%s)" % (rc, secs, line))
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
