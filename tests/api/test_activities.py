"""Activities (src/app/activities.c): psychosocial sessions, trainings,
awareness campaigns, community events, workshops — date, place, project
and budget line, facilitators, linked returnees and others counted by
sex and age group, and a cost committed on the budget line in the ledger
in the same transaction (refused with the numbers past what the line has
left; another currency needs its rate); every field checked; the scope by
office.

Projects and budget lines are made through the money routes; the ledger
is read straight from the server's database to see which activity each
entry is charged to."""
import json
import sqlite3
import subprocess
import time
import uuid

from harness import test, shared, assert_problem, main
from journey_util import day
from test_survey import follow_staff, new_case

A = "/api/v1/activities"


def budget_line(amount_minor=100000, currency="USD"):
    """A project in currency with one budget line of amount_minor, made
    through the money routes: the (project id, line id, line pk)."""
    srv = shared()
    code = "T-" + str(uuid.uuid4())[:8].upper()
    st, _, p = srv.request("POST", "/api/v1/projects", {
        "code": code, "name": "Psychosocial support " + code,
        "donor": "Switzerland", "currency": currency,
        "starts_on": day(-100), "ends_on": day(265),
        "budget_lines": [{"code": "2.1", "name": "Psychosocial activities",
                          "amount_minor": amount_minor}]},
        token=srv.admin())
    assert st == 201, (st, p)
    lid = p["budget_lines"][0]["id"]
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        lpk = db.execute("SELECT pk FROM budget_lines WHERE id=?",
                         (lid,)).fetchone()[0]
    finally:
        db.close()
    return p["id"], lid, lpk


def budget_view(pid):
    """The line's figures in the project's budget view (money's route)."""
    srv = shared()
    fin = getattr(srv, "_follow_finance", None)
    if fin is None:
        fin = srv._follow_finance = srv.make_user(["finance"], ["EG-CAI"])[1]
    st, _, d = srv.request("GET", "/api/v1/projects/%s/budget" % pid,
                           token=fin)
    assert st == 200, (st, d)
    return d["lines"][0]


def ledger_of(line_pk):
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        rows = db.execute(
            "SELECT l.kind, l.amount_minor, a.id FROM ledger l LEFT JOIN "
            "activities a ON a.pk=l.activity_pk WHERE l.budget_line_pk=? "
            "ORDER BY l.pk", (line_pk,)).fetchall()
        tot = db.execute("SELECT committed_minor FROM budget_line_totals "
                         "WHERE budget_line_pk=?", (line_pk,)).fetchone()
        return rows, (tot[0] if tot else 0)
    finally:
        db.close()


def activity(line=None, **over):
    b = {"kind": "psychosocial_group", "title": "Group session for returnees",
         "held_on": day(-2), "office": "EG-CAI", "country": "MLI",
         "admin_area": "Kayes", "pcode": "ML01",
         "facilitators": ["Dr Fatoumata Diallo", "Moussa Keita"],
         "counts": [{"sex": "female", "age_group": "18-59", "count": 12},
                    {"sex": "male", "age_group": "18-59", "count": 9},
                    {"sex": "female", "age_group": "12-17", "count": 4}]}
    if line:
        b["budget_line"] = line
    b.update(over)
    return b


def post(b, tok=None, expect=201):
    r = shared().request("POST", A, b, token=tok or follow_staff()[0])
    if expect is not None:
        assert r[0] == expect, (r[0], r[2])
    return r


@test
def test_activity_with_counts_and_cost_in_the_ledger():
    pid, lid, lpk = budget_line(100000, "USD")
    c1, c2 = new_case(), new_case()
    returnees = [c1["members"][0]["person_id"], c2["members"][0]["person_id"]]
    _, h, d = post(activity(lid, participants=returnees,
                            cost={"amount_minor": 25000, "currency": "USD"}))
    assert d["project"]["id"] == pid, d  # the line's project
    assert d["budget_line"]["id"] == lid, d
    assert d["cost"] == {"amount_minor": 25000, "currency": "USD"}, d
    assert sorted(p["person_id"] for p in d["participants"]) == \
        sorted(returnees), d
    assert d["totals"] == {"returnees": 2, "others": 25,
                           "participants": 27}, d["totals"]
    assert {"sex": "female", "age_group": "12-17", "count": 4} in \
        d["counts"], d["counts"]
    rows, committed = ledger_of(lpk)
    assert rows == [("commitment", 25000, d["id"])], rows
    assert committed == 25000, committed
    # another currency at its recorded rate: 300000 XOF at 600 XOF per USD
    # = USD 500.00 = 50000 cents
    _, _, d2 = post(activity(lid, cost={"amount_minor": 300000,
                                        "currency": "XOF",
                                        "rate": {"num": 600, "den": 1}}))
    rows, committed = ledger_of(lpk)
    assert rows[-1] == ("commitment", 50000, d2["id"]), rows
    assert committed == 75000, committed
    # past what the line has left: refused with the numbers, nothing kept
    r = post(activity(lid, title="Too costly",
                      cost={"amount_minor": 30000, "currency": "USD"}),
             expect=None)
    p = assert_problem(r, 409)
    text = str(p)
    assert "300.00" in text and "250.00" in text, p
    rows, committed = ledger_of(lpk)
    assert len(rows) == 2 and committed == 75000, rows
    line = budget_view(pid)  # the budget view agrees
    assert line["committed_minor"] == 75000, line
    assert line["remaining_minor"] == 25000, line
    p = subprocess.run([shared().bin, "ledger", "verify", "--db",
                        shared().db], capture_output=True, timeout=60)
    assert p.returncode == 0, (p.stdout, p.stderr)  # totals = the ledger
    st, _, lst = shared().request("GET", A + "?project=" + pid,
                                  token=follow_staff()[0])
    assert st == 200, (st, lst)
    assert sorted(a["id"] for a in lst["items"]) == sorted(
        [d["id"], d2["id"]]), lst
    # read back whole
    st, h, got = shared().request("GET", A + "/" + d["id"],
                                  token=follow_staff()[0])
    assert st == 200 and got["totals"]["participants"] == 27, got


