"""The reintegration report of a project (GET /api/v1/projects/{id}/report,
src/app/reintegration_report.c): its figures against a small dataset made
through the routes and counted by hand, the small counts a donor never
sees, the same figures in CSV and XLSX under HXL hashtags, the period, the
parameters, who may ask.

The project and its budget lines are the money room's rows, and it has
no route for them yet: they are written with SQL while the shared server
is stopped (never into a running server's database), then the server is
started again on the same database. Everything else — cases and their
arrival, needs assessments, plans, items and their approval and delivery
(which commit on the ledger), survey responses, an activity — goes
through the routes, as a user would make it.

The dataset (period: the last 60 days), all in Bamako:
  A  a woman (36) and her son (8), arrived 40 days ago; an individual
     plan for her (business start-up on line 1.1, 150,000; counselling
     on line 2.1, 20,000, then delivered), made today: late; own project;
     a baseline and a follow-up survey
  B  a man (36), arrived 40 days ago, no plan: overdue; referral; baseline
  C  a woman (36), arrived 5 days ago, no plan (not yet due); own project
  D  another project's case, arrived 10 days ago: not counted
  E  arrived 90 days ago: before the period
  a community plan (Kayes; 10 girls 0-4 and 7 men 18-59) with community
  support on line 2.1 (50,000), approved; an activity on line 2.1 (cost
  30,000) with A's mother and B linked and 6 women 18-59 counted.
"""
import csv
import datetime
import io
import sqlite3
import time
import uuid
import zipfile

from harness import (test, shared, assert_problem, main, rand_letters, request)
from journey_util import Journey, adult, child, day, dt, utcnow
from plans_util import req, tok, staff, item, approve, patch_item, plan
from test_survey import respond, follow_staff, scores

R = "/api/v1/projects/%s/report"
OFFICE = "ML-BKO"


def _project():
    """A project with two budget lines, written while the server is
    stopped: (id, code, name, [line ids])."""
    srv = shared()
    tag = rand_letters(6).upper()
    pid, lines = str(uuid.uuid4()), [str(uuid.uuid4()), str(uuid.uuid4())]
    srv.stop()
    db = sqlite3.connect(srv.db, timeout=30)
    try:
        with db:
            now = int(time.time() * 1000)
            ppk = db.execute(
                "INSERT INTO projects(id,code,name,donor,currency,starts_on,ends_on,version,"
                "created_at,updated_at) VALUES(?,?,?,?,?,?,?,1,?,?)",
                (pid, "RPT-" + tag, "Report " + tag, "Switzerland", "USD", day(-60), day(60),
                 now, now)).lastrowid
            for lid, code, name, amount in ((lines[0], "1.1", "Economic support", 1000000),
                                            (lines[1], "2.1", "Psychosocial support", 500000)):
                db.execute(
                    "INSERT INTO budget_lines(id,project_pk,code,name,amount_minor,version,"
                    "created_at,updated_at) VALUES(?,?,?,?,?,1,?,?)",
                    (lid, ppk, code, name, amount, now, now))
    finally:
        db.close()
    srv.start()
    return pid, "RPT-" + tag, "Report " + tag, lines


def _arrived(members, days_ago, project):
    j = Journey(members, office=OFFICE, destination="MLI", project=project)
    at = dt(utcnow() - datetime.timedelta(days=days_ago))
    j.req("POST", "/transitions", {"event": "record_arrival", "at": at},
          token=tok("manager"))
    assert j.stage() == "arrived", j.stage()
    return j


def _needs(j, choice):
    st, _, d = req("POST", "/cases/%s/needs-assessments" % j.id,
                   {"assessed_on": day(0), "choice": choice,
                    "project_idea": "a tailoring shop"})
    assert st == 201, (st, d)


def dataset():
    srv = shared()
    if getattr(srv, "_report_data", None):
        return srv._report_data
    staff()
    pid, code, name, (l1, l2) = _project()
    woman = dict(sex="female")
    a = _arrived([adult(**woman), child(age=8, rel="child", flags=(), sex="male")], 40, name)
    b = _arrived([adult(sex="male")], 40, name)
    c = _arrived([adult(**woman)], 5, name)
    _arrived([adult(**woman)], 10, None)
    _arrived([adult(**woman)], 90, name)
    _needs(a, "own_project")
    _needs(b, "referral")
    _needs(c, "own_project")
    p = plan(a)
    item(p["id"], line=l1, budget=150000)
    counsel = item(p["id"], line=l2, budget=20000, type="psychosocial_counselling")
    approve(p["id"])
    patch_item(p["id"], counsel["id"], {"status": "in_progress"})
    patch_item(p["id"], counsel["id"], {"status": "delivered", "evidence": "attendance sheet"})
    com = plan(None, kind="community", title="Village well", country="MLI", admin_area="Kayes",
               beneficiaries=[{"sex": "female", "age_group": "0-4", "count": 10},
                              {"sex": "male", "age_group": "18-59", "count": 7}])
    item(com["id"], line=l2, budget=50000, type="community_support")
    approve(com["id"])
    me = follow_staff(office=OFFICE)[0]
    got = [scores(respond(x.case, round_=r, tok=me)[2])
           for x, r in ((a, "baseline"), (b, "baseline"), (a, "follow_up"))]
    st, _, act = srv.request("POST", "/api/v1/activities", {
        "kind": "psychosocial_group", "title": "Group session", "held_on": day(-2),
        "office": OFFICE, "country": "MLI", "admin_area": "Kayes", "budget_line": l2,
        "participants": [a.case["members"][0]["person_id"], b.case["members"][0]["person_id"]],
        "counts": [{"sex": "female", "age_group": "18-59", "count": 6}],
        "cost": {"amount_minor": 30000, "currency": "USD"}}, token=me)
    assert st == 201, (st, act)
    srv._report_data = dict(id=pid, code=code, name=name, scores=got)
    return srv._report_data


