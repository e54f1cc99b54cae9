"""The return journey: guards list every unmet requirement, counselling and
consent per member, withdrawal and reopening, children, the reconfirmation
and pre-embarkation windows, a withdrawal racing a step, and the timeline."""
import datetime
import threading

from harness import test, assert_problem, main
from journey_util import (Journey, adult, child, codes, unmet_codes, dt,
                          utcnow, hours_from_now, day, today, TOPICS,
                          STAGES_BEFORE_DEPARTURE, counselling_body,
                          consent_body, guardian_consent_body, partner,
                          reconfirmation_body, eligibility_body,
                          procedure_body, travel_document_body, health_body,
                          child_bodies, escort_body, CHILD_CODES, username)

H = datetime.timedelta(hours=1)


def only(problem, code, person=None, contains=None):
    """problem lists exactly one requirement, `code` (about person)."""
    reqs = problem["requirements"]
    assert [r["code"] for r in reqs] == [code], \
        "expected exactly [%s], got %r" % (code, reqs)
    assert problem["detail"].startswith("1 requirement of the step"), \
        problem["detail"]
    r = reqs[0]
    assert "met" not in r or r["met"] is False, r
    if person is not None:
        j, i = person
        assert r.get("person_id") == j.pid(i), (r, j.pid(i))
        assert r.get("person") == j.display(i), (r, j.display(i))
        assert j.display(i) in r["message"], \
            "message should name %s in capitals: %r" % (j.display(i),
                                                        r["message"])
    if contains is not None:
        assert contains in r["message"], (contains, r["message"])
    return r


def at_pre_departure(members=None, **kw):
    j = Journey(members=members, **kw)
    j.to_stage("pre_departure")
    return j


# --------------------------------------------------------------------------
# 1. the `ready` guard: each requirement on its own, then all together
# --------------------------------------------------------------------------

@test
def ready_without_planned_departure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"departure"})
    only(j.unmet("ready"), "departure.planned", contains="not set")
    j.set_departure(hours_from_now(48))
    j.step("ready")


@test
def ready_with_departure_in_the_past_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"departure"})
    j.set_departure(hours_from_now(-2))
    only(j.unmet("ready"), "departure.planned", contains="in the past")


@test
def ready_without_travel_document_lists_only_that():
    j = at_pre_departure([adult(documents=[])])
    j.fill_ready()
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="has no travel document")


@test
def ready_with_passport_expiring_before_departure_lists_only_that():
    exp = day(1)   # departure is in 48 h
    j = at_pre_departure([adult(documents=[
        {"type": "passport", "number": "P7654321", "issuing_country": "MLI",
         "expiry": exp}])])
    j.fill_ready()
    r = only(j.unmet("ready"), "document.valid", person=(j, 0))
    assert r["message"] == "passport of %s expires before the planned " \
        "departure (%s)" % (j.display(), exp), r["message"]


@test
def ready_with_national_id_only_has_no_travel_document():
    j = at_pre_departure([adult(documents=[
        {"type": "national_id", "number": "N1", "issuing_country": "MLI",
         "expiry": "2035-01-01"}])])
    j.fill_ready()
    only(j.unmet("ready"), "document.valid", person=(j, 0))


@test
def travel_document_record_counts_only_once_issued_and_valid():
    j = at_pre_departure([adult(documents=[])])
    j.fill_ready()
    j.record(travel_document_body(j.pid(), status="interview",
                                  interview_on=day(-1)))
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="not issued yet")
    j.record(travel_document_body(j.pid(), status="issued", expiry=day(1)))
    only(j.unmet("ready"), "document.valid", person=(j, 0),
         contains="expires before the planned departure")
    j.record(travel_document_body(j.pid(), status="issued", expiry=day(60)))
    c = j.step("ready")[2]
    assert c["stage"] == "ready"


@test
def ready_with_pending_procedure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"procedure.exit_visa"})
    j.record(procedure_body("exit_visa", "requested"))
    only(j.unmet("ready"), "procedure.exit_visa", contains="still pending")
    j.record(procedure_body("exit_visa", "done"))
    j.step("ready")


