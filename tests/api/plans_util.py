"""
plans_util.py — helpers for the reintegration tests (test_plans.py,
test_needs.py): cases brought to `arrived` in the office of the country of
return, the staff of that office, plans and their items, and a budget line
to charge them to.

A returnee met after coming home is registered in Bamako (ML-BKO) and takes
`record_arrival` with the time they arrived (at most the past), so a test
chooses how long ago (`days_ago`) — the plans overdue depend on it.
"""
import datetime
import sqlite3

from harness import shared, rand_letters, uniq_username
from journey_util import Journey, adult, dt, utcnow

OFFICE = "ML-BKO"
ROLES = ("reintegration", "manager", "counsellor", "medical", "registration")


def staff(office=OFFICE):
    """{role: (username, token)} in office, made once per server."""
    srv = shared()
    cache = getattr(srv, "_plans_staff", None)
    if cache is None:
        cache = srv._plans_staff = {}
    if office not in cache:
        srv.setup_fixtures()
        cache[office] = {r: srv.make_user([r], [office]) for r in ROLES}
    return cache[office]


def tok(role, office=OFFICE):
    return staff(office)[role][1]


def req(method, path, body=None, role="reintegration", office=OFFICE,
        headers=None, token=None):
    return shared().request(method, "/api/v1" + path, body=body,
                            headers=headers, token=token or tok(role, office))


def if_match(v):
    return {"If-Match": '"%d"' % v}


def arrived(days_ago=1, members=None):
    """A case of Bamako at `arrived`, arrived days_ago days ago."""
    staff()
    j = Journey(members or [adult(nationality="MLI")], office=OFFICE,
                destination="MLI")
    at = dt(utcnow() - datetime.timedelta(days=days_ago))
    j.req("POST", "/transitions", {"event": "record_arrival", "at": at},
          token=tok("manager"))
    assert j.stage() == "arrived", j.stage()
    return j


def stage(j):
    return j.get()["stage"]


def budget_line(amount_minor=100000000, currency="USD"):
    """A budget line of a project of its own, made through the money
    routes (an administrator); its public id."""
    srv = shared()
    code = "PL-" + rand_letters(8).upper()
    body = {"code": code, "name": "Reintegration " + code, "donor": "Switzerland",
            "currency": currency, "starts_on": "2026-01-01", "ends_on": "2027-12-31",
            "places": [{"country": "MLI", "admin_area": "Kayes"}],
            "budget_lines": [{"code": "2.1", "name": "Reintegration assistance",
                              "amount_minor": amount_minor}]}
    st, h, d = srv.request("POST", "/api/v1/projects", body=body, token=srv.admin())
    assert st == 201, (st, d)
    return d["budget_lines"][0]["id"]


def line_totals(line_id):
    """(committed, disbursed) of a budget line, as the ledger's totals say."""
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        row = db.execute(
            "SELECT coalesce(t.committed_minor,0),coalesce(t.disbursed_minor,0) FROM "
            "budget_lines b LEFT JOIN budget_line_totals t ON t.budget_line_pk=b.pk "
            "WHERE b.id=?", (line_id,)).fetchone()
        return tuple(row)
    finally:
        db.close()


def ledger_of_item(item_id):
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        return db.execute(
            "SELECT l.kind,l.amount_minor FROM ledger l JOIN plan_items i ON "
            "i.pk=l.plan_item_pk WHERE i.id=? ORDER BY l.pk", (item_id,)).fetchall()
    finally:
        db.close()


def plan(j, kind="individual", title="Tailoring workshop", **over):
    body = {"kind": kind, "title": title,
            "members": [{"case_id": j.id}] if j is not None else []}
    body.update(over)
    st, h, d = req("POST", "/plans", body)
    assert st == 201, (st, d)
    return d


def item(plan_id, line=None, budget=150000, currency="USD", **over):
    body = {"type": "business_start_up", "description": "sewing machines",
            "budget_minor": budget, "currency": currency, "modality": "in_kind",
            "delivery": "direct"}
    if line:
        body["budget_line"] = line
    body.update(over)
    st, h, d = req("POST", "/plans/%s/items" % plan_id, body)
    assert st == 201, (st, d)
    return d


def get_plan(plan_id, role="reintegration"):
    st, h, d = req("GET", "/plans/" + plan_id, role=role)
    assert st == 200, (st, d)
    return d


def approve(plan_id, expect=200):
    p = get_plan(plan_id)
    r = req("POST", "/plans/%s/approve" % plan_id, role="manager",
            headers=if_match(p["version"]))
    assert r[0] == expect, r
    return r[2]


def item_version(plan_id, item_id):
    for it in get_plan(plan_id)["items"]:
        if it["id"] == item_id:
            return it["version"]
    raise AssertionError("no item %s in plan %s" % (item_id, plan_id))


def patch_item(plan_id, item_id, changes, expect=200, role="reintegration"):
    r = req("PATCH", "/plan-items/" + item_id, changes, role=role,
            headers=if_match(item_version(plan_id, item_id)))
    if expect is not None:
        assert r[0] == expect, r
    return r