def report(token, query="", pid=None, expect=200, period=None):
    """The report over the last 60 days (or period, a query of its own)."""
    d = dataset()
    q = "?" + (period or "from=%s&to=%s" % (day(-60), day(0))) + query
    st, h, body = request("GET", R % (pid or d["id"]) + q, token=token)
    assert st == expect, (st, body)
    return h, body


def manager():
    return tok("manager")


def cells(lst):
    return {(c["sex"], c["age_group"]): c["count"] for c in lst}


def half_up_mean(values):
    values = [v for v in values if v is not None]
    return (sum(values) * 2 + len(values)) // (2 * len(values)) if values else None


@test
def the_figures_are_those_counted_by_hand():
    _, r = report(manager())
    assert r["scope"] == "project" and r["suppressed_below"] is None, r
    assert r["returns"]["cases"] == 3 and r["returns"]["persons"] == 4, r["returns"]
    assert cells(r["returns"]["by_sex_age"]) == {
        ("female", "18-59"): 2, ("male", "5-11"): 1, ("male", "18-59"): 1}, r["returns"]
    assert r["plans_overdue"] == {"total": 2, "late": 1, "without_plan": 1}, r["plans_overdue"]
    dims = {x["dimension"]: (x["started"], x["completed"])
            for x in r["assistance"]["by_dimension"]}
    assert dims == {"economic": (1, 0), "social": (0, 0), "psychosocial": (2, 1)}, dims
    kinds = {x["kind"]: (x["started"], x["completed"]) for x in r["assistance"]["by_plan_kind"]}
    assert kinds == {"individual": (2, 1), "collective": (0, 0), "community": (1, 0)}, kinds
    assert r["assistance"]["total"] == {"started": 3, "completed": 1}, r["assistance"]
    b = r["beneficiaries"]
    assert cells(b["returnees_in_plans"]) == {("female", "18-59"): 1}, b
    assert cells(b["community"]) == {("female", "0-4"): 10, ("male", "18-59"): 7}, b
    assert cells(b["activity_participants"]) == {("female", "18-59"): 1,
                                                 ("male", "18-59"): 1}, b
    assert cells(b["activity_others"]) == {("female", "18-59"): 6}, b
    # A's mother counted once though a plan and the activity reached her
    assert cells(b["total"]) == {("female", "0-4"): 10, ("female", "18-59"): 7,
                                 ("male", "18-59"): 8}, b
    assert b["activities_held"] == 1, b
    lines = {x["code"]: x for x in r["budget"]["lines"]}
    # approval committed each item's budget; the activity its cost
    assert (lines["1.1"]["budget_minor"], lines["1.1"]["committed_minor"],
            lines["1.1"]["remaining_minor"]) == (1000000, 150000, 850000), lines
    assert (lines["2.1"]["committed_minor"], lines["2.1"]["remaining_minor"]) == \
        (100000, 400000), lines
    assert r["budget"]["total"]["budget_minor"] == 1500000 and \
        r["budget"]["total"]["committed_minor"] == 250000, r["budget"]
    assert r["budget"]["total"]["utilisation_bp"] == 0, r["budget"]
    base, follow = r["sustainability"]["baseline"], r["sustainability"]["follow_up"]
    s = dataset()["scores"]
    assert base["responses"] == 2 and follow["responses"] == 1, r["sustainability"]
    for k in ("economic", "social", "psychosocial", "composite"):
        k += "_bp"
        assert base[k] == half_up_mean([s[0][k], s[1][k]]), (k, base, s)
        assert follow[k] == s[2][k], (k, follow, s)
    assert r["choice"] == {"assessed": 3, "own_project": 2, "proposed_option": 0,
                           "referral": 1, "own_project_share_bp": 6667}, r["choice"]


@test
def the_period_says_what_is_counted():
    # the last 3 days: C arrived; nothing was overdue yet among them
    _, r = report(manager(), period="from=%s&to=%s" % (day(-7), day(0)))
    assert r["period"] == {"from": day(-7), "to": day(0)}, r["period"]
    assert r["returns"]["cases"] == 1 and r["plans_overdue"]["total"] == 0, r
    # a period before everything: budget is as it stands, the rest is zero
    _, r = report(manager(), period="from=2020-01-01&to=2020-12-31")
    assert r["returns"]["cases"] == 0 and r["assistance"]["total"]["started"] == 0, r
    assert r["sustainability"]["baseline"]["composite_bp"] is None, r
    assert r["choice"]["own_project_share_bp"] is None, r
    assert r["budget"]["total"]["committed_minor"] == 250000, r["budget"]
    # without from and to: the project's own period
    st, _, r = request("GET", R % dataset()["code"], token=manager())
    assert st == 200 and r["period"] == {"from": day(-60), "to": day(60)}, (st, r)


