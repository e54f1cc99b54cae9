"""GET /api/v1/dashboard: a case worker's first screen in one answer — the
counts per stage (as /case-counts), the cases waiting for me with their next
step and how much it still needs (as /cases?waiting=me — the journey's rule,
not a copy — and each case's /readiness), restriction reviews overdue (as /restrictions?review_overdue
=true, for the roles that may read restrictions) and the booked cases
leaving within a week without their pre-embarkation check (a requirement of
boarding, not of booking). Scoped to
the user's offices like the separate endpoints, and every case whose detail
it read is in the audit log."""
import time

from harness import (test, shared, request, assert_problem, main, case_body, create_case,
                     list_all_cases, uniq_office_code)
from journey_util import Journey, staff, adult

def _office():
    s = shared()
    code = uniq_office_code()
    s.ensure_office(code, "Dashboard " + code, "EGY")
    return code


def _expected_step(rd):
    steps = [n for n in rd["next"] if not n["side"]]
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
    # assigned to me, but its next step (eligibility) is a manager's
    theirs = Journey(office=office, members=[adult()], assigned_to=me)
    theirs.to_stage("consented")
    # booked, leaving in two days, no pre-embarkation check yet: listed
    soon = Journey(office=office, members=[adult()]).to_stage("ready")
    soon.step("book")
    # ready, leaving in two days: its check is not due before booking
    ready = Journey(office=office, members=[adult()]).to_stage("ready")
    # booked but leaving in three weeks: not yet
    later = Journey(office=office, members=[adult()])
    later.to_stage("pre_departure")
    later.fill_ready(departure_hours=21 * 24)
    later.step("ready")
    later.step("book")
    # booked with its check done: not listed
    done = Journey(office=office, members=[adult()]).to_stage("booked")

    st, h, d = request("GET", "/api/v1/dashboard", token=tok)
    assert st == 200, (st, d)
    counts = request("GET", "/api/v1/case-counts", token=tok)[2]
    assert d["by_stage"] == counts["by_stage"] and d["total"] == counts["total"] == 16, (d, counts)

    page = request("GET", "/api/v1/cases?waiting=me&limit=8", token=tok)[2]
    assert [c["id"] for c in d["mine"]] == [c["id"] for c in page["items"]]
    assert len(d["mine"]) == 8 and d["mine_more"] is True
    assert {c["id"] for c in d["mine"]} <= {c["id"] for c in mine}
    # the newest case assigned to me waits for someone else: not listed
    newest = request("GET", "/api/v1/cases?assigned=me&limit=1", token=tok)[2]["items"]
    assert [c["id"] for c in newest] == [theirs.id], (newest, theirs.id)
    assert theirs.id not in {c["id"] for c in d["mine"]}
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
        (d["preembarkation"], soon.id, ready.id, later.id, done.id)
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
    me, tok = s.make_user(["registration", "counsellor"], [office])
    create_case(case_body(office=office, assigned_to=me), token=tok)
    elsewhere = _office()
    _, other = s.make_user(["registration", "counsellor"], [elsewhere])
    d = request("GET", "/api/v1/dashboard", token=other)[2]
    assert d["total"] == 0 and d["mine"] == [] and d["preembarkation"] == [], d
    assert d["mine_more"] is False
    # the case worker the case was assigned to, who counsels next
    d = request("GET", "/api/v1/dashboard", token=tok)[2]
    assert d["total"] == 1 and len(d["mine"]) == 1
    # partners and donors see no case
    for role in ("partner", "donor"):
        _, t = s.make_user([role], [])
        assert_problem(request("GET", "/api/v1/dashboard", token=t), 403, "forbidden")
    st, _, p = request("GET", "/api/v1/dashboard")
    assert st == 401, (st, p)


@test
def a_case_that_cannot_move_forward_waits_for_no_one():
    s = shared()
    office = _office()
    me, tok = s.make_user(["registration", "counsellor"], [office])
    j = Journey(office=office, members=[adult()], assigned_to=me)
    counsel = Journey(office=office, members=[adult()], assigned_to=me)
    j.step("withdraw", reason="stays in Cairo")
    d = request("GET", "/api/v1/dashboard", token=tok)[2]
    # from withdrawn only "reopen" leads on, and it is a side step: the
    # case is mine but waits for no step forward
    assert [x["id"] for x in d["mine"]] == [counsel.id], (d["mine"], j.id, counsel.id)
    assert d["mine"][0]["stopped"] is False and d["mine"][0]["next"]["event"] == "counsel"
    assert len(list_all_cases("assigned=me", token=tok)) == 2


if __name__ == "__main__":
    main()