@test
def ready_with_unrecorded_procedure_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"procedure.police_clearance"})
    only(j.unmet("ready"), "procedure.police_clearance",
         contains="police_clearance")


@test
def ready_with_health_temporarily_unfit_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), "temporarily_unfit"))
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="temporarily unfit")
    j.record(health_body(j.pid(), "fit_with_conditions"))
    j.step("ready")


@test
def ready_with_health_unfit_or_missing_lists_only_that():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="no fitness-to-travel assessment")
    j.record(health_body(j.pid(), "unfit"))
    only(j.unmet("ready"), "health.fit", person=(j, 0),
         contains="unfit to travel")


@test
def pre_embarkation_check_is_not_the_fitness_assessment():
    # a pre-embarkation check alone does not stand for the health assessment
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), at=hours_from_now(-1),
                         pre_embarkation=True))
    only(j.unmet("ready"), "health.fit", person=(j, 0))


@test
def ready_with_later_ineligible_decision_lists_only_that():
    j = at_pre_departure()
    j.fill_ready()
    j.record(eligibility_body("ineligible", reason="has a pending asylum"
                              " claim"))
    only(j.unmet("ready"), "eligibility.decision",
         contains="has a pending asylum claim")


@test
def ready_needs_medical_escort_when_assessment_says_so():
    j = at_pre_departure()
    j.fill_ready(skip={"health:0"})
    j.record(health_body(j.pid(), "fit_with_conditions",
                         needs=["medical_escort", "wheelchair"]))
    only(j.unmet("ready"), "escort.medical", person=(j, 0),
         contains="needs a medical escort")
    j.record(escort_body(j.pid(), "medical", "Nurse Escort"))
    j.step("ready")


@test
def ready_for_victim_of_trafficking_needs_officer_and_risk_assessment():
    j = at_pre_departure([adult(protection_vulnerabilities=["victim_of_trafficking"])],
                         creator="protection")
    j.fill_ready()
    p = j.unmet("ready")
    assert codes(p) == ["protection.officer", "protection.risk"], p
    # Whoever reads the requirements learns what is missing, not why: only
    # the protection role may know that the person was trafficked.
    assert "traffick" not in str(p).lower(), p
    st, _, ready = j.req("GET", "/readiness", role="registration")
    assert st == 200 and "traffick" not in str(ready).lower(), ready
    for r in p["requirements"]:
        assert r["person_id"] == j.pid() and j.display() in r["message"], r
    # the officer must be a user with the protection role
    r = j.record({"kind": "protection_officer", "person_id": j.pid(),
                  "username": username("counsellor")}, expect=422)
    assert_problem(r, 422, "validation", "username")
    j.record({"kind": "protection_officer", "person_id": j.pid(),
              "username": username("protection")})
    only(j.unmet("ready"), "protection.risk", person=(j, 0))
    j.record({"kind": "risk_assessment", "person_id": j.pid(),
              "date": day(-1), "level": "medium",
              "summary": "trafficker network at origin"})
    j.step("ready")


@test
def ready_lists_every_unmet_requirement_at_once():
    j = at_pre_departure([adult(), adult("spouse", documents=[],
                                         sex="female")])
    j.fill_ready(skip={"departure", "procedure.exit_visa", "health:0",
                       "health:1"})
    j.record(procedure_body("exit_visa", "requested"))
    j.record(health_body(j.pid(0), "temporarily_unfit"))
    p = j.unmet("ready")
    got = sorted((r["code"], r.get("person_id")) for r in
                 p["requirements"])
    want = sorted([("departure.planned", None),
                   ("document.valid", j.pid(1)),
                   ("procedure.exit_visa", None),
                   ("health.fit", j.pid(0)),
                   ("health.fit", j.pid(1))])
    assert got == want, (got, want)
    assert p["title"] == "The case is not ready for this step", p["title"]
    assert p["detail"] == "5 requirements of the step ready are not met", \
        p["detail"]
    text = " ".join(r["message"] for r in p["requirements"])
    for i in (0, 1):
        assert j.display(i) in text, (j.display(i), text)
    # readiness shows the same list, with what is met
    n = j.next_step("ready")
    assert n["ready"] is False and n["missing"] == 5, n
    assert sorted(unmet_codes(n)) == sorted(c for c, _ in want), n
    met = {r["code"] for r in n["requirements"] if r["met"]}
    assert {"consent.return", "eligibility.decision", "restriction.clear",
            "procedure.fine_waiver", "procedure.police_clearance"} <= met, n
    assert j.stage() == "pre_departure"


