"""GET /api/v1/dashboard: a case worker's first screen in one answer — the
counts per stage (as /case-counts), the cases assigned to me with their next
step and how much it still needs (as /cases?assigned=me and each case's
/readiness), restriction reviews overdue (as /restrictions?review_overdue
=true, for the roles that may read restrictions) and the ready or booked
cases leaving within a week without their pre-embarkation check. Scoped to
the user's offices like the separate endpoints, and every case whose detail
it read is in the audit log."""
import time

from harness import (test, shared, request, assert_problem, main, case_body, create_case,
                     list_all_cases, uniq_office_code)
from journey_util import Journey, staff, adult

SIDE = {"withdraw", "hold", "close", "resume", "reopen"}


def _office():
    s = shared()
    code = uniq_office_code()
    s.ensure_office(code, "Dashboard " + code, "EGY")
    return code


def _expected_step(rd):
    steps = [n for n in rd["next"] if n["event"] not in SIDE]
    allowed = [n for n in steps if n["allowed"]]
    return (allowed or steps or [None])[0]


@test
def the_dashboard_says_in_one_answer_what_the_separate_endpoints_say():
    s = shared()
    office = _office()
    me, tok = s.make_user(["registration", "counsellor"], [office])
    other, _ = s.make_user(["registration"], [office])
    mine = [create_case(case_body(office=office, assigned_to=me), token=tok) for _ in range(10)]
    create_case(case_body(office=office, assigned_to=other), token=tok)
    # ready, leaving in two days, no pre-embarkation check yet: listed
    soon = Journey(office=office, members=[adult()]).to_stage("ready")
    # ready but leaving in three weeks: not yet
    later = Journey(office=office, members=[adult()])
    later.to_stage("pre_departure")
    later.fill_ready(departure_hours=21 * 24)
    later.step("ready")
    # booked with its check done: not listed
    done = Journey(office=office, members=[adult()]).to_stage("booked")

    st, h, d = request("GET", "/api/v1/dashboard", token=tok)
    assert st == 200, (st, d)
    counts = request("GET", "/api/v1/case-counts", token=tok)[2]
    assert d["by_stage"] == counts["by_stage"] and d["total"] == counts["total"] == 14, (d, counts)

    page = request("GET", "/api/v1/cases?assigned=me&limit=8", token=tok)[2]
    assert [c["id"] for c in d["mine"]] == [c["id"] for c in page["items"]]
    assert len(d["mine"]) == 8 and d["mine_more"] is True
    assert {c["id"] for c in d["mine"]} <= {c["id"] for c in mine}
    for c in d["mine"]:
        rd = request("GET", "/api/v1/cases/%s/readiness" % c["id"], token=tok)[2]
        want = _expected_step(rd)
        assert c["next"]["event"] == want["event"], (c["next"], want)
        assert c["next"]["missing"] == want["missing"] and c["next"]["allowed"] == want["allowed"]
        assert c["stopped"] is False
        assert c["number"] and c["principal"]["name"], c

    restrictions = request("GET", "/api/v1/restrictions?review_overdue=true", token=tok)[2]
    assert d["overdue_reviews"] == restrictions["items"]

    assert [c["id"] for c in d["preembarkation"]] == [soon.id], \
        (d["preembarkation"], soon.id, later.id, done.id)
    assert d["preembarkation"][0]["planned_departure"]
    assert d["preembarkation_days"] == 7

    # Each case whose readiness the dashboard read is in the audit log.
    # (records are written asynchronously, within milliseconds: polled)
    by_dashboard = lambda e: e["route"] == "/api/v1/dashboard" and e["user"] == me
    for case in (d["mine"][0], d["preembarkation"][0]):
        items = []
        for _ in range(100):
            items = request("GET", "/api/v1/audit?case=" + case["id"], token=s.admin())[2]["items"]
            if any(by_dashboard(e) for e in items):
                break
            time.sleep(0.05)
        assert any(by_dashboard(e) and e["status"] == 200 for e in items), items


@test
def the_dashboard_is_scoped_to_the_users_offices_and_roles():
    s = shared()
    office = _office()
    me, tok = s.make_user(["registration"], [office])
    create_case(case_body(office=office, assigned_to=me), token=tok)
    elsewhere = _office()
    _, other = s.make_user(["registration", "counsellor"], [elsewhere])
    d = request("GET", "/api/v1/dashboard", token=other)[2]
    assert d["total"] == 0 and d["mine"] == [] and d["preembarkation"] == [], d
    assert d["mine_more"] is False
    # a case worker nobody assigned anything to
    d = request("GET", "/api/v1/dashboard", token=tok)[2]
    assert d["total"] == 1 and len(d["mine"]) == 1
    # partners and donors see no case
    for role in ("partner", "donor"):
        _, t = s.make_user([role], [])
        assert_problem(request("GET", "/api/v1/dashboard", token=t), 403, "forbidden")
    st, _, p = request("GET", "/api/v1/dashboard")
    assert st == 401, (st, p)


@test
def a_case_that_cannot_move_forward_is_stopped():
    s = shared()
    office = _office()
    me, tok = s.make_user(["registration", "counsellor"], [office])
    j = Journey(office=office, members=[adult()], assigned_to=me)
    j.step("withdraw", reason="stays in Cairo")
    d = request("GET", "/api/v1/dashboard", token=tok)[2]
    c = [x for x in d["mine"] if x["id"] == j.id][0]
    # from withdrawn only "reopen" leads on, and it is a side step
    assert c["next"] is None and c["stopped"] is True, c
    assert len(list_all_cases("assigned=me", token=tok)) == 1


if __name__ == "__main__":
    main()
