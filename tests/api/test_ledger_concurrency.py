"""The ledger under 1,000 disbursement requests at the same moment
(src/app/ledger.c, src/store/ledger.c): threads against the real server.

Half of the requests pay tranches of plan items, each (item, tranche)
asked twice at once: exactly one of the two is paid, the other refused.
The other half pay a case from a budget line that holds only half of what
is asked: exactly as many are paid as the line can hold, never one more.
Afterwards the kept totals equal the sums of the ledger, no tranche has
two live payments, and `awda ledger verify` passes. The throughput reached
is printed (bench/RESULTS.md, "Issue 12, the ledger")."""
import os
import sqlite3
import threading
import time

from harness import test, Server, create_case, rand_letters, main
import test_money as tm

ITEMS, TRANCHES, AMOUNT = 50, 5, 1000          # 250 tranches, asked twice
CASE_REQUESTS = 500                            # line B holds half of them


def run_concurrent(srv, jobs):
    """Runs every (path, body) at once (one thread each, released by a
    barrier); returns the statuses in order and the seconds taken."""
    out = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs) + 1)
    tok = tm.finance(srv)

    def one(i, path, body):
        barrier.wait()
        for attempt in range(50):
            try:
                st, h, d = srv.request("POST", path, body, token=tok,
                                       timeout=120)
                out[i] = (st, d)
                return
            except (ConnectionError, OSError):
                time.sleep(0.05 * (attempt + 1))  # backlog full: try again
        out[i] = (None, "never connected")

    threads = [threading.Thread(target=one, args=(i, p, b), daemon=True)
               for i, (p, b) in enumerate(jobs)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.time()
    for t in threads:
        t.join()
    return out, time.time() - t0


@test
def test_ledger_1000_concurrent_disbursements():
    srv = Server(threads=4).start()
    try:
        srv.setup_fixtures()
        proj = tm.project(srv=srv, lines=(("A", "Grants", 10 ** 6),
                                          ("B", "Cash", CASE_REQUESTS // 2 * AMOUNT)))
        la, lb = tm.line_id(proj, "A"), tm.line_id(proj, "B")
        c = create_case(server=srv)
        items = tm.plan_items(srv, c, la, [TRANCHES * AMOUNT] * ITEMS)
        for it in items:
            tm.commit(la, TRANCHES * AMOUNT, srv=srv, plan_item=it)
        jobs = []
        for it in items:
            for t in range(1, TRANCHES + 1):
                for _ in range(2):
                    jobs.append(("/api/v1/budget-lines/%s/disbursements" % la,
                                 tm.pay_body(AMOUNT, plan_item=it, tranche=t)))
        for _ in range(CASE_REQUESTS):
            jobs.append(("/api/v1/budget-lines/%s/disbursements" % lb,
                         tm.pay_body(AMOUNT, case=c["id"])))
        # interleave the two kinds, so that they race each other too
        jobs = jobs[0::2] + jobs[1::2]
        assert len(jobs) == 1000
        out, secs = run_concurrent(srv, jobs)
        statuses = [s for s, _ in out]
        assert set(statuses) <= {201, 409}, [o for o in out if o[0] not in (201, 409)][:3]
        paid_a = sum(1 for (p, _), (s, _) in zip(jobs, out) if la in p and s == 201)
        paid_b = sum(1 for (p, _), (s, _) in zip(jobs, out) if lb in p and s == 201)
        assert paid_a == ITEMS * TRANCHES, paid_a
        assert paid_b == CASE_REQUESTS // 2, paid_b
        for (p, _), (s, d) in zip(jobs, out):
            if s == 409 and lb in p:
                assert d["detail"] == ("USD 10.00 asked, USD 0.00 left on "
                                       "line B"), d
        print("      %d requests in %.2fs: %.0f requests/s, %d paid"
              % (len(jobs), secs, len(jobs) / secs, paid_a + paid_b))
        # every tranche paid once, the totals equal the ledger's sums
        db = sqlite3.connect(srv.db, timeout=30)
        twice = db.execute(
            "SELECT plan_item_pk,tranche,count(*) FROM ledger WHERE "
            "kind='disbursement' AND plan_item_pk IS NOT NULL GROUP BY 1,2 "
            "HAVING count(*)<>1").fetchall()
        assert twice == [], twice
        db.close()
        v = tm.budget(proj, srv)
        a, b = tm.the_line(v, "A"), tm.the_line(v, "B")
        assert a["disbursed_minor"] == ITEMS * TRANCHES * AMOUNT
        assert a["committed_minor"] == ITEMS * TRANCHES * AMOUNT
        assert b["disbursed_minor"] == b["committed_minor"] == b["budget_minor"]
        assert b["remaining_minor"] == 0
        rc, text = tm.verify(srv)
        assert rc == 0, text
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