@test
def readiness_says_who_may_take_each_step():
    j = at_pre_departure()
    n = j.next_step("ready", role="operations")
    assert n["allowed"] is True, n
    n = j.next_step("ready", role="counsellor")
    assert n["allowed"] is False, n
    r = j.step("ready", role="counsellor", expect=403)
    assert_problem(r, 403, "forbidden")
    r = j.step("ready", role="medical", expect=403)
    names = {s["event"] for s in j.readiness()["next"]}
    assert {"ready", "withdraw", "hold", "close"} <= names, names


@test
def step_from_wrong_stage_is_a_conflict_and_unknown_step_422():
    j = Journey()
    r = j.step("book", role="operations", expect=409)
    p = assert_problem(r, 409, "conflict")
    assert "registered" in p.get("detail", "") and "book" in \
        p.get("detail", ""), p
    r = j.req("POST", "/transitions", {"event": "teleport"})
    assert_problem(r, 422, "validation", "event")
    r = j.req("POST", "/transitions", {"event": "counsel", "why": "x"},
              role="counsellor")
    assert_problem(r, 422, "validation", "why")
    assert j.stage() == "registered"


# --------------------------------------------------------------------------
# 2. counselling and consent
# --------------------------------------------------------------------------

@test
def counsel_each_topic_missing_on_its_own():
    for topic in TOPICS:
        j = Journey()
        j.record(counselling_body([t for t in TOPICS if t != topic]))
        only(j.unmet("counsel"), "counselling." + topic)
        assert j.stage() == "registered"


@test
def counsel_without_any_session_lists_all_four_topics():
    j = Journey()
    p = j.unmet("counsel")
    assert codes(p) == sorted("counselling." + t for t in TOPICS), p
    assert p["detail"] == "4 requirements of the step counsel are not met"


@test
def counselling_topics_add_up_over_sessions():
    j = Journey()
    j.record(counselling_body(TOPICS[:2]))
    j.record(counselling_body(TOPICS[2:]))
    assert j.step("counsel")[2]["stage"] == "counselled"


@test
def consent_is_needed_from_every_member():
    j = Journey([adult(), adult("spouse", sex="female"),
                 adult("sibling", date_of_birth="1995-02-02")])
    j.counsel_all()
    j.step("counsel")
    j.record(consent_body(j.pid(0)))
    j.record(consent_body(j.pid(1)))
    # consent to share data is not consent to return
    j.record(consent_body(j.pid(2), purpose="data_sharing",
                          recipient=partner("UNICEF")))
    r = only(j.unmet("consent"), "consent.return", person=(j, 2))
    assert r["message"] == "no consent to return is recorded for %s" % \
        j.display(2), r["message"]
    p = j.get()
    j.record(consent_body(j.pid(2)))
    c = j.step("consent")[2]
    assert c["stage"] == "consented" and c["version"] == p["version"] + 1


@test
def consent_step_with_nobody_consenting_lists_each_member():
    j = Journey([adult(), adult("spouse", sex="female"),
                 adult("sibling")])
    j.counsel_all()
    j.step("counsel")
    p = j.unmet("consent")
    assert codes(p) == ["consent.return"] * 3, p
    assert {r["person_id"] for r in p["requirements"]} == set(j.pids())
    for i in range(3):
        assert any(j.display(i) in r["message"] for r in p["requirements"])


# --------------------------------------------------------------------------
# 3. withdrawal, hold, reopen
# --------------------------------------------------------------------------

def case_at(stage):
    j = Journey()
    if stage == "on_hold":
        j.to_stage("eligible")
        j.step("hold", reason="waiting for the family")
    else:
        j.to_stage(stage)
    return j