@test
def a_donor_never_sees_a_small_count():
    srv = shared()
    _, donor = srv.make_user(["donor"], [OFFICE])
    _, r = report(donor)
    assert r["suppressed_below"] == 5 and r["scope"] == "project", r
    # 3 cases, 4 persons: too few to show at all
    assert r["returns"]["cases"] is None and r["returns"]["persons"] is None, r["returns"]
    assert r["returns"]["by_sex_age"] == [{"sex": None, "age_group": None, "count": None,
                                          "suppressed": True}], r["returns"]
    assert r["plans_overdue"] == {"total": None, "late": None, "without_plan": None}, r
    assert r["assistance"]["total"] == {"started": None, "completed": None}, r
    assert all(x["started"] in (None, 0) for x in r["assistance"]["by_dimension"]), r
    b = r["beneficiaries"]
    assert "returnees_in_plans" not in b and "activity_participants" not in b, b
    # 25 in all, every cell at least 5: shown
    assert cells(b["total"]) == {("female", "0-4"): 10, ("female", "18-59"): 7,
                                 ("male", "18-59"): 8}, b["total"]
    # by channel: 2 returnees hidden; with nothing to pair with, the
    # smallest shown (6 others) joins them; 17 community shown
    assert b["by_channel"] == {"returnees": None, "community": 17, "activity_others": None,
                               "total": 25}, b["by_channel"]
    su = r["sustainability"]
    assert su["baseline"] == {"responses": None, "economic_bp": None, "social_bp": None,
                              "psychosocial_bp": None, "composite_bp": None}, su
    assert r["choice"]["assessed"] is None and r["choice"]["own_project_share_bp"] is None, r
    # money is an aggregate: shown
    assert r["budget"]["total"]["committed_minor"] == 250000, r["budget"]


@test
def csv_and_xlsx_carry_the_same_figures_under_hxl_hashtags():
    d = dataset()
    h, body = report(manager(), "&format=csv")
    assert h.get("content-type", "").startswith("text/csv"), h
    assert 'filename="report-%s-%s-%s.csv"' % (d["code"], day(-60), day(0)) in \
        h.get("content-disposition", ""), h
    text = body if isinstance(body, str) else body.decode()
    assert text.startswith("\ufeff"), text[:20]
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1][:5] == ["#activity+code", "#date+start", "#date+end", "#meta+section",
                           "#indicator+code"], rows[1]
    assert "#indicator+value+num" in rows[1] and "#affected+sex" in rows[1], rows[1]
    assert all(r[0] == d["code"] and r[1] == day(-60) for r in rows[2:]), rows[2]
    figure = {(r[3], r[4], r[5]): r[8] for r in rows[2:] if not r[6]}
    assert figure[("returns", "cases", "")] == "3", figure
    assert figure[("plans_overdue", "without_plan", "")] == "1", figure
    assert figure[("assistance", "started", "psychosocial")] == "2", figure
    assert figure[("budget", "committed_minor", "2.1 Psychosocial support")] == "100000", figure
    assert figure[("choice", "own_project_share_bp", "")] == "6667", figure
    h, body = report(manager(), "&format=xlsx")
    assert "spreadsheetml" in h.get("content-type", ""), h
    raw = body if isinstance(body, bytes) else body.encode("latin-1")
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "#indicator+value+num" in strings and "own_project_share_bp" in strings, strings[:300]


@test
def the_parameters_are_checked():
    tokm = manager()
    st, _, p = request("GET", R % dataset()["id"] + "?from=2026-02-30&to=soon&format=pdf",
                       token=tokm)
    assert_problem((st, _, p), 400, fields=["from", "to", "format"])
    st, _, p = request("GET", R % dataset()["id"] + "?from=2026-03-01&to=2026-02-01",
                       token=tokm)
    assert_problem((st, _, p), 400, fields=["to"])
    st, _, p = request("GET", R % str(uuid.uuid4()), token=tokm)
    assert_problem((st, _, p), 404)


@test
def only_the_roles_of_the_report_may_ask_and_others_count_their_offices():
    d = dataset()
    st, _, p = request("GET", R % d["id"], token=tok("reintegration"))
    assert st == 403, (st, p)
    # M&E in Cairo: the project's cases are Bamako's, so nothing of them
    _, r = report(follow_staff(office="EG-CAI")[0])
    assert r["scope"] == "offices" and r["returns"]["cases"] == 0, r
    assert r["budget"]["total"]["budget_minor"] == 1500000, r["budget"]
    # M&E in Bamako: all of it
    _, r = report(follow_staff(office=OFFICE)[0])
    assert r["scope"] == "offices" and r["returns"]["cases"] == 3, r


if __name__ == "__main__":
    main()