@test
def test_activity_validation():
    pid, lid, lpk = budget_line(100000, "USD")
    other_pid, _, _ = budget_line(100000, "USD")
    for bad, field in [
            (activity(kind="party"), "kind"),
            (activity(title=""), "title"),
            (activity(held_on=day(5)), "held_on"),
            (activity(country="Mali"), "country"),
            (activity(pcode="ml 01"), "pcode"),
            (activity(office="XX-NOPE"), "office"),
            (activity(office="DZ-TAM"), "office"),
            (activity(facilitators="Moussa"), "facilitators"),
            (activity(counts=[{"sex": "other", "age_group": "18-59",
                               "count": 1}]), "counts[0].sex"),
            (activity(counts=[{"sex": "male", "age_group": "adult",
                               "count": 1}]), "counts[0].age_group"),
            (activity(counts=[{"sex": "male", "age_group": "60+",
                               "count": -1}]), "counts[0].count"),
            (activity(counts=[{"sex": "male", "age_group": "60+", "count": 1},
                              {"sex": "male", "age_group": "60+",
                               "count": 2}]), "counts[1]"),
            (activity(participants=[str(uuid.uuid4())]), "participants[0]"),
            (activity(cost={"amount_minor": 100, "currency": "USD"}),
             "budget_line"),
            (activity(lid, cost={"amount_minor": 1.5, "currency": "USD"}),
             "cost.amount_minor"),
            (activity(lid, cost={"amount_minor": 100, "currency": "ABC"}),
             "cost.currency"),
            (activity(lid, cost={"amount_minor": 100, "currency": "EUR"}),
             "cost.rate"),
            (activity(lid, cost={"amount_minor": 100, "currency": "EUR",
                                 "rate": {"num": 0, "den": 1}}),
             "cost.rate"),
            (activity(str(uuid.uuid4())), "budget_line"),
            (activity(lid, project=other_pid), "budget_line"),
            (activity(project=str(uuid.uuid4())), "project")]:
        assert_problem(post(bad, expect=None), 422, fields=field)
    rows, committed = ledger_of(lpk)
    assert rows == [] and committed == 0, rows
    # a person of another office's case is not named (not revealed)
    far = new_case(office="DZ-TAM")
    assert_problem(post(activity(participants=[
        far["members"][0]["person_id"]]), expect=None), 422,
        fields="participants[0]")


@test
def test_activity_scope_by_office():
    _, _, d = post(activity())
    other_me = follow_staff(shared(), "DZ-TAM")[0]
    st, _, got = shared().request("GET", A + "/" + d["id"], token=other_me)
    assert st == 404, (st, got)
    st, _, lst = shared().request("GET", A, token=other_me)
    assert st == 200 and d["id"] not in [a["id"] for a in lst["items"]], lst
    st, _, lst = shared().request("GET", A + "?office=EG-CAI",
                                  token=follow_staff()[0])
    assert d["id"] in [a["id"] for a in lst["items"]], lst
    # the reintegration officer of Bamako records their own office's
    bko = shared().make_user(["reintegration"], ["ML-BKO"])[1]
    post(activity(office="ML-BKO"), tok=bko)
    donor = shared().make_user(["donor"], ["EG-CAI"])[1]
    st, _, _ = shared().request("GET", A, token=donor)
    assert st == 403, st
    reg = follow_staff()[1]
    assert_problem(post(activity(), tok=reg, expect=None), 403)


@test
def test_activity_commands():
    """`awda activity list` reads beside the server (it takes no lock) and
    says a bad parameter."""
    srv = shared()
    _, _, d = post(activity(title="Awareness in Kita", kind="awareness"))
    p = subprocess.run([srv.bin, "activity", "list", "--office", "EG-CAI",
                        "--db", srv.db], capture_output=True, timeout=60)
    assert p.returncode == 0, p
    ids = [a["id"] for a in json.loads(p.stdout)["items"]]
    assert d["id"] in ids, ids
    p = subprocess.run([srv.bin, "activity", "list", "--from", "01-12-2026",
                        "--db", srv.db], capture_output=True, timeout=60)
    assert p.returncode == 1 and b"from" in p.stderr, p


if __name__ == "__main__":
    main()