@test
def withdraw_from_every_stage_before_departure():
    for stage in STAGES_BEFORE_DEPARTURE + ["on_hold"]:
        j = case_at(stage)
        c = j.step("withdraw", reason="wants to stay")[2]
        assert c["stage"] == "withdrawn", (stage, c["stage"])
        assert c["stage_before"] == stage, (stage, c.get("stage_before"))
        assert j.get()["stage"] == "withdrawn"
        # every other step is a conflict now
        for ev in ("counsel", "consent", "ready", "book", "depart", "hold",
                   "withdraw", "resume"):
            r = j.step(ev, reason="x", role="manager", expect=None)
            assert_problem(r, 409, "conflict")
        # only counselling and consent can be recorded
        r = j.record(procedure_body("exit_visa"), expect=409)
        assert_problem(r, 409, "conflict")
        r = j.record(health_body(j.pid()), expect=409)
        assert_problem(r, 409, "conflict")
        if stage not in ("registered", "counselled"):
            # reopening needs a fresh consent: the old one was withdrawn
            p = j.unmet("reopen")
            r = only(p, "consent.return", person=(j, 0),
                     contains="withdrew consent")
            assert r["message"] == "%s withdrew consent to return; a new " \
                "consent is needed" % j.display(), r["message"]
        j.record(counselling_body())
        j.record(consent_body(j.pid()))
        c = j.step("reopen", reason="changed mind")[2]
        assert c["stage"] == "consented", (stage, c["stage"])


@test
def withdraw_marks_every_return_consent_withdrawn():
    j = Journey([adult(), adult("spouse", sex="female")])
    j.to_stage("eligible")
    j.record(consent_body(j.pid(0), purpose="data_sharing",
                          recipient=partner("Partner NGO")))
    j.step("withdraw", reason="no longer wishes to return")
    items = j.records(kind="consent", role="counsellor")
    ret = [r for r in items if r["data"]["purpose"] == "return"]
    assert len(ret) == 2
    for r in ret:
        assert r["data"].get("withdrawn_at"), r
    other = [r for r in items if r["data"]["purpose"] != "return"]
    assert other and not other[0]["data"].get("withdrawn_at"), other
    # reopen needs a new consent from each member: one is not enough
    j.record(consent_body(j.pid(0)))
    only(j.unmet("reopen"), "consent.return", person=(j, 1),
         contains="withdrew consent")
    j.record(consent_body(j.pid(1)))
    assert j.step("reopen")[2]["stage"] == "consented"


@test
def withdraw_needs_a_reason():
    j = case_at("consented")
    only(j.unmet("withdraw"), "reason")
    assert j.stage() == "consented"


