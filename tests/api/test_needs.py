"""The reception and needs assessment after arrival (src/app/needs.c):
health and psychosocial needs sealed at rest and shown only to the roles
that see medical detail, to those that record assessments and to the
author (a counsellor reads "[sealed]"); the returnee's choice; validation
at field paths; only from arrival on, only by the office that works the
case; key rotation re-seals the needs."""
import sqlite3

from harness import test, shared, assert_problem, main
from journey_util import Journey, adult, day
from plans_util import req, tok, arrived

HEALTH = "diabetes, needs insulin every day"
PSY = "nightmares since the crossing; wants counselling"


def body(**over):
    b = {"assessed_on": day(0), "skills": "tailoring, driving",
         "education": "primary school", "work_history": "3 years in a garage",
         "family_situation": "married, two children", "housing": "with his parents",
         "health_needs": HEALTH, "psychosocial_needs": PSY,
         "project_idea": "a tailoring shop in Kayes", "choice": "own_project"}
    b.update(over)
    return b


def fields(problem):
    return [e["field"] for e in problem.get("errors", [])]


@test
def sealed_needs_are_read_only_by_who_may_see_medical_detail():
    j = arrived()
    st, h, n = req("POST", "/cases/%s/needs-assessments" % j.id, body())
    assert st == 201, (st, n)
    assert n["health_needs"] == HEALTH and n["choice"] == "own_project", n
    assert n["person_id"] == j.pid(), n
    for role, sees in (("counsellor", False), ("registration", False),
                       ("medical", True), ("manager", True), ("reintegration", True)):
        st, _, d = req("GET", "/cases/%s/needs-assessments" % j.id, role=role)
        assert st == 200, (role, st, d)
        got = d["items"][-1]
        if sees:
            assert got["health_needs"] == HEALTH and got["psychosocial_needs"] == PSY, \
                (role, got)
        else:
            assert got["health_needs"] == "[sealed]" and \
                got["psychosocial_needs"] == "[sealed]", (role, got)
            assert got["skills"] == "tailoring, driving" and \
                got["choice"] == "own_project", (role, got)
    # nothing in clear at rest
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        row = db.execute("SELECT health_needs, psychosocial_needs FROM needs_assessments "
                         "WHERE id=?", (n["id"],)).fetchone()
    finally:
        db.close()
    assert row[0].startswith("sealed:v") and row[1].startswith("sealed:v"), row
    assert "insulin" not in row[0] and "nightmares" not in row[1], row
    # the timeline says an assessment was made, not what it found
    ev = [e for e in j.events() if e["kind"] == "needs_assessed"]
    assert ev and ev[0]["data"]["choice"] == "own_project", ev
    assert "insulin" not in str(ev), ev


@test
def the_assessment_is_checked_field_by_field():
    j = arrived()
    p = assert_problem(req("POST", "/cases/%s/needs-assessments" % j.id,
                           body(choice="travel", assessed_on="2026-02-30",
                                skills=7, colour="blue")), 422, "validation")
    assert {"choice", "assessed_on", "skills", "colour"} <= set(fields(p)), p
    p = assert_problem(req("POST", "/cases/%s/needs-assessments" % j.id,
                           body(assessed_on=day(3))), 422, "validation")
    assert fields(p) == ["assessed_on"] and "future" in p["errors"][0]["message"], p
    other = arrived()
    p = assert_problem(req("POST", "/cases/%s/needs-assessments" % j.id,
                           body(person_id=other.pid())), 422, "validation")
    assert fields(p) == ["person_id"], p


@test
def needs_are_assessed_after_arrival_by_the_office_that_works_the_case():
    j = Journey([adult(nationality="MLI")], office="ML-BKO", destination="MLI")
    assert_problem(req("POST", "/cases/%s/needs-assessments" % j.id, body()), 409,
                   "conflict")
    # a counsellor reads assessments (plan.read) but does not record them
    a = arrived()
    assert_problem(req("POST", "/cases/%s/needs-assessments" % a.id, body(),
                       role="counsellor"), 403, "forbidden")
    # another office does not see the case at all
    _, cai = shared().make_user(["reintegration"], ["EG-CAI"])
    assert_problem(shared().request("GET", "/api/v1/cases/%s/needs-assessments" % a.id,
                                    token=cai), 404, "not-found")


if __name__ == "__main__":
    main()
