"""Monitoring visits (src/app/monitoring.c): date, in person or by phone,
who, findings and the state of each plan item seen; every field checked
(422 at its path); an item must belong to a plan of the case; visits
listed by date; the timeline; the scope by office.

Plan items are the plans room's rows: these tests write a plan, its
member and its items straight into the server's database (the schema of
migration 17), so that they need nothing but that schema."""
import sqlite3
import time
import uuid

from harness import test, shared, assert_problem, main
from journey_util import day
from test_survey import follow_staff, new_case

V = "/api/v1/cases/%s/monitoring-visits"


def plan_with_items(case, statuses=("approved", "in_progress")):
    """A plan of the case's first member with one item per status: the
    items' ids."""
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        now = int(time.time() * 1000)
        cpk, opk = db.execute("SELECT pk, office_pk FROM cases WHERE id=?",
                              (case["id"],)).fetchone()
        ppk = db.execute("SELECT pk FROM persons WHERE id=?",
                         (case["members"][0]["person_id"],)).fetchone()[0]
        plan = db.execute(
            "INSERT INTO plans(id,kind,title,office_pk,status,version,"
            "created_at,updated_at) VALUES(?,?,?,?,?,1,?,?)",
            (str(uuid.uuid4()), "individual", "Tailoring shop", opk,
             "approved", now, now)).lastrowid
        db.execute("INSERT INTO plan_members(plan_pk,case_pk,person_pk,"
                   "share_bp) VALUES(?,?,?,10000)", (plan, cpk, ppk))
        ids = []
        for s in statuses:
            i = str(uuid.uuid4())
            db.execute(
                "INSERT INTO plan_items(id,plan_pk,type,budget_minor,currency,"
                "modality,delivery,status,version,created_at,updated_at) "
                "VALUES(?,?,'business_start_up',150000,'XOF','in_kind',"
                "'direct',?,1,?,?)", (i, plan, s, now, now))
            ids.append(i)
        db.commit()
        return ids
    finally:
        db.close()


def visit(case, body, tok=None, expect=201):
    r = shared().request("POST", V % case["id"], body,
                         token=tok or follow_staff()[0])
    if expect is not None:
        assert r[0] == expect, (r[0], r[2])
    return r


def body(**over):
    b = {"visited_on": day(-1), "mode": "in_person",
         "visitor": "Awa Traoré", "findings": "the shop is open every day"}
    b.update(over)
    return b


@test
def test_visit_with_item_states():
    case = new_case()
    a, b = plan_with_items(case)
    _, h, d = visit(case, body(item_states=[
        {"item": a, "status": "on_track", "note": "machines delivered"},
        {"item": b, "status": "delayed"}]))
    assert d["mode"] == "in_person" and d["visitor"] == "Awa Traoré", d
    assert [s["item"] for s in d["item_states"]] == [a, b], d
    assert d["item_states"][0]["note"] == "machines delivered", d
    visit(case, body(visited_on=day(-30), mode="phone", item_states=None))
    st, _, lst = shared().request("GET", V % case["id"],
                                  token=follow_staff()[0])
    assert st == 200, (st, lst)
    assert [v["visited_on"] for v in lst["items"]] == [day(-30), day(-1)], lst
    assert lst["items"][0]["mode"] == "phone", lst
    # each visit is on the case's timeline
    _, reg = follow_staff()
    st, _, ev = shared().request("GET", "/api/v1/cases/%s/events" % case["id"],
                                 token=reg)
    kinds = [e["kind"] for e in ev["items"]]
    assert kinds.count("monitoring_visit") == 2, kinds


@test
def test_visit_validation():
    case = new_case()
    a, b = plan_with_items(case)
    other = new_case()
    (foreign,) = plan_with_items(other, ("approved",))
    for bad, field in [
            (body(mode="video"), "mode"),
            (body(visited_on=day(3)), "visited_on"),
            (body(visited_on="2026-13-01"), "visited_on"),
            (body(visitor=""), "visitor"),
            (body(visitor=None), "visitor"),
            (body(findings="x" * 20001), "findings"),
            (body(colour="blue"), "colour"),
            (body(item_states={"item": a}), "item_states"),
            (body(item_states=[{"item": a, "status": "fine"}]),
             "item_states[0].status"),
            (body(item_states=[{"item": a, "status": "on_track"},
                               {"item": a, "status": "delayed"}]),
             "item_states[1].item"),
            (body(item_states=[{"item": "nope", "status": "on_track"}]),
             "item_states[0].item"),
            (body(item_states=[{"item": a, "status": "on_track"},
                               {"item": foreign, "status": "on_track"}]),
             "item_states[1].item"),
            (body(item_states=[{"item": str(uuid.uuid4()),
                                "status": "stopped"}]),
             "item_states[0].item")]:
        assert_problem(visit(case, bad, expect=None), 422, fields=field)
    st, _, lst = shared().request("GET", V % case["id"],
                                  token=follow_staff()[0])
    assert lst["items"] == [], lst  # nothing stored by a refusal


@test
def test_visit_scope_by_office():
    case = new_case()
    visit(case, body())
    other_me = follow_staff(shared(), "DZ-TAM")[0]
    st, _, d = shared().request("GET", V % case["id"], token=other_me)
    assert st == 404, (st, d)
    assert_problem(visit(case, body(), tok=other_me, expect=None), 404)
    reg = follow_staff()[1]  # reads (followup.read), does not record
    st, _, d = shared().request("GET", V % case["id"], token=reg)
    assert st == 200 and len(d["items"]) == 1, (st, d)
    assert_problem(visit(case, body(), tok=reg, expect=None), 403)
    st, _, d = shared().request("GET", V % str(uuid.uuid4()),
                                token=follow_staff()[0])
    assert st == 404, (st, d)


if __name__ == "__main__":
    main()