@test
def withdraw_after_departure_is_a_conflict():
    j = Journey()
    j.to_stage("departed")
    r = j.step("withdraw", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    r = j.step("hold", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    j.step("arrive")
    r = j.step("withdraw", reason="too late", role="manager", expect=409)
    assert_problem(r, 409, "conflict")
    assert j.stage() == "arrived"


@test
def hold_and_resume_return_to_the_stage_before():
    j = case_at("eligible")
    c = j.step("hold", reason="medical review")[2]
    assert c["stage"] == "on_hold" and c["stage_before"] == "eligible", c
    n = j.next_step("resume")
    assert n["to"] == "eligible", n
    c = j.step("resume")[2]
    assert c["stage"] == "eligible", c


@test
def resume_rechecks_the_requirements_of_the_stage():
    j = case_at("eligible")
    j.step("hold", reason="re-assessment")
    j.record(eligibility_body("ineligible", reason="found a valid visa"))
    p = j.unmet("resume")
    assert "eligibility.decision" in codes(p), p
    assert j.stage() == "on_hold"


# --------------------------------------------------------------------------
# 4. children
# --------------------------------------------------------------------------

@test
def unaccompanied_child_whole_path():
    j = Journey([child(15)])
    pid = j.pid()
    j.counsel_all()
    j.step("counsel")
    # a child's own consent is not enough
    j.record(consent_body(pid))
    r = only(j.unmet("consent"), "consent.return", person=(j, 0))
    assert "guardian" in r["message"], r
    # the guardian's consent without the child's views is not enough
    j.record(guardian_consent_body(pid, child_views=None))
    only(j.unmet("consent"), "consent.return", person=(j, 0))
    j.record(guardian_consent_body(pid))
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.fill_ready(skip={"child:0"})
    p = j.unmet("ready")
    assert codes(p) == sorted(CHILD_CODES.values()), p
    for r in p["requirements"]:
        assert r["person_id"] == pid and j.display() in r["message"], r
    # the family is assessed by an office in the country of return
    bodies = child_bodies(pid)
    fam = dict(bodies["family_assessment"], office="EG-CAI")
    r = j.record(fam, expect=422)
    assert_problem(r, 422, "validation", "office")
    fam = dict(bodies["family_assessment"], office="ZZ-ZZZ")
    assert_problem(j.record(fam, expect=422), 422, "validation", "office")
    # a negative determination does not count
    j.record(dict(bodies["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    for kind, body in bodies.items():
        j.record(body)
    c = j.step("ready")[2]
    assert c["stage"] == "ready"
    j.step("book")
    # boarding: the child reconfirms (no adult in the case) and is checked
    j.set_departure(hours_from_now(2))
    p = j.unmet("depart")
    assert codes(p) == ["health.pre_embarkation", "reconfirmation"], p
    j.fill_board()
    assert j.step("depart")[2]["stage"] == "departed"


@test
def child_requirements_each_missing_on_its_own():
    escort_refused = None
    for kind, code in CHILD_CODES.items():
        j = Journey([child(15)])
        j.to_stage("pre_departure")
        j.fill_ready(skip={"%s:0" % code, "child.escort:0"})
        expect = sorted({code, "child.escort"})
        if code != "child.escort":
            r = j.record(escort_body(j.pid()), expect=None)
            if r[0] == 201:
                expect = [code]
            else:
                escort_refused = r
        p = j.unmet("ready")
        assert codes(p) == expect, (code, p)
        if expect == [code]:
            only(p, code, person=(j, 0))
        for r in p["requirements"]:
            assert r["person_id"] == j.pid() and \
                j.display() in r["message"], r
    assert escort_refused is None, \
        "no escort could be recorded for a child, so child.escort " \
        "is always unmet and an unaccompanied child can never be ready: " \
        "%s %r" % (escort_refused[0], escort_refused[2])


@test
def negative_determination_or_family_outcome_alone_does_not_count():
    j = Journey([child(16)])
    j.to_stage("pre_departure")
    j.fill_ready(skip={"child.escort:0", "child.bid:0", "child.family:0"})
    j.record(dict(child_bodies(j.pid())["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    j.record(dict(child_bodies(j.pid())["family_assessment"],
                  outcome="family_not_suitable"))
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort", "child.family"], p


@test
def later_negative_determination_or_family_outcome_replaces_positive():
    # (independent of escorts: the escort requirement is left unmet)
    j = Journey([child(16)])
    j.to_stage("pre_departure")
    j.fill_ready(skip={"child.escort:0"})
    j.record(dict(child_bodies(j.pid())["best_interests_determination"],
                  decision="return_not_in_best_interests"))
    # the latest determination counts: a later negative one replaces the
    # positive one recorded by fill_ready
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort"], \
        "a best-interests determination that return is NOT in the child's " \
        "interests, recorded after a positive one, must block `ready` (the " \
        "latest record of a kind counts); got %r" % codes(p)
    j.record(dict(child_bodies(j.pid())["family_assessment"],
                  outcome="family_not_found"))
    p = j.unmet("ready")
    assert codes(p) == ["child.bid", "child.escort", "child.family"], \
        "a later family assessment finding no family must replace the " \
        "earlier positive one; got %r" % codes(p)
    r = [x for x in p["requirements"] if x["code"] == "child.bid"][0]
    assert r["message"] == "no best-interests determination that return " \
        "is in the interests of the child %s" % j.display(), r


@test
def child_with_a_parent_in_the_case_needs_no_child_protection_steps():
    # only unaccompanied/separated children need guardian, BIA, BID, ...
    j = Journey([adult(), child(10, rel="child", flags=())])
    j.counsel_all()
    j.step("counsel")
    j.record(consent_body(j.pid(0)))
    j.record(guardian_consent_body(j.pid(1)))
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.fill_ready()
    n = j.next_step("ready")
    assert not any(c.startswith("child.") for c in
                   [r["code"] for r in n["requirements"]]), n
    j.step("ready")
    j.step("book")
    j.set_departure(hours_from_now(2))
    # reconfirmation only for the adult; pre-embarkation for both
    p = j.unmet("depart")
    got = sorted((r["code"], r["person_id"]) for r in p["requirements"])
    assert got == sorted([("health.pre_embarkation", j.pid(0)),
                          ("health.pre_embarkation", j.pid(1)),
                          ("reconfirmation", j.pid(0))]), got


def near_18_case(dob, precision):
    """A single-member case (no flags) at pre_departure with departure in
    48 hours; returns (journey, child codes the `ready` step lists)."""
    j = Journey([adult(date_of_birth=dob, dob_precision=precision)])
    j.counsel_all()
    j.step("counsel")
    j.record(guardian_consent_body(j.pid()))   # valid either way
    j.step("consent")
    j.eligible()
    j.step("approve_eligibility")
    j.step("start_pre_departure")
    j.set_departure(hours_from_now(48))
    n = j.next_step("ready")
    return j, sorted(r["code"] for r in n["requirements"]
                     if r["code"].startswith("child."))


@test
def estimated_birth_year_eighteen_years_ago_reads_as_a_child():
    y = today().year - 18
    for dob, prec in (("%d" % y, "year"), ("%d" % y, "estimated"),
                      ("%d-06" % y, "estimated"),
                      ("%d-01-01" % y, "estimated")):
        j, got = near_18_case(dob, prec)
        assert got == sorted(CHILD_CODES.values()), \
            "dob %s (%s): youngest possible age is under 18 at departure; " \
            "child requirements expected, got %r" % (dob, prec, got)


@test
def year_precision_with_a_full_date_reads_conservatively():
    # "year" precision says only the year is known: the youngest reading of
    # a person born "in 2008" is 31 December 2008, whatever day was typed.
    y = today().year - 18
    j, got = near_18_case("%d-01-01" % y, "year")
    stored = j.get()["members"][0]["person"]
    assert got == sorted(CHILD_CODES.values()), \
        "date_of_birth %r with dob_precision %r: the youngest possible " \
        "age at departure is 17 (born up to %d-12-31), so the child " \
        "requirements should appear; got %r" % (
            stored["date_of_birth"], stored["dob_precision"], y, got)


@test
def exact_birth_date_making_eighteen_before_departure_is_an_adult():
    # 17 today, 18 tomorrow; departure in 48 hours
    t = today() + datetime.timedelta(days=1)
    dob = t.replace(year=t.year - 18) if not (t.month == 2 and t.day == 29) \
        else t.replace(year=t.year - 18, day=28)
    j, got = near_18_case(dob.isoformat(), "exact")
    assert got == [], "18 at the planned departure: no child " \
        "requirements expected, got %r" % got
    # 18 only some days after the departure: a child at departure
    t2 = today() + datetime.timedelta(days=5)
    dob2 = t2.replace(year=t2.year - 18) if not (t2.month == 2 and
                                                  t2.day == 29) \
        else t2.replace(year=t2.year - 18, day=28)
    j2, got2 = near_18_case(dob2.isoformat(), "exact")
    assert got2 == sorted(CHILD_CODES.values()), got2


# --------------------------------------------------------------------------
# 5. reconfirmation and pre-embarkation windows
# --------------------------------------------------------------------------

def booked_case(departure):
    """A case booked for `departure` (at most 24 hours ahead, so that its
    departure can be confirmed now), nothing recorded for boarding."""
    j = Journey()
    j.to_stage("pre_departure")
    j.fill_ready(skip={"departure"})
    j.set_departure(dt(departure))
    j.step("ready")
    j.step("book")
    return j


@test
def reconfirmation_100_hours_before_departure_does_not_count():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(health_body(j.pid(), at=dt(now - H), pre_embarkation=True))
    j.record(reconfirmation_body(j.pid(), dt(dep - 100 * H)))
    r = only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    assert r["message"] == "consent for %s not reconfirmed within 72 " \
        "hours of departure" % j.display(), r["message"]
    j.record(reconfirmation_body(j.pid(), dt(now - H)))
    assert j.step("depart")[2]["stage"] == "departed"


@test
def reconfirmation_24_hours_before_departure_counts():
    now = utcnow()
    dep = now + 23 * H
    j = booked_case(dep)
    j.fill_board(at_hours=-1)     # 24 hours before departure
    n = j.next_step("depart")
    assert n["ready"] is True, n
    j.step("depart")


@test
def reconfirmation_window_boundaries():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(health_body(j.pid(), at=dt(now - H), pre_embarkation=True))
    # a minute too early
    j.record(reconfirmation_body(j.pid(), dt(dep - 72 * H - H / 60)))
    only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    # in the future (not yet happened) does not count either
    j.record(reconfirmation_body(j.pid(), dt(now + 2 * H)))
    only(j.unmet("depart"), "reconfirmation", person=(j, 0))
    # exactly 72 hours before departure counts
    j.record(reconfirmation_body(j.pid(), dt(dep - 72 * H)))
    j.step("depart")


@test
def pre_embarkation_check_window_and_result():
    now = utcnow()
    dep = now + 20 * H
    j = booked_case(dep)
    j.record(reconfirmation_body(j.pid(), dt(now - H)))
    p = j.unmet("depart")
    only(p, "health.pre_embarkation", person=(j, 0),
         contains="no pre-embarkation check")
    # an ordinary assessment is not the pre-embarkation check
    j.record(health_body(j.pid(), at=dt(now - H)))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0))
    # too early
    j.record(health_body(j.pid(), at=dt(dep - 100 * H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0),
         contains="within 72 hours")
    # in the window, but not fit
    j.record(health_body(j.pid(), "temporarily_unfit", at=dt(now - H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0),
         contains="not fit")
    j.record(health_body(j.pid(), "fit", at=dt(now - H),
                         pre_embarkation=True))
    j.step("depart")


@test
def depart_lists_reconfirmation_and_check_per_member():
    j = Journey([adult(), adult("spouse", sex="female")])
    j.to_stage("pre_departure")
    j.fill_ready()
    j.step("ready")
    j.step("book")
    j.set_departure(hours_from_now(2))
    j.fill_board(skip={"reconfirmation:1", "pre:0"})
    p = j.unmet("depart")
    got = sorted((r["code"], r["person_id"]) for r in p["requirements"])
    assert got == sorted([("reconfirmation", j.pid(1)),
                          ("health.pre_embarkation", j.pid(0))]), got
    assert p["detail"] == "2 requirements of the step depart are not met"


@test
def depart_rechecks_the_boarding_requirements():
    now = utcnow()
    j = Journey()
    j.to_stage("booked")
    j.record(health_body(j.pid(), "unfit", at=dt(now - H),
                         pre_embarkation=True))
    only(j.unmet("depart"), "health.pre_embarkation", person=(j, 0))
    assert j.stage() == "booked"


# --------------------------------------------------------------------------
# 8. a withdrawal racing a step
# --------------------------------------------------------------------------

def race(cases, event):
    """For each case, fires `event` and `withdraw` at the same moment;
    returns [(ready status, withdraw status, final stage)]."""
    out = []
    for j in cases:
        res = {}
        barrier = threading.Barrier(2)

        def go(name, ev, role, reason=None):
            barrier.wait()
            body = {"event": ev}
            if reason:
                body["reason"] = reason
            res[name] = j.req("POST", "/transitions", body, role=role)[0]

        ts = [threading.Thread(target=go, args=("step", event,
                                                "operations")),
              threading.Thread(target=go, args=("withdraw", "withdraw",
                                                "counsellor",
                                                "changed her mind"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join(30)
        out.append((res.get("step"), res.get("withdraw"), j.get()))
    return out


def prepare_parallel(n, fn):
    out = [None] * n
    errs = []

    def work(i):
        try:
            out[i] = fn()
        except BaseException as e:   # noqa
            errs.append(e)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    if errs:
        raise errs[0]
    return out


def check_race(results, event, ok_stage, pre_stage):
    """Whatever the order, the case ends withdrawn; the step succeeded
    exactly when the withdrawal came second (stage_before says which)."""
    orders = set()
    for st_step, st_wd, c in results:
        assert st_wd == 200, "withdraw is possible from %s and from %s; " \
            "got %s" % (pre_stage, ok_stage, st_wd)
        assert st_step in (200, 409), st_step
        assert c["stage"] == "withdrawn", \
            "a case whose consent was withdrawn ended at %s (step %s: %s, " \
            "withdraw: %s)" % (c["stage"], event, st_step, st_wd)
        want = ok_stage if st_step == 200 else pre_stage
        assert c["stage_before"] == want, (st_step, c["stage_before"])
        orders.add(st_step)
    return orders


@test
def withdrawal_racing_ready_always_ends_withdrawn():
    def prep():
        j = Journey()
        j.to_stage("pre_departure")
        j.fill_ready()
        return j
    cases = prepare_parallel(20, prep)
    res = race(cases, "ready")
    check_race(res, "ready", "ready", "pre_departure")
    for j in cases[:5]:
        for r in j.records(kind="consent", role="counsellor"):
            assert r["data"].get("withdrawn_at"), r


@test
def withdrawal_racing_book_always_ends_withdrawn():
    def prep():
        j = Journey()
        j.to_stage("ready")
        j.fill_board()
        return j
    cases = prepare_parallel(12, prep)
    res = race(cases, "book")
    check_race(res, "book", "booked", "ready")


# --------------------------------------------------------------------------
# 9. the timeline
# --------------------------------------------------------------------------

@test
def every_step_and_record_is_on_the_timeline():
    j = Journey()
    at = hours_from_now(0)
    path = [("counsel", "registered", "counselled"),
            ("consent", "counselled", "consented"),
            ("approve_eligibility", "consented", "eligible"),
            ("start_pre_departure", "eligible", "pre_departure"),
            ("hold", "pre_departure", "on_hold"),
            ("resume", "on_hold", "pre_departure"),
            ("ready", "pre_departure", "ready"),
            ("book", "ready", "booked"),
            ("depart", "booked", "departed"),
            ("arrive", "departed", "arrived")]
    made = []
    for ev, frm, to in path:
        if ev == "counsel":
            made.append(j.record(counselling_body())[2])
        elif ev == "consent":
            made.append(j.record(consent_body(j.pid()))[2])
        elif ev == "approve_eligibility":
            made.append(j.record(eligibility_body())[2])
        elif ev == "ready":
            before = len(j.records(role="manager"))
            j.fill_ready()
            made.extend(j.records(role="manager")[before:])
        elif ev == "book":
            j.set_departure(hours_from_now(2))
            before = len(j.records(role="manager"))
            j.fill_board()
            made.extend(j.records(role="manager")[before:])
        j.step(ev, reason="reason for " + ev,
               at=at if ev in ("depart", "arrive") else None)
    events = j.events()
    trans = [e for e in events if e["kind"] == "transition"]
    want = [{"event": ev, "from": frm, "to": to, "reason": "reason for " + ev}
            for ev, frm, to in path]
    for w in want:
        if w["event"] in ("depart", "arrive"):
            w["at"] = at      # when they happened
    assert [e["data"] for e in trans] == want, [e["data"] for e in trans]
    for e in trans:
        assert e["user"] in (username("counsellor"), username("manager"),
                             username("operations")), e
    recorded = [e for e in events if e["kind"] == "recorded"]
    assert len(recorded) == len(made), (len(recorded), len(made))
    assert [e["data"]["record_id"] for e in recorded] == \
        [r["id"] for r in made]
    for e, r in zip(recorded, made):
        assert e["data"]["kind"] == r["kind"], (e, r)
        if r.get("person_id"):
            assert e["data"].get("person_id") == r["person_id"], (e, r)
    assert events[0]["kind"] == "created"
    ids = [e["id"] for e in events]
    assert ids == sorted(ids), "events are not oldest first"


@test
def refused_steps_leave_no_trace_on_the_timeline():
    j = Journey()
    n = len(j.events())
    j.unmet("counsel")
    j.step("book", role="operations", expect=409)
    j.step("counsel", role="medical", expect=403)
    assert len(j.events()) == n
    c = j.get()
    assert c["stage"] == "registered" and c["version"] == 1, c


if __name__ == "__main__":
    main()
